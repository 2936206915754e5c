"""The offline interviewer: a deterministic policy that needs no model.

State is never stored separately: `OfflineInterviewer.state` folds the stored turns back into an
`InterviewState`, so a resumed session continues exactly where it stopped. An LLM-backed interviewer
implements the same `Interviewer` protocol.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from interviewer.domain import STAGES, ExpectedPoint, Fact, Flow, Question, Stage, Turn, TurnKind
from interviewer.text import best_cue_size, is_question, matches_any, sentences, terms

MAX_TURNS_PER_STAGE = 3
ASSUMPTION_REPLY = "That isn't something I can pin down for you, so it's your call: state an assumption and keep going."
FINISHED_REPLY = (
    "We have been through every part of the design. Add anything you want, or end the interview to get your feedback."
)
_ACKS = ("Okay.", "Got it.", "Understood.", "Thanks.")


@dataclass(frozen=True)
class InterviewState:
    stage: Stage = Stage.PROBLEM_FORMULATION
    covered: frozenset[str] = frozenset()
    probed: frozenset[str] = frozenset()
    stage_turns: int = 0
    answered: int = 0
    finished: bool = False


@dataclass(frozen=True)
class Move:
    """What the interviewer says next, and where the interview stands after it."""

    text: str
    stage: Stage
    kind: TurnKind
    coverage: Mapping[Stage, float]
    finished: bool = False


@dataclass(frozen=True)
class Progress:
    stage: Stage
    coverage: Mapping[Stage, float]
    finished: bool = False


class Interviewer(Protocol):
    def opening(self, question: Question) -> Move: ...

    def progress(self, question: Question, turns: Sequence[Turn]) -> Progress: ...

    def respond(self, question: Question, turns: Sequence[Turn], message: str) -> Move: ...

    def hint(self, question: Question, turns: Sequence[Turn]) -> Move: ...


def covered_points(question: Question, text: str) -> frozenset[str]:
    """Ids of the question's expected points that some sentence of `text` states."""
    found: set[str] = set()
    for sentence in sentences(text):
        sentence_terms = terms(sentence)
        found.update(p.id for p in question.expected if matches_any(sentence_terms, p.cues))
    return frozenset(found)


def coverage(question: Question, covered: frozenset[str]) -> dict[Stage, float]:
    result: dict[Stage, float] = {}
    for stage in STAGES:
        points = question.points_for(stage)
        result[stage] = round(sum(p.id in covered for p in points) / len(points), 3) if points else 0.0
    return result


def find_facts(question: Question, asked: str) -> tuple[Fact, ...]:
    """The facts a clarifying question asks for: the most specific cue match, ties kept in sheet order."""
    asked_terms = terms(asked)
    sizes = [(best_cue_size(asked_terms, f.cues), f) for f in question.facts]
    best = max((size for size, _ in sizes), default=0)
    return tuple(f for size, f in sizes if size and size == best)


def split_message(message: str) -> tuple[list[str], str]:
    """(clarifying questions, the statement part) of a candidate message."""
    parts = sentences(message)
    questions = [s for s in parts if is_question(s)]
    statement = " ".join(s for s in parts if not is_question(s))
    return questions, statement


class OfflineInterviewer:
    def __init__(self, flow: Flow) -> None:
        self._flow = flow

    def opening(self, question: Question) -> Move:
        text = (
            f"Welcome. Today's question: **{question.title}**.\n\n{question.prompt}\n\n"
            "Ask me any clarifying questions you need, then walk me through your design. "
            f"{self._flow.guide(Stage.PROBLEM_FORMULATION).opener}"
        )
        return Move(text, Stage.PROBLEM_FORMULATION, TurnKind.MESSAGE, coverage(question, frozenset()))

    def progress(self, question: Question, turns: Sequence[Turn]) -> Progress:
        state = self.state(question, turns)
        return Progress(state.stage, coverage(question, state.covered), state.finished)

    def respond(self, question: Question, turns: Sequence[Turn], message: str) -> Move:
        state = self.state(question, turns)
        new_state, text = self.advance(question, state, message)
        return Move(text, new_state.stage, TurnKind.MESSAGE, coverage(question, new_state.covered), new_state.finished)

    def hint(self, question: Question, turns: Sequence[Turn]) -> Move:
        state = self.state(question, turns)
        taken = sum(1 for t in turns if t.kind is TurnKind.HINT and t.stage is state.stage)
        hints = self._flow.guide(state.stage).hints
        text = f"Hint: {hints[taken % len(hints)]}"
        return Move(text, state.stage, TurnKind.HINT, coverage(question, state.covered), state.finished)

    def state(self, question: Question, turns: Sequence[Turn]) -> InterviewState:
        """Rebuild the interview state from the stored turns: candidate messages drive every change."""
        state = InterviewState()
        for turn in turns:
            if turn.role == "candidate" and turn.kind is TurnKind.MESSAGE:
                state, _ = self.advance(question, state, turn.content)
        return state

    def advance(self, question: Question, state: InterviewState, message: str) -> tuple[InterviewState, str]:
        """One candidate message in, the new state and the interviewer's reply out."""
        asked, statement = split_message(message)
        answers = self._answers(question, asked)
        if not statement:
            return state, " ".join(answers) or ASSUMPTION_REPLY
        state = replace(
            state,
            covered=state.covered | covered_points(question, statement),
            stage_turns=state.stage_turns + 1,
            answered=state.answered + 1,
        )
        state, follow_up = self._follow_up(question, state)
        return state, " ".join([*answers, follow_up])

    def _answers(self, question: Question, asked: list[str]) -> list[str]:
        replies: list[str] = []
        for sentence in asked:
            facts = find_facts(question, sentence)
            texts = [f.answer for f in facts] or [ASSUMPTION_REPLY]
            replies.extend(t for t in texts if t not in replies)
        return replies

    def _follow_up(self, question: Question, state: InterviewState) -> tuple[InterviewState, str]:
        """Probe each open point of the stage once, then move on; a fully covered stage moves on at once."""
        if state.finished:
            return state, FINISHED_REPLY
        stage_cov = coverage(question, state.covered)
        if stage_cov[state.stage] < 1.0 and state.stage_turns < MAX_TURNS_PER_STAGE:
            probe = self._next_probe(question, state)
            if probe is not None:
                return replace(state, probed=state.probed | {probe.id}), probe.probe
        return self._move_on(state, stage_cov)

    def _next_probe(self, question: Question, state: InterviewState) -> ExpectedPoint | None:
        open_points = [
            p for p in question.points_for(state.stage) if p.id not in state.covered and p.id not in state.probed
        ]
        return open_points[0] if open_points else None

    def _move_on(self, state: InterviewState, stage_cov: Mapping[Stage, float]) -> tuple[InterviewState, str]:
        later = STAGES[STAGES.index(state.stage) + 1 :]
        upcoming = [s for s in later if stage_cov[s] < 1.0]
        ack = _ACKS[state.answered % len(_ACKS)]
        if not upcoming:
            return replace(state, finished=True), f"{ack} {FINISHED_REPLY}"
        nxt = upcoming[0]
        return replace(state, stage=nxt, stage_turns=0), f"{ack} Let's move on. {self._flow.guide(nxt).opener}"

