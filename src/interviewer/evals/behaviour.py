"""The interviewer task: replay recorded candidates through the interviewer and check how it behaves.

Checks (a pass rate each): clarifying questions get the fact sheet's answer (or 'state an assumption') every time;
each stated design choice gets a trade-off probe (or the interviewer's own clarifying question) in the next reply;
no reply leaks the rubric; no reply answers the design for the candidate; every stage is visited before the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from interviewer.domain import STAGES, ProbeBook, Question, Stage, Transcript
from interviewer.llm.guard import check_sentence
from interviewer.policy import ASSUMPTION_REPLY, find_facts, split_message, stated_choices
from interviewer.service import InterviewService, Reply

CLOSING = "Nothing more to add from me."
MAX_CLOSING = 40
ANSWERING = "it started answering the design for the candidate"
CHECKS = ("facts_consistent", "choice_probed", "no_rubric_leak", "no_answering", "all_stages_visited")


@dataclass
class Tally:
    passed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHECKS, 0))
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHECKS, 0))
    replies: int = 0
    fallbacks: int = 0

    def record(self, check: str, ok: bool) -> None:
        self.total[check] += 1
        self.passed[check] += int(ok)

    def count(self, reply: Reply) -> None:
        self.replies += 1
        self.fallbacks += reply.notice is not None

    def rates(self) -> dict[str, float | None]:
        return {c: round(self.passed[c] / self.total[c], 3) if self.total[c] else None for c in CHECKS}


def _secrets(question: Question) -> list[str]:
    return [p.summary for p in question.expected] + [r.explanation for r in question.red_flags]


def _check_reply(
    tally: Tally, question: Question, probes: ProbeBook, exchange: tuple[str, str], seen: set[str]
) -> None:
    """`exchange`: (candidate message, interviewer reply). `seen`: choices stated earlier, already probed once."""
    message, reply = exchange
    asked, statement = split_message(message)
    for sentence in asked:
        facts = find_facts(question, sentence)
        expected = [f.answer for f in facts] or [ASSUMPTION_REPLY]
        tally.record("facts_consistent", any(answer in reply for answer in expected))
    new_choices = set(stated_choices(probes, statement)) - seen if statement else set()
    if new_choices:
        asks = [c.probe for c in probes.choices] + [a.ask for a in probes.ambiguities]
        tally.record("choice_probed", any(ask in reply for ask in asks))
    seen |= new_choices
    tally.record("no_rubric_leak", not any(secret in reply for secret in _secrets(question)))
    tally.record("no_answering", check_sentence(reply, set(), []) != ANSWERING)


def replay(service: InterviewService, transcript: Transcript, tally: Tally) -> None:
    question = service.bank.get(transcript.question_id or "")
    if question is None:
        return
    session_id = service.start(question.id, transcript.level).session.id
    visited: set[Stage] = {STAGES[0]}
    seen: set[str] = set()
    finished = False
    for message in transcript.candidate_turns():
        if not message.strip():
            continue
        reply = service.reply(session_id, message)
        tally.count(reply)
        visited.add(reply.stage)
        finished = reply.finished
        _check_reply(tally, question, service.bank.probes, (message, reply.message), seen)
    for _ in range(MAX_CLOSING):
        if finished:
            break
        reply = service.reply(session_id, CLOSING)
        tally.count(reply)
        visited.add(reply.stage)
        finished = reply.finished
    progress = service.progress(service.session(session_id))
    skipped_only_if_covered = all(s in visited or progress.coverage[s] >= 1.0 for s in STAGES)
    tally.record("all_stages_visited", progress.finished and skipped_only_if_covered)


def check_interviewer(service: InterviewService, transcripts: Sequence[Transcript]) -> Tally:
    """Pass counts per check; `fallbacks` counts replies where the model failed and the offline move was used."""
    tally = Tally()
    for transcript in transcripts:
        replay(service, transcript, tally)
    return tally
