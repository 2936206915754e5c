"""`interviewer calibrate`: fit the offline judge's linear model on labelled transcripts (our own, never the blind set
or our held-out ones).

Each stage of each transcript is one example: the judge's features for it (`OfflineJudge.features`) against the mean
of the labellers' scores (not reached counts 0). A ridge regression (closed form, numpy) keeps the weights small, so
a handful of transcripts cannot swing them. Least squares pulls estimates towards the middle of the scale, so the cuts
between scores (into 3 and into 4) are then fitted for agreement (quadratic kappa) with both labellers. Stages the
judge finds nobody discussed are left out: the rules decide those. The result is written to
`knowledge/judge_model.yaml`, which the app reads. `--cv` checks a choice on questions the fit never saw: the model
alone (`cross_validated`) and the whole judge, rules included (`judged_by_question`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
import yaml

from interviewer.bootstrap import build_service
from interviewer.config import Settings
from interviewer.domain import STAGES, Question, Report
from interviewer.evals.metrics import Rating, qwk
from interviewer.evals.metrics import agreement as agreement_of
from interviewer.evaluation import LabelledCase
from interviewer.judge import ROUNDING_CUTS, JudgeModel, OfflineJudge
from interviewer.transcripts import load_labelled

DEFAULT_ALPHA = 1.0


@dataclass(frozen=True)
class Examples:
    """Per discussed stage of every case: the judge's features and each labeller's score (0 for not reached)."""

    rows: list[dict[str, float]]
    first: list[int]
    second: list[int]
    groups: list[str] = field(default_factory=list)  # per row, the question its interview is about

    def subset(self, keep: Sequence[bool]) -> Examples:
        """The rows where `keep` is true."""
        rows = [i for i, kept in enumerate(keep) if kept]
        return Examples(
            [self.rows[i] for i in rows],
            [self.first[i] for i in rows],
            [self.second[i] for i in rows],
            [self.groups[i] for i in rows],
        )

    @property
    def targets(self) -> list[float]:
        """The labellers' mean: what the linear model is fitted to."""
        return [(a + b) / 2 for a, b in zip(self.first, self.second, strict=True)]


def examples(judge: OfflineJudge, cases: Sequence[LabelledCase], questions: dict[str, Question]) -> Examples:
    rows: list[dict[str, float]] = []
    first: list[int] = []
    second_scores: list[int] = []
    groups: list[str] = []
    for case in cases:
        transcript = case.transcript
        features = judge.features(transcript, questions.get(transcript.question_id or ""))
        second = case.labels_b or case.labels
        for stage in STAGES:
            own = features.stages[stage]
            if own.sentences == 0:
                continue
            rows.append(features.values(stage, transcript.level))
            first.append(case.labels.stages.get(stage) or 0)
            second_scores.append(second.stages.get(stage) or 0)
            groups.append(transcript.question_id or transcript.id)
    return Examples(rows, first, second_scores, groups)


def fit(rows: Sequence[dict[str, float]], targets: Sequence[float], alpha: float = DEFAULT_ALPHA) -> JudgeModel:
    names = sorted(rows[0])
    x = np.array([[row[name] for name in names] for row in rows], dtype=np.float64)
    design = np.hstack([x, np.ones((len(x), 1))])
    penalty = alpha * np.eye(design.shape[1])
    penalty[-1, -1] = 0.0  # the intercept is not shrunk
    solution = np.linalg.solve(design.T @ design + penalty, design.T @ np.array(targets, dtype=np.float64))
    weights = {name: round(float(w), 4) for name, w in zip(names, solution[:-1], strict=True)}
    return JudgeModel(round(float(solution[-1]), 4), weights)


CUT_GRID = tuple(round(1.0 + 0.05 * i, 2) for i in range(61))  # 1.00, 1.05, ... 4.00


FITTED_CUTS = (1, 2)  # the cuts into 3 and into 4; the cut into 2 stays at rounding
# A cut is chosen by its agreement averaged with its neighbours' on the grid (within CUT_WINDOW), not at a single grid
# point: kappa over some 400 stages moves by a few thousandths from one grid point to the next, so the single best
# point flips with any small change to the features (a handful of sentences read again moved the cut into 4 from 3.30
# to 3.35 for 0.706 against 0.705, and cost 0.02 of blind kappa); the middle of the best stretch does not.
CUT_WINDOW = 0.05


def fit_cuts(model: JudgeModel, data: Examples, rounds: int = 3) -> JudgeModel:
    """The cuts into 3 and into 4 that maximise quadratic kappa against both labellers (pooled), averaged over each
    cut's neighbours (`CUT_WINDOW`), one at a time from plain rounding (coordinate ascent over a 0.05 grid, keeping the
    cuts in order; ties keep the cut nearer rounding).

    The cut into 2 is not fitted: a 1 is "absent or wrong" in the rubric, which the features (how much was said and
    how deeply) cannot tell from a 2 (on our own transcripts the estimates of stages labelled 1 and 2 have the same
    spread), so fitting it only moves right-but-thin answers down to 1. The rules decide a 1 (mistake caps)."""
    estimates = [model.predict(row) for row in data.rows]
    labels = data.first + data.second
    cuts = list(ROUNDING_CUTS)

    def agreement(candidate: Sequence[float]) -> float:
        trial = replace(model, cuts=(candidate[0], candidate[1], candidate[2]))
        scores = [trial.score(e) for e in estimates]
        return qwk(labels, scores + scores)

    for _ in range(rounds):
        for i in FITTED_CUTS:
            low = cuts[i - 1] if i else 0.0
            high = cuts[i + 1] if i + 1 < len(cuts) else 5.0
            options = [c for c in CUT_GRID if low < c < high]

            def smoothed(c: float, i: int = i, options: list[float] = options) -> float:
                near = [o for o in options if abs(o - c) <= CUT_WINDOW + 1e-9]
                return sum(agreement([*cuts[:i], o, *cuts[i + 1:]]) for o in near) / len(near)

            cuts[i] = max(options, key=lambda c: (smoothed(c), -abs(c - ROUNDING_CUTS[i])))
    return replace(model, cuts=(cuts[0], cuts[1], cuts[2]))


