"""`interviewer calibrate`: fit the offline judge's linear model on labelled transcripts (our own, never the blind set).

Each stage of each transcript is one example: the judge's features for it (`OfflineJudge.features`) against the mean
of the labellers' scores (not reached counts 0). A ridge regression (closed form, numpy) keeps the weights small, so
a handful of transcripts cannot swing them. Stages the judge finds nobody discussed are left out: the rules decide
those. The result is written to `knowledge/judge_model.yaml`, which the app reads.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
import yaml

from interviewer.bootstrap import build_service
from interviewer.config import Settings
from interviewer.domain import STAGES, Question
from interviewer.evaluation import LabelledCase
from interviewer.judge import JudgeModel, OfflineJudge
from interviewer.transcripts import load_labelled

DEFAULT_ALPHA = 1.0


def examples(
    judge: OfflineJudge, cases: Sequence[LabelledCase], questions: dict[str, Question]
) -> tuple[list[dict[str, float]], list[float]]:
    """(features, target) per discussed stage of every case."""
    rows: list[dict[str, float]] = []
    targets: list[float] = []
    for case in cases:
        transcript = case.transcript
        features = judge.features(transcript, questions.get(transcript.question_id or ""))
        second = case.labels_b or case.labels
        for stage in STAGES:
            own = features.stages[stage]
            if own.sentences == 0:
                continue
            rows.append({**own.values(), **features.manner.values(transcript.level)})
            targets.append(((case.labels.stages.get(stage) or 0) + (second.stages.get(stage) or 0)) / 2)
    return rows, targets


def fit(rows: Sequence[dict[str, float]], targets: Sequence[float], alpha: float = DEFAULT_ALPHA) -> JudgeModel:
    names = sorted(rows[0])
    x = np.array([[row[name] for name in names] for row in rows], dtype=np.float64)
    design = np.hstack([x, np.ones((len(x), 1))])
    penalty = alpha * np.eye(design.shape[1])
    penalty[-1, -1] = 0.0  # the intercept is not shrunk
    solution = np.linalg.solve(design.T @ design + penalty, design.T @ np.array(targets, dtype=np.float64))
    weights = {name: round(float(w), 4) for name, w in zip(names, solution[:-1], strict=True)}
    return JudgeModel(round(float(solution[-1]), 4), weights)


def write(path: Path, model: JudgeModel, source: str, alpha: float, n: int) -> None:
    header = (
        "# The offline judge's stage model, written by `interviewer calibrate` (do not edit by hand).\n"
        f"# Fit on {source}: {n} discussed stages, ridge alpha {alpha}.\n"
        "# Stage score = intercept + sum(weight x feature), rounded into 1-4; the rubric's caps and the verdict rules\n"
        "# apply after it (src/interviewer/judge.py).\n"
    )
    body = yaml.safe_dump({"intercept": model.intercept, "weights": dict(model.weights)}, sort_keys=True)
    path.write_text(header + body, encoding="utf-8")


def calibrate(  # one option per parameter is how typer declares a command
    *,
    transcripts: Annotated[Path, typer.Option(help="Labelled transcripts to fit on (never the blind set).")] = Path(
        "evals/own/transcripts"
    ),
    alpha: Annotated[float, typer.Option(min=0.0, help="Ridge penalty.")] = DEFAULT_ALPHA,
    write_model: Annotated[bool, typer.Option("--write", help="Write knowledge/judge_model.yaml.")] = False,
) -> None:
    """Fit the offline judge's stage model on labelled transcripts and print it (and write it with --write)."""
    settings = Settings()
    if "blind" in transcripts.resolve().parts:
        typer.echo("error: never fit on the blind set; it is only for checking", err=True)
        raise typer.Exit(2)
    cases, skipped = load_labelled(transcripts)
    for reason in skipped:
        typer.echo(f"skipped {reason}", err=True)
    if not cases:
        typer.echo(f"error: no labelled transcripts in {transcripts}", err=True)
        raise typer.Exit(2)
    service = build_service(settings)
    judge = service.judge if isinstance(service.judge, OfflineJudge) else None
    if judge is None:
        typer.echo("error: calibration needs the offline judge (unset INTERVIEWER_LLM_*)", err=True)
        raise typer.Exit(2)
    rows, targets = examples(judge, cases, {q.id: q for q in service.questions()})
    model = fit(rows, targets, alpha)
    typer.echo(json.dumps({"intercept": model.intercept, "weights": dict(model.weights), "n": len(rows)}, indent=2))
    if write_model:
        path = settings.knowledge_dir / "judge_model.yaml"
        write(path, model, str(transcripts), alpha, len(rows))
        typer.echo(f"wrote {path}")
