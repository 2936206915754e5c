"""Progress across attempts: each stage's scores over time, its current level, the weakest stages, and what to drill.

Pure: it reads finished sessions and their reports (`Attempt`) and nothing else; which sessions are this candidate's
is the caller's business (a browser's own session ids, or the CLI's profile). A stage not reached in an attempt is not
an attempt at that stage, so a stage drill counts for its own stage only (and, giving no verdict, not in the verdicts).
The level of a stage is the mean of its last `RECENT_ATTEMPTS` scores. A stage comes up for practice again on a
widening schedule (`REVIEW_DAYS`): right away while its last score is under `GOOD_SCORE`, else 1, 3, 7 and then 14
days after its last attempt, by how many good attempts in a row it has.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from interviewer.domain import STAGES, Report, Session, Stage, Verdict

RECENT_ATTEMPTS = 3
GOOD_SCORE = 3
REVIEW_DAYS = (1, 3, 7, 14)
DAY_S = 86_400.0
WEAKEST = 2  # how many stages the view names as the weakest
MAX_SESSIONS = 500  # the most sessions progress is asked for at once, and the most the CLI profile keeps


@dataclass(frozen=True)
class Attempt:
    """A finished session with its report."""

    session: Session
    report: Report


@dataclass(frozen=True)
class StagePoint:
    session_id: str
    at: float
    score: int


@dataclass(frozen=True)
class VerdictPoint:
    session_id: str
    at: float
    verdict: Verdict


@dataclass(frozen=True)
class Drill:
    stage: Stage
    due: float  # when it is due (epoch seconds); at or before now: due now


@dataclass(frozen=True)
class PracticeProgress:
    stages: Mapping[Stage, tuple[StagePoint, ...]]  # every stage, oldest first (empty: never reached)
    level: Mapping[Stage, float]  # only stages with at least one score
    weakest: tuple[Stage, ...]
    verdicts: tuple[VerdictPoint, ...]  # whole interviews only: a drill gives no verdict
    next_drill: Drill | None
    sessions: tuple[str, ...] = ()  # every finished session counted, interviews and drills, oldest first
    drills: int = 0  # how many of them were stage drills

    @property
    def attempts(self) -> int:
        return len(self.sessions)


def practice_progress(attempts: Iterable[Attempt], now: float) -> PracticeProgress:
    """The progress over finished sessions (others are ignored), in the order they were held."""
    done = sorted((a for a in attempts if a.session.ended), key=lambda a: (a.session.created_at, a.session.id))
    stages = {
        stage: tuple(
            StagePoint(a.session.id, a.session.created_at, score)
            for a in done
            if (score := a.report.scores().get(stage)) is not None
        )
        for stage in STAGES
    }
    level = {stage: _level(points) for stage, points in stages.items() if points}
    weakest = tuple(sorted(level, key=lambda s: (level[s], STAGES.index(s)))[:WEAKEST])
    verdicts = tuple(
        VerdictPoint(a.session.id, a.session.created_at, a.report.verdict) for a in done if a.report.verdict is not None
    )
    drills = sum(a.report.drill is not None for a in done)
    sessions = tuple(a.session.id for a in done)
    return PracticeProgress(stages, level, weakest, verdicts, next_drill(stages, level, now), sessions, drills)


def _level(points: Sequence[StagePoint]) -> float:
    recent = [p.score for p in points[-RECENT_ATTEMPTS:]]
    return round(sum(recent) / len(recent), 2)


def due_at(points: Sequence[StagePoint], now: float) -> float:
    """When the stage should be practised again: now after a weak last score, else a widening interval after it."""
    if not points or points[-1].score < GOOD_SCORE:
        return now
    streak = 0
    for point in reversed(points):
        if point.score < GOOD_SCORE:
            break
        streak += 1
    days = REVIEW_DAYS[min(streak, len(REVIEW_DAYS)) - 1]
    return points[-1].at + days * DAY_S


def next_drill(
    stages: Mapping[Stage, Sequence[StagePoint]], level: Mapping[Stage, float], now: float
) -> Drill | None:
    """Of the stages due now, the weakest; when none is due, the one due soonest. None before any attempt."""
    practised = [stage for stage in STAGES if stages[stage]]
    if not practised:
        return None
    due = {stage: due_at(stages[stage], now) for stage in practised}
    ready = [stage for stage in practised if due[stage] <= now]
    if ready:
        stage = min(ready, key=lambda s: (level[s], STAGES.index(s)))
    else:
        stage = min(practised, key=lambda s: (due[s], level[s]))
    return Drill(stage, due[stage])
