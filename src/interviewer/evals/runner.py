"""The judge task: the judge against each labeller, the labellers against each other, and the baselines, side by side.

JSON: `agreement.judge_vs_labels`, `agreement.judge_vs_labels_b`, `agreement.labels_vs_labels_b` (each with
`metrics.FIELDS`), `baselines.<name>` (the same fields against the first labeller, and `vs_labels_b`), and `rows`:
one per transcript with the judge's and both labellers' stage scores, so a regression can be found.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from interviewer.domain import STAGES, Report, Stage, Transcript
from interviewer.evals.baselines import BASELINES
from interviewer.evals.metrics import FIELDS, Pair, Rating, agreement
from interviewer.evaluation import LabelledCase

COMPARISONS = ("judge_vs_labels", "judge_vs_labels_b", "labels_vs_labels_b")


def _second_pairs(cases: Sequence[LabelledCase], others: Sequence[Rating]) -> dict[str, object] | None:
    """`others` against the second labeller, over the cases that have one (None when no case has)."""
    pairs = [
        (Rating.of_labels(c.labels_b), other)
        for c, other in zip(cases, others, strict=True)
        if c.labels_b is not None
    ]
    return agreement(pairs) if pairs else None


def _stages_row(stages: Mapping[Stage, int | None]) -> dict[str, int | None]:
    return {s.value: stages.get(s) for s in STAGES}


def _row(case: LabelledCase, judge: Rating) -> dict[str, object]:
    second = case.labels_b
    return {
        "id": case.transcript.id,
        "question_id": case.transcript.question_id,
        "level": case.transcript.level,
        "judge": {"stages": _stages_row(judge.stages), "overall": judge.overall, "verdict": judge.verdict.value},
        "labels": {"stages": _stages_row(case.labels.stages), "verdict": case.labels.verdict.value},
        "labels_b": None if second is None else {"stages": _stages_row(second.stages), "verdict": second.verdict.value},
    }


def reached(report: Report) -> frozenset[Stage]:
    """The stages a judge scored (did not leave as not reached): what a baseline is told."""
    return frozenset(stage for stage, result in report.stages.items() if result.score is not None)


def evaluate_judge(cases: Sequence[LabelledCase], score: Callable[[Transcript], Report]) -> dict[str, object]:
    return evaluate_reports(cases, [score(case.transcript) for case in cases])


def evaluate_reports(cases: Sequence[LabelledCase], reports: Sequence[Report]) -> dict[str, object]:
    """The judge's reports (one per case, in order) against the labellers, and the baselines. `judge_fallbacks`:
    transcripts whose report carries a notice (the model judge failed; offline scores stand).

    Each baseline is told which stages the judge found reached, so it differs from the judge only in how it scores."""
    judge = [Rating.of_report(report) for report in reports]
    first: list[Pair] = [(Rating.of_labels(c.labels), j) for c, j in zip(cases, judge, strict=True)]
    labels_a = [Rating.of_labels(c.labels) for c in cases]
    baselines: dict[str, object] = {}
    for name, baseline in BASELINES.items():
        predicted = [
            Rating.of_stages(baseline(c.transcript, reached(r)), c.transcript.level)
            for c, r in zip(cases, reports, strict=True)
        ]
        against_a = agreement(list(zip(labels_a, predicted, strict=True)))
        baselines[name] = {**against_a, "vs_labels_b": _second_pairs(cases, predicted)}
    return {
        "n": len(cases),
        "agreement": {
            "judge_vs_labels": agreement(first),
            "judge_vs_labels_b": _second_pairs(cases, judge),
            "labels_vs_labels_b": _second_pairs(cases, labels_a),
        },
        "baselines": baselines,
        "judge_fallbacks": sum(bool(report.notices) for report in reports),
        "rows": [_row(case, rating) for case, rating in zip(cases, judge, strict=True)],
    }


def _cell(column: Mapping[str, Any] | None, key: str) -> str:
    return "–" if column is None else f"{column[key]:.3f}"


def _stage_cell(column: Mapping[str, Any] | None, stage: str) -> str:
    return "–" if column is None else f"{column['stages'][stage]['qwk']:.3f}"


def markdown_table(metrics: Mapping[str, Any]) -> str:
    """Judge vs each labeller, labeller vs labeller, and each baseline vs the first labeller; then one row each."""
    columns: dict[str, Mapping[str, Any] | None] = {
        "judge vs labels": metrics["agreement"]["judge_vs_labels"],
        "judge vs labels_b": metrics["agreement"]["judge_vs_labels_b"],
        "labels vs labels_b": metrics["agreement"]["labels_vs_labels_b"],
        **{f"{name} vs labels": column for name, column in metrics["baselines"].items()},
    }
    lines = ["| metric | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    lines += [f"| {key} | " + " | ".join(_cell(c, key) for c in columns.values()) + " |" for key in FIELDS]
    lines += [
        f"| QWK {stage.value} | " + " | ".join(_stage_cell(c, stage.value) for c in columns.values()) + " |"
        for stage in STAGES
    ]
    return "\n".join([*lines, "", *_row_lines(metrics["rows"])])


def _scores(stages: Mapping[str, int | None]) -> str:
    return " ".join("-" if v is None else str(v) for v in stages.values())


def _row_lines(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    lines = ["| transcript | judge | labels | labels_b | verdicts (judge / labels / labels_b) |", "|" + "---|" * 5]
    for row in rows:
        second = row["labels_b"]
        verdicts = f"{row['judge']['verdict']} / {row['labels']['verdict']} / {second['verdict'] if second else '–'}"
        lines.append(
            f"| {row['id']} | {_scores(row['judge']['stages'])} | {_scores(row['labels']['stages'])} | "
            f"{_scores(second['stages']) if second else '–'} | {verdicts} |"
        )
    return lines


def write_report(directory: Path, task: str, metrics: Mapping[str, object], markdown: str) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    json_path, md_path = directory / f"{task}.json", directory / f"{task}.md"
    json_path.write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    md_path.write_text(f"# Eval: {task}\n\n{markdown}\n", encoding="utf-8")
    return json_path, md_path
