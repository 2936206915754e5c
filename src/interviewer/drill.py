"""Stage drills: a short interview on one stage of the flow, the stages before it given as settled.

Pure. A drill opens with the question, what the earlier stages settled (the question's expected points for them,
which the candidate accepts as the premise rather than works out) and the drilled stage's own opener; the policy then
asks only about that stage (`policy.InterviewState.drill`), and its report keeps that stage's score alone
(`drill_report`): no overall verdict, and no other stage counted as an attempt in progress. A drill is held on a
question the candidate has not used lately (`fresh_questions`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from interviewer.domain import STAGES, Flow, Question, Report, Stage, StageScore

RECENT_QUESTIONS = 3  # a drill avoids the questions of the candidate's last this many sessions


def earlier_stages(stage: Stage) -> tuple[Stage, ...]:
    return STAGES[: STAGES.index(stage)]


def given_points(question: Question, stage: Stage) -> frozenset[str]:
    """The expected points a drill of `stage` gives as settled: those of every earlier stage."""
    return frozenset(p.id for p in question.expected if p.stage in earlier_stages(stage))


def drill_opening(question: Question, flow: Flow, stage: Stage, minutes: float) -> str:
    """The first message: the drill and its question, the earlier stages as settled, then the stage's opener."""
    title = flow.guide(stage).title
    settled = [
        f"- **{flow.guide(earlier).title}:** " + "; ".join(_in_list(p.summary, i) for i, p in enumerate(
            question.points_for(earlier))) + "."
        for earlier in earlier_stages(stage)
        if question.points_for(earlier)
    ]
    premise = (
        ["Take these as settled, so we can spend the time on this one stage:", "", *settled]
        if settled
        else ["Nothing is settled yet: framing the problem is the whole drill."]
    )
    return "\n".join(
        [
            f"Welcome. This is a stage drill on **{title}**, about {minutes:g} minutes, for the question "
            f"**{question.title}**.",
            "",
            question.prompt,
            "",
            *premise,
            "",
            f"Ask me any clarifying questions you need. {flow.guide(stage).opener}",
        ]
    )


def _in_list(summary: str, place: int) -> str:
    """A point's summary as the `place`-th item of a sentence: lower-cased after the first, unless an acronym leads."""
    if place == 0 or summary[:2].isupper():
        return summary
    return summary[:1].lower() + summary[1:]


def drill_report(report: Report, stage: Stage) -> Report:
    """The judge's report cut down to the drilled stage: its score, evidence and gaps; every other stage not reached;
    the overall is that stage's estimate; no verdict; only the notes for that stage stay (the red flags all do: the
    candidate said them in the drill)."""
    kept = report.stages[stage]
    estimate = kept.score if kept.estimate is None or kept.score is None else kept.estimate
    return replace(
        report,
        stages={s: kept if s is stage else StageScore(None) for s in STAGES},
        overall=round(float(estimate or 0), 2),
        verdict=None,
        verdict_reason="",
        citations=tuple(c for c in report.citations if c.stage is stage),
        drill=stage,
    )


def fresh_questions(questions: Sequence[Question], recent_ids: Sequence[str]) -> tuple[Question, ...]:
    """The questions not among `recent_ids` (the candidate's latest sessions' questions, newest first, of which the
    first `RECENT_QUESTIONS` count); all of them when that would leave none."""
    recent = set(recent_ids[:RECENT_QUESTIONS])
    fresh = tuple(q for q in questions if q.id not in recent)
    return fresh or tuple(questions)
