"""The replay task: real candidates' turns through a live session (our interviewer in the loop), then `end`.

The blind transcripts' candidate messages are sent one by one to a fresh session of the same question and level, and
the interview is ended as a candidate would end it. Where the recorded interviewer closed the interview (its last
turn asks nothing: "Okay, we're at time, thanks"), the replayed session has run out of its time from the candidate
message that closing line answered, so our interviewer calls time at the same point of the conversation (the eval's
clock otherwise stands still, and a replay would never reach the end of its time). The replayed overall score is
compared with each labeller's (Spearman), and averaged per persona (the part of the transcript id after `__`) beside
the labellers' means, so that a judge or an interviewer that stops listening shows up as personas out of order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from statistics import mean

from scipy.stats import spearmanr

from interviewer.domain import MAX_MINUTES, Transcript, TurnKind
from interviewer.evals.metrics import Rating, verdict_of_report, verdict_steps
from interviewer.evaluation import LabelledCase
from interviewer.service import InterviewService

PAST_ANY_BUDGET_S = 2 * MAX_MINUTES * 60  # how far the clock moves once the recorded interviewer closed the interview


@dataclass(frozen=True)
class Replayed:
    case: LabelledCase
    overall: float
    rating: Rating

    @property
    def persona(self) -> str:
        return self.case.transcript.id.partition("__")[2] or "unknown"

    @property
    def label_overall(self) -> float:
        return Rating.of_labels(self.case.labels).overall

    @property
    def label_b_overall(self) -> float | None:
        second = self.case.labels_b
        return None if second is None else Rating.of_labels(second).overall


def replay_case(service: InterviewService, case: LabelledCase) -> Replayed | None:
    transcript = case.transcript
    question = service.bank.get(transcript.question_id or "")
    if question is None:
        return None
    session_id = service.start(question.id, transcript.level).session.id
    start = service.clock()
    late_from = closed_at(transcript)
    for index, message in enumerate(transcript.candidate_turns()):
        if message.strip():
            late = late_from is not None and index >= late_from
            _at(service, start + PAST_ANY_BUDGET_S if late else start).reply(session_id, message)
    report = service.end(session_id)
    stages = {stage: result.score for stage, result in report.stages.items()}
    return Replayed(case, report.overall, Rating(stages, verdict_of_report(report), report.overall))


def _at(service: InterviewService, moment: float) -> InterviewService:
    """The service with its clock standing at `moment`."""
    return replace(service, clock=lambda: moment)


def closed_at(transcript: Transcript) -> int | None:
    """Which candidate message (0-based, among `candidate_turns`) the recorded interviewer answered by closing the
    interview: its last turn, when that turn asks nothing and follows a candidate message; None when the recording
    ends on a question (the interview was cut off, not closed)."""
    said = [t for t in transcript.turns if t.kind is TurnKind.MESSAGE]
    closing = max((i for i, t in enumerate(said) if t.role == "interviewer"), default=None)
    if closing is None or "?" in said[closing].content:
        return None
    before = [t for t in said[:closing] if t.role == "candidate"]
    return len(before) - 1 if before else None


def replay_all(service: InterviewService, cases: Sequence[LabelledCase]) -> list[Replayed]:
    return [done for case in cases if (done := replay_case(service, case)) is not None]


def _spearman(a: Sequence[float], b: Sequence[float]) -> float | None:
    if len(a) < 3 or len(set(a)) < 2 or len(set(b)) < 2:
        return None
    return round(float(spearmanr(a, b).statistic), 3)


def _share(hits: Sequence[bool]) -> float | None:
    return round(sum(hits) / len(hits), 3) if hits else None


def replay_metrics(runs: Sequence[Replayed]) -> dict[str, object]:
    """Spearman of the replayed overall score against each labeller; per persona, the means side by side."""
    with_b = [r for r in runs if r.label_b_overall is not None]
    personas: dict[str, dict[str, float | int]] = {}
    for name in sorted({r.persona for r in runs}):
        mine = [r for r in runs if r.persona == name]
        personas[name] = {
            "n": len(mine),
            "replayed_mean": round(mean(r.overall for r in mine), 3),
            "labels_mean": round(mean(r.label_overall for r in mine), 3),
        }
    names = list(personas)
    return {
        "n": len(runs),
        "spearman_overall": _spearman([r.label_overall for r in runs], [r.overall for r in runs]),
        "spearman_overall_b": _spearman([r.label_b_overall or 0.0 for r in with_b], [r.overall for r in with_b]),
        "verdict_exact": _share([r.rating.verdict is r.case.labels.verdict for r in runs]),
        "verdict_within_one": _share([verdict_steps(r.rating.verdict, r.case.labels.verdict) <= 1 for r in runs]),
        "personas": personas,
        "persona_spearman": _spearman(
            [float(personas[n]["labels_mean"]) for n in names], [float(personas[n]["replayed_mean"]) for n in names]
        ),
        "rows": [
            {"id": r.case.transcript.id, "persona": r.persona, "replayed": r.overall, "verdict": r.rating.verdict.value,
             "labels": r.label_overall, "labels_b": r.label_b_overall}
            for r in runs
        ],
    }


def markdown(metrics: dict[str, object]) -> str:
    personas = metrics["personas"]
    assert isinstance(personas, dict)
    lines = [
        f"{metrics['n']} transcripts replayed through live sessions, then ended",
        "",
        f"Spearman of the replayed overall score: {metrics['spearman_overall']} against labels, "
        f"{metrics['spearman_overall_b']} against labels_b; verdict exact {metrics['verdict_exact']}, "
        f"within one step {metrics['verdict_within_one']}; persona means' Spearman {metrics['persona_spearman']}",
        "",
        "| persona | n | replayed mean | labels mean |",
        "|---|---|---|---|",
    ]
    ordered = sorted(personas.items(), key=lambda kv: -kv[1]["labels_mean"])
    lines += [f"| {name} | {p['n']} | {p['replayed_mean']:.2f} | {p['labels_mean']:.2f} |" for name, p in ordered]
    return "\n".join(lines)
