"""The judge task with a model: the model's reading against the labellers stage by stage, beside the offline judge's,
and the calibration that follows (`llm.calibration`: the model scores only the stages where it agreed better).

Each transcript is read once (`LLMJudge.read`); from that reading come three reports: the offline judge's, the model
on every stage it scored (the headline `agreement`, what "the model judge" means here), and the calibrated mix. The
calibrated figures are measured on the transcripts the calibration was chosen on, so they flatter it; the private
split, or another labelled set, is the honest check of a calibration.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from interviewer.domain import STAGES, Report, Stage, Transcript
from interviewer.evals.metrics import Rating, agreement
from interviewer.evals.runner import evaluate_reports
from interviewer.evaluation import LabelledCase
from interviewer.llm.calibration import Calibration, StageAgreement
from interviewer.llm.judge import LLMJudge, ModelReading

SUMMARY = ("pooled_qwk", "spearman_overall", "verdict_exact")


def stage_agreement(cases: Sequence[LabelledCase], reports: Sequence[Report]) -> dict[Stage, float]:
    """Per stage, the quadratic-weighted kappa against each labeller, averaged over the labellers."""
    ratings = [Rating.of_report(r) for r in reports]
    first = agreement([(Rating.of_labels(c.labels), r) for c, r in zip(cases, ratings, strict=True)])
    second_pairs = [
        (Rating.of_labels(c.labels_b), r) for c, r in zip(cases, ratings, strict=True) if c.labels_b is not None
    ]
    tables = [first, agreement(second_pairs)] if second_pairs else [first]
    return {
        stage: round(sum(_stage_qwk(table, stage) for table in tables) / len(tables), 3) for stage in STAGES
    }


def _stage_qwk(table: Mapping[str, Any], stage: Stage) -> float:
    return float(table["stages"][stage.value]["qwk"])


def calibrate(
    cases: Sequence[LabelledCase], readings: Sequence[ModelReading], model: str, measured_on: str
) -> Calibration:
    offline = stage_agreement(cases, [r.offline.report for r in readings])
    everywhere = stage_agreement(cases, [LLMJudge.combined(r, STAGES) for r in readings])
    stages = {stage: StageAgreement(offline=offline[stage], model=everywhere[stage]) for stage in STAGES}
    return Calibration(model=model, measured_on=measured_on, stages=stages)


def _summary(cases: Sequence[LabelledCase], reports: Sequence[Report]) -> dict[str, object]:
    metrics = evaluate_reports(cases, reports)
    table: Mapping[str, Any] = metrics["agreement"]  # type: ignore[assignment]
    return {
        name: None if table[name] is None else {key: table[name][key] for key in SUMMARY}
        for name in ("judge_vs_labels", "judge_vs_labels_b")
    }


def evaluate_model_judge(
    cases: Sequence[LabelledCase], read: Callable[[Transcript], ModelReading], model: str, measured_on: str
) -> tuple[dict[str, object], Calibration]:
    """The headline metrics of the model on every stage, with `model_judge`: the offline and calibrated summaries, the
    per-stage kappas and which stages the calibration trusts."""
    readings = [read(case.transcript) for case in cases]
    calibration = calibrate(cases, readings, model, measured_on)
    everywhere = [LLMJudge.combined(r, STAGES) for r in readings]
    metrics = evaluate_reports(cases, everywhere)
    metrics["model_judge"] = {
        "offline": _summary(cases, [r.offline.report for r in readings]),
        "calibrated": _summary(cases, [LLMJudge.combined(r, calibration.trusted()) for r in readings]),
        "parsed": sum(r.judgement is not None for r in readings),
        "failures": [r.failure for r in readings if r.judgement is None],
        "calibration": calibration.model_dump(mode="json"),
        "trusted": [stage.value for stage in calibration.trusted()],
    }
    return metrics, calibration


def calibration_failures(metrics: Mapping[str, Any]) -> list[str]:
    """Why each judgement that failed did (empty when all parsed)."""
    return list(metrics["model_judge"]["failures"])


def calibration_table(metrics: Mapping[str, Any]) -> str:
    """Per stage: the offline judge's and the model's kappa, and whether the model scores it; then the summaries."""
    found = metrics["model_judge"]
    lines = ["| stage | offline QWK | model QWK | model scores it |", "|---|---|---|---|"]
    for stage, row in found["calibration"]["stages"].items():
        scores_it = "yes" if stage in found["trusted"] else "no"
        lines.append(f"| {stage} | {row['offline']:.3f} | {row['model']:.3f} | {scores_it} |")
    lines += ["", "| judge | vs labels (" + ", ".join(SUMMARY) + ") | vs labels_b |", "|---|---|---|"]
    for name in ("offline", "calibrated"):
        cells = [
            "–" if column is None else " / ".join(f"{column[key]:.3f}" for key in SUMMARY)
            for column in found[name].values()
        ]
        lines.append(f"| {name} | {' | '.join(cells)} |")
    return "\n".join(lines)
