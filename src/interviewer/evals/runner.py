"""Run the judge and its baselines over labelled transcripts; write the report as JSON and Markdown."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from interviewer.domain import Report, Stage, Transcript
from interviewer.evals.baselines import length_scores, random_scores
from interviewer.evals.metrics import Judged, agreement, judged
from interviewer.evaluation import LabelledCase

Scorer = Callable[[Transcript], Mapping[Stage, int | None]]
BASELINES: Mapping[str, Scorer] = {"random": random_scores, "length": length_scores}


def evaluate_judge(cases: Sequence[LabelledCase], score: Callable[[Transcript], Report]) -> dict[str, object]:
    """The judge's agreement with the labels, and the same metrics for each baseline.

    `judge_fallbacks`: transcripts whose report carries a notice, i.e. the model judge failed and offline scores stand.
    """
    rows, fallbacks = [], 0
    for case in cases:
        report = score(case.transcript)
        predicted = {stage: result.score for stage, result in report.stages.items()}
        rows.append(Judged(case.stages, case.verdict, predicted, report.verdict, report.overall))
        fallbacks += bool(report.notices)
    metrics = agreement(rows)
    metrics["judge_fallbacks"] = fallbacks
    metrics["baselines"] = {
        name: agreement([judged(c.stages, c.verdict, baseline(c.transcript), c.transcript.level) for c in cases])
        for name, baseline in BASELINES.items()
    }
    return metrics


def markdown_table(metrics: Mapping[str, object]) -> str:
    """Judge and baselines side by side: QWK per stage, then the summary metrics."""
    baselines = metrics.get("baselines", {})
    assert isinstance(baselines, dict)
    columns = {"judge": metrics, **baselines}
    lines = ["| metric | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    stages = metrics.get("stages", {})
    assert isinstance(stages, dict)
    for stage in stages:
        cells = [f"{col['stages'][stage]['qwk']:.3f}" for col in columns.values()]
        lines.append(f"| QWK {stage} | " + " | ".join(cells) + " |")
    for key in ("qwk_mean", "spearman_overall", "mae", "verdict_accuracy"):
        lines.append(f"| {key} | " + " | ".join(f"{col[key]:.3f}" for col in columns.values()) + " |")
    return "\n".join(lines)


def write_report(directory: Path, task: str, metrics: Mapping[str, object], markdown: str) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    json_path, md_path = directory / f"{task}.json", directory / f"{task}.md"
    json_path.write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    md_path.write_text(f"# Eval: {task}\n\n{markdown}\n", encoding="utf-8")
    return json_path, md_path
