from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from interviewer.domain import Question, Turn
from interviewer.evals.behaviour import CHECKS, check_interviewer
from interviewer.evals.gates import load_gates
from interviewer.events import NoticeEvent, TokenEvent
from interviewer.policy import Move, OfflineInterviewer, Progress
from interviewer.questions import QuestionBank
from interviewer.service import InterviewService
from interviewer.transcripts import load_labelled

EVALS = Path(__file__).resolve().parents[1] / "evals"


class LeakyInterviewer:
    """Everything a bad interviewer does: gives the design away, leaks the rubric, never probes, stays in one stage."""

    def __init__(self, offline: OfflineInterviewer) -> None:
        self._offline = offline

    def opening(self, question: Question) -> Move:
        return self._offline.opening(question)

    def progress(self, question: Question, turns: Sequence[Turn], minutes: float | None = None) -> Progress:
        return self._offline.progress(question, turns, minutes)

    def hint(self, question: Question, turns: Sequence[Turn], minutes: float | None = None) -> Move:
        return self._offline.hint(question, turns, minutes)

    def respond(
        self, question: Question, turns: Sequence[Turn], message: str, now: float = 0.0, minutes: float | None = None
    ) -> Move:
        plan = self._offline.opening(question)
        leak = question.expected[0].summary
        return replace(plan, text=f"You should use gradient boosted trees. The rubric wants: {leak}.")

    def stream(
        self, question: Question, turns: Sequence[Turn], message: str, now: float = 0.0, minutes: float | None = None
    ) -> Iterator[TokenEvent | NoticeEvent | Move]:
        yield self.respond(question, turns, message, now, minutes)


def _transcripts() -> list:
    cases, _ = load_labelled(EVALS / "transcripts")
    return [c.transcript for c in cases]


def test_the_offline_interviewer_passes_every_behaviour_check(service: InterviewService) -> None:
    rates = check_interviewer(service, _transcripts()).rates()
    gate = load_gates(EVALS / "gates.toml")["interviewer"]["min_rate"]
    assert set(rates) == set(CHECKS)
    assert all(rate is not None and rate >= gate for rate in rates.values()), rates


def test_a_bad_interviewer_fails_every_check(service: InterviewService, bank: QuestionBank) -> None:
    bad = replace(service, interviewer=LeakyInterviewer(OfflineInterviewer(bank.flow, bank.probes)))
    rates = check_interviewer(bad, _transcripts()[:12]).rates()
    assert all(rate is not None and rate < 0.5 for rate in rates.values()), rates