def calibrated(data: Examples, alpha: float = DEFAULT_ALPHA) -> JudgeModel:
    """The ridge fit, then its cuts: what `interviewer calibrate` writes."""
    return fit_cuts(fit(data.rows, data.targets, alpha), data)


def agreement(model: JudgeModel, data: Examples) -> tuple[float, float]:
    """Pooled quadratic kappa of the model's stage scores (before the rubric's caps) against each labeller."""
    scores = [model.score(model.predict(row)) for row in data.rows]
    return round(qwk(data.first, scores), 3), round(qwk(data.second, scores), 3)


def cross_validated(data: Examples, alpha: float = DEFAULT_ALPHA) -> tuple[float, float]:
    """`agreement`, each question's stages scored by a model calibrated without any interview about that question
    (one question left out at a time): how well a choice made on these transcripts carries over to questions it never
    saw (the blind set and the private test split are about other questions than the ones tuned on)."""
    scores = [0] * len(data.rows)
    for question in sorted(set(data.groups)):
        model = calibrated(data.subset([g != question for g in data.groups]), alpha)
        for i, group in enumerate(data.groups):
            if group == question:
                scores[i] = model.score(model.predict(data.rows[i]))
    return round(qwk(data.first, scores), 3), round(qwk(data.second, scores), 3)


def judged_by_question(
    judge: OfflineJudge,
    cases: Sequence[LabelledCase],
    questions: dict[str, Question],
    data: Examples,
    alpha: float = DEFAULT_ALPHA,
) -> dict[str, tuple[float, float]]:
    """The whole judge (its model, then the rubric's caps and verdict rules) on these cases, each question's interviews
    scored with a model calibrated without any interview about that question: pooled kappa and verdict exact against
    each labeller. What a choice made here should carry over to (the model alone is `cross_validated`)."""
    reports: dict[str, Report] = {}
    for question in sorted(set(data.groups)):
        held_out = judge.with_model(calibrated(data.subset([g != question for g in data.groups]), alpha))
        for case in cases:
            transcript = case.transcript
            if (transcript.question_id or transcript.id) == question:
                reports[transcript.id] = held_out.score(transcript, questions.get(transcript.question_id or ""))
    scored = [case for case in cases if case.transcript.id in reports]
    by_labeller = [
        agreement_of([(Rating.of_labels(labels), Rating.of_report(reports[case.transcript.id]))
                      for case, labels in zip(scored, side, strict=True)])
        for side in ([c.labels for c in scored], [c.labels_b or c.labels for c in scored])
    ]
    first, second = by_labeller
    return {key: (_number(first[key]), _number(second[key])) for key in ("pooled_qwk", "verdict_exact")}


def _number(value: object) -> float:
    assert isinstance(value, float | int), value
    return float(value)


def write(path: Path, model: JudgeModel, source: str, alpha: float, n: int) -> None:
    header = (
        "# The offline judge's stage model, written by `interviewer calibrate` (do not edit by hand).\n"
        f"# Fit on {source}: {n} discussed stages, ridge alpha {alpha}.\n"
        "# Stage estimate = intercept + sum(weight x feature); the score is 1 plus the number of cuts it\n"
        "# reaches (cuts fitted for agreement with both labellers); the rubric's caps and the verdict rules apply\n"
        "# after it (src/interviewer/judge.py).\n"
    )
    body = yaml.safe_dump(
        {"intercept": model.intercept, "weights": dict(model.weights), "cuts": list(model.cuts)}, sort_keys=True
    )
    path.write_text(header + body, encoding="utf-8")


def calibrate(  # one option per parameter is how typer declares a command
    *,
    transcripts: Annotated[
        Path, typer.Option(help="Labelled transcripts to fit on (never the blind set or evals/own/heldout).")
    ] = Path("evals/own/transcripts"),
    alpha: Annotated[float, typer.Option(min=0.0, help="Ridge penalty.")] = DEFAULT_ALPHA,
    write_model: Annotated[bool, typer.Option("--write", help="Write knowledge/judge_model.yaml.")] = False,
    by_question: Annotated[
        bool, typer.Option("--cv", help="Also print agreement cross-validated by question (one question left out).")
    ] = False,
) -> None:
    """Fit the offline judge's stage model on labelled transcripts and print it (and write it with --write)."""
    settings = Settings()
    if {"blind", "heldout"} & set(transcripts.resolve().parts):
        typer.echo("error: never fit on the blind set or our held-out interviews; they are only for checking", err=True)
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
    questions = {q.id: q for q in service.questions()}
    data = examples(judge, cases, questions)
    model = calibrated(data, alpha)
    fitted = {"intercept": model.intercept, "weights": dict(model.weights), "cuts": list(model.cuts)}
    typer.echo(json.dumps({**fitted, "n": len(data.rows)}, indent=2))
    if by_question:
        pooled = {"fit": agreement(model, data), "by_question": cross_validated(data, alpha)}
        typer.echo(json.dumps({"pooled_qwk": pooled}))
        typer.echo(json.dumps({"judge_by_question": judged_by_question(judge, cases, questions, data, alpha)}))
    if write_model:
        path = settings.knowledge_dir / "judge_model.yaml"
        write(path, model, str(transcripts), alpha, len(data.rows))
        typer.echo(f"wrote {path}")
