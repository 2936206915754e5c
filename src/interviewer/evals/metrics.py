"""Agreement between a judge and human labels, with scikit-learn and scipy (no hand-written statistics)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scipy.stats import spearmanr
from sklearn.metrics import cohen_kappa_score, confusion_matrix, mean_absolute_error

from interviewer.domain import STAGES, Stage, StageScore, Verdict
from interviewer.judge import overall_score, verdict_for

SCALE = [0, 1, 2, 3, 4]  # 0 stands for "not reached"
VERDICTS = [v.value for v in Verdict]


@dataclass(frozen=True)
class Judged:
    """One transcript: the human labels and a judge's prediction."""

    label_stages: Mapping[Stage, int | None]
    label_verdict: Verdict
    predicted_stages: Mapping[Stage, int | None]
    predicted_verdict: Verdict
    predicted_overall: float

    @property
    def label_overall(self) -> float:
        return overall_score({s: StageScore(self.label_stages.get(s)) for s in STAGES})


def _qwk(labels: Sequence[int], predicted: Sequence[int]) -> float:
    if list(labels) == list(predicted):
        return 1.0
    value = float(cohen_kappa_score(labels, predicted, weights="quadratic", labels=SCALE))
    return 0.0 if math.isnan(value) else round(value, 3)


def agreement(rows: Sequence[Judged]) -> dict[str, object]:
    """The suite's JSON keys: n, stages{qwk, exact, adjacent}, qwk_mean, spearman_overall, mae, verdict_accuracy."""
    if not rows:
        return {"n": 0}
    stages: dict[str, dict[str, float]] = {}
    for stage in STAGES:
        labels = [r.label_stages.get(stage) or 0 for r in rows]
        predicted = [r.predicted_stages.get(stage) or 0 for r in rows]
        pairs = list(zip(labels, predicted, strict=True))
        stages[stage.value] = {
            "qwk": _qwk(labels, predicted),
            "exact": round(sum(a == b for a, b in pairs) / len(pairs), 3),
            "adjacent": round(sum(abs(a - b) <= 1 for a, b in pairs) / len(pairs), 3),
        }
    human = [r.label_overall for r in rows]
    machine = [r.predicted_overall for r in rows]
    rho = spearmanr(human, machine).statistic if len(set(human)) > 1 and len(set(machine)) > 1 else 0.0
    return {
        "n": len(rows),
        "stages": stages,
        "qwk_mean": round(sum(s["qwk"] for s in stages.values()) / len(stages), 3),
        "spearman_overall": round(float(rho), 3),
        "mae": round(float(mean_absolute_error(human, machine)), 3),
        "verdict_accuracy": round(sum(r.label_verdict is r.predicted_verdict for r in rows) / len(rows), 3),
        "confusion": {
            "labels": VERDICTS,
            "matrix": confusion_matrix(
                [r.label_verdict.value for r in rows], [r.predicted_verdict.value for r in rows], labels=VERDICTS
            ).tolist(),
        },
    }


def judged(
    label_stages: Mapping[Stage, int | None], label_verdict: Verdict, predicted: Mapping[Stage, int | None], level: str
) -> Judged:
    """A prediction given only stage scores: overall and verdict follow the same weights as the real judge."""
    overall = overall_score({s: StageScore(predicted.get(s)) for s in STAGES})
    return Judged(label_stages, label_verdict, predicted, verdict_for(overall, level), overall)  # type: ignore[arg-type]
