"""Deterministic simulated candidates, built from each question's expected points, run through whole interviews.

A regression test of the judge's scoring rules, not evidence: built from the cue lists, they pass by construction.

strong: every point of the stage the interviewer is on, with a reason and a number. average: the stage's first
point with a reason. weak: the first point named, no reason. bluffer: buzzword lists, naming a real point only every
other stage. silent: 'not sure'. Their overall scores must come out in that order on every question (ties
allowed below average).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from interviewer.domain import STAGES, Question, Stage
from interviewer.service import InterviewService

MAX_MESSAGES = 40
PERSONAS = ("strong", "average", "weak", "bluffer", "silent")
BUZZWORDS = "Kubernetes, microservices, big data, blockchain, synergy"
Persona = Callable[[Question, Stage, int], str]


def strong(question: Question, stage: Stage, turn: int) -> str:
    points = question.points_for(stage)
    said = [
        f"I would make {p.cues[0]} an explicit part of the design, because it decides whether this works at about "
        f"{10 * (i + 2)} percent of peak load."
        for i, p in enumerate(points)
    ]
    return " ".join([*said, "That trade-off is worth it because it keeps p99 latency under 100 ms."])


def average(question: Question, stage: Stage, turn: int) -> str:
    first = question.points_for(stage)[0]
    return f"I think {first.cues[0]} matters most here, because the rest depends on getting it right."


def weak(question: Question, stage: Stage, turn: int) -> str:
    return f"Maybe {question.points_for(stage)[0].cues[0]}."


def bluffer(question: Question, stage: Stage, turn: int) -> str:
    real = f", {question.points_for(stage)[0].cues[0]}" if STAGES.index(stage) % 2 == 0 else ""
    return f"{BUZZWORDS}{real}."


def silent(question: Question, stage: Stage, turn: int) -> str:
    return "Not sure."


CANDIDATES: dict[str, Persona] = {
    "strong": strong, "average": average, "weak": weak, "bluffer": bluffer, "silent": silent,
}


@dataclass(frozen=True)
class SimulatedRun:
    question_id: str
    overall: dict[str, float]

    @property
    def ordered(self) -> bool:
        """strong > average > each of the rest, and weak >= bluffer >= silent: a one-word answer, a buzzword list and
        silence all say nothing, so the judge may score them alike."""
        strong, average, *rest = (self.overall[p] for p in PERSONAS)
        return strong > average > max(rest) and all(a >= b for a, b in pairwise(rest))


def interview(service: InterviewService, question: Question, persona: Persona) -> float:
    """One whole interview; the candidate answers whatever stage the interviewer is on."""
    started = service.start(question.id)
    stage = started.session.turns[-1].stage or STAGES[0]
    for turn in range(MAX_MESSAGES):
        reply = service.reply(started.session.id, persona(question, stage, turn))
        stage = reply.stage
        if reply.finished:
            break
    return service.end(started.session.id).overall


def simulate(service: InterviewService, questions: Sequence[Question]) -> list[SimulatedRun]:
    return [
        SimulatedRun(q.id, {name: interview(service, q, CANDIDATES[name]) for name in PERSONAS}) for q in questions
    ]


def order_rate(runs: Sequence[SimulatedRun]) -> float:
    return sum(run.ordered for run in runs) / len(runs) if runs else 0.0
