"""Agreement between two raters of the same transcripts (a judge and a labeller, or two labellers).

Computed with scikit-learn and scipy, no hand-written statistics. A stage that was not reached counts as 0 on the
0-4 scale, so "not reached" against "1" is a one-step disagreement.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scipy.stats import spearmanr
from sklearn.metrics import cohen_kappa_score, confusion_matrix, mean_absolute_error

from interviewer.domain import STAGES, Level, Report, Stage, StageScore, Verdict
from interviewer.evaluation import Labels
from interviewer.judge import overall_score, verdict_of

SCALE = [0, 1, 2, 3, 4]  # 0 stands for "not reached"
VERDICTS = [v.value for v in Verdict]  # in order, worst first: one step apart is "within one"
FIELDS = ("pooled_qwk", "stage_qwk_mean", "exact", "spearman_overall", "verdict_exact", "verdict_within_one")


def verdict_of_report(report: Report) -> Verdict:
    """A whole interview's verdict; the evals never score a stage drill, which has none."""
    if report.verdict is None:
        raise ValueError("a stage drill's report has no verdict to compare with the labellers'")
    return report.verdict


@dataclass(frozen=True)
class Rating:
    """One rater's reading of one transcript."""

    stages: Mapping[Stage, int | None]
    verdict: Verdict
    overall: float

    @classmethod
    def of_labels(cls, labels: Labels) -> Rating:
        """A labeller gives no overall score: it is the stage scores under the judge's weights, so both compare."""
        return cls(labels.stages, labels.verdict, overall_score({s: StageScore(labels.stages.get(s)) for s in STAGES}))

    @classmethod
    def of_report(cls, report: Report) -> Rating:
        """A judge's report: its stage scores, verdict and overall score."""
        return cls({stage: result.score for stage, result in report.stages.items()}, verdict_of_report(report),
                   report.overall)

    @classmethod
    def of_stages(cls, stages: Mapping[Stage, int | None], level: Level) -> Rating:
        """A scorer that gives only stage scores (a baseline): overall and verdict by the judge's rules."""
        overall = overall_score({s: StageScore(stages.get(s)) for s in STAGES})
        return cls(stages, verdict_of(stages, level), overall)

    def scale(self, stage: Stage) -> int:
        return self.stages.get(stage) or 0


Pair = tuple[Rating, Rating]  # (reference, other): confusion rows are the reference's verdicts


def qwk(reference: Sequence[int], other: Sequence[int]) -> float:
    """Quadratic weighted kappa on the 0-4 scale; identical lists agree perfectly even when constant."""
    if list(reference) == list(other):
        return 1.0
    value = float(cohen_kappa_score(reference, other, weights="quadratic", labels=SCALE))
    return 0.0 if math.isnan(value) else round(value, 3)


def _share(hits: Sequence[bool]) -> float:
    return round(sum(hits) / len(hits), 3) if hits else 0.0


def _spearman(a: Sequence[float], b: Sequence[float]) -> float:
    if len(set(a)) < 2 or len(set(b)) < 2:
        return 0.0
    return round(float(spearmanr(a, b).statistic), 3)


def _stage_rows(pairs: Sequence[Pair]) -> dict[str, dict[str, float]]:
    rows: dict[str, dict[str, float]] = {}
    for stage in STAGES:
        ref = [a.scale(stage) for a, _ in pairs]
        other = [b.scale(stage) for _, b in pairs]
        both = list(zip(ref, other, strict=True))
        rows[stage.value] = {
            "qwk": qwk(ref, other),
            "exact": _share([x == y for x, y in both]),
            "adjacent": _share([abs(x - y) <= 1 for x, y in both]),
        }
    return rows


def verdict_steps(a: Verdict, b: Verdict) -> int:
    return abs(VERDICTS.index(a.value) - VERDICTS.index(b.value))


def agreement(pairs: Sequence[Pair]) -> dict[str, object]:
    """`FIELDS`, plus per-stage kappa, MAE of the overall score and the verdict confusion matrix."""
    if not pairs:
        return {"n": 0}
    pooled_ref = [a.scale(s) for a, _ in pairs for s in STAGES]
    pooled_other = [b.scale(s) for _, b in pairs for s in STAGES]
    stages = _stage_rows(pairs)
    ref_overall = [a.overall for a, _ in pairs]
    other_overall = [b.overall for _, b in pairs]
    return {
        "n": len(pairs),
        "pooled_qwk": qwk(pooled_ref, pooled_other),
        "stage_qwk_mean": round(sum(s["qwk"] for s in stages.values()) / len(stages), 3),
        "exact": _share([x == y for x, y in zip(pooled_ref, pooled_other, strict=True)]),
        "spearman_overall": _spearman(ref_overall, other_overall),
        "mae_overall": round(float(mean_absolute_error(ref_overall, other_overall)), 3),
        "verdict_exact": _share([a.verdict is b.verdict for a, b in pairs]),
        "verdict_within_one": _share([verdict_steps(a.verdict, b.verdict) <= 1 for a, b in pairs]),
        "stages": stages,
        "confusion": {
            "rows": "reference",
            "labels": VERDICTS,
            "matrix": confusion_matrix(
                [a.verdict.value for a, _ in pairs], [b.verdict.value for _, b in pairs], labels=VERDICTS
            ).tolist(),
        },
    }
