"""The interviewer task: replay recorded candidates through the interviewer and check how it behaves.

Every check is decided by the independent oracles in `evals.oracles`, never by the policy's own functions, and every
violation is reported (a reply can break several checks, and one check several times):

- `questions_answered`: a message with a question put to the interviewer (`oracles.questions_put`: not one the
  candidate goes on to discuss) gets a fact or a request to state an assumption;
- `no_unasked_fact`: no fact in reply to a message that asks nothing; at most as many facts as things asked (two per
  question, or one per comma-separated part when a question lists more);
- `choice_probed`: a design choice named for the first time gets a question about it in the reply;
- `no_rubric_leak`: no expected point or red flag repeated (any case) or restated in other words;
- `no_answering`: no sentence that recommends the design to the candidate;
- `no_repeated_line`: no interviewer sentence of six words or more said twice in one interview (a fact asked for
  again may be given again);
- `all_stages_visited`: the interview passes through all seven stages before it finishes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from interviewer.domain import STAGES, Question, Reply, Stage, Transcript
from interviewer.evals.oracles import (
    LeakFinder,
    answering_sentences,
    asks_for_assumption,
    asks_in,
    explained_choices,
    facts_given,
    is_fact,
    named_choices,
    probes_choice,
    questions_in,
    questions_put,
    requests_in,
    sentences,
    statements_in,
)
from interviewer.llm.guard import ReplyProblem
from interviewer.service import InterviewService

CLOSING = "Nothing more to add from me."
MAX_CLOSING = 40
FACTS_PER_QUESTION = 2
REPEAT_WORDS = 6
EXCERPT = 160


class Check(StrEnum):
    QUESTIONS_ANSWERED = "questions_answered"
    NO_UNASKED_FACT = "no_unasked_fact"
    CHOICE_PROBED = "choice_probed"
    NO_RUBRIC_LEAK = "no_rubric_leak"
    NO_ANSWERING = "no_answering"
    NO_REPEATED_LINE = "no_repeated_line"
    ALL_STAGES_VISITED = "all_stages_visited"


CHECKS = tuple(Check)


@dataclass(frozen=True)
class Violation:
    check: Check
    transcript: str
    message: int  # which candidate message (1-based); 0 for the interview as a whole
    detail: str
    reply: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"check": self.check.value, "transcript": self.transcript, "message": self.message,
                "detail": self.detail, "reply": self.reply[:EXCERPT]}


@dataclass
class Tally:
    """Opportunities and passes per check; every violation with where it happened."""

    passed: dict[Check, int] = field(default_factory=lambda: dict.fromkeys(CHECKS, 0))
    total: dict[Check, int] = field(default_factory=lambda: dict.fromkeys(CHECKS, 0))
    violations: list[Violation] = field(default_factory=list)
    replies: int = 0
    fallbacks: int = 0
    reasons: Counter[str] = field(default_factory=Counter)  # why the model's replies fell back, one count per reason

    def record(self, check: Check, problems: Sequence[Violation]) -> None:
        self.total[check] += 1
        self.passed[check] += not problems
        self.violations.extend(problems)

    def count(self, reply: Reply) -> None:
        self.replies += 1
        self.fallbacks += reply.notice is not None
        if reply.notice is not None:
            self.reasons.update(fallback_reasons(reply.notice))

    def rates(self) -> dict[str, float | None]:
        return {c.value: round(self.passed[c] / self.total[c], 3) if self.total[c] else None for c in CHECKS}


def fallback_reasons(notice: str) -> list[str]:
    """The checks a model's reply failed, by name, as its notice says them; "model_error" when the model failed."""
    named = [problem.name.lower() for problem in ReplyProblem if problem.value in notice]
    return named or ["model_error"]


@dataclass
class Replay:
    """One transcript being replayed: what the interviewer has said and which choices were already named."""

    transcript: str
    question: Question
    leaks: LeakFinder
    tally: Tally
    choices_named: set[str] = field(default_factory=set)
    lines_said: set[str] = field(default_factory=set)
    stages: set[Stage] = field(default_factory=lambda: {STAGES[0]})
    said: list[str] = field(default_factory=list)  # the candidate's messages so far

    def check(self, number: int, message: str, reply: str) -> None:
        """Every check that applies to this exchange, each recorded with all its violations."""
        def flag(check: Check, details: Sequence[str]) -> None:
            self.tally.record(check, [Violation(check, self.transcript, number, d, reply) for d in details])

        asked, put = questions_in(message) + requests_in(message), questions_put(message)
        given = facts_given(self.question.facts, reply)
        if put:
            answered = given or asks_for_assumption(reply)
            flag(Check.QUESTIONS_ANSWERED, [] if answered else [f"no fact and no assumption asked for: {put[0]!r}"])
        allowed = max(FACTS_PER_QUESTION * len(asked), asks_in(message))
        flag(Check.NO_UNASKED_FACT, [f"gave {len(given)} fact(s) for {len(asked)} question(s): {', '.join(given)}"]
             if len(given) > allowed else [])
        stated = " ".join(statements_in(message))
        fresh = named_choices(stated) - self.choices_named
        self.choices_named |= fresh
        unexplained = fresh - explained_choices(stated)
        if unexplained:
            probed = probes_choice(reply, message, unexplained)
            named = ", ".join(sorted(unexplained))
            flag(Check.CHOICE_PROBED, [] if probed else [f"named {named}; no question about it"])
        self.said.append(message)
        own = without_quotes_of(reply, "\n".join(self.said))  # the candidate's words quoted back: no leak, no advice
        flag(Check.NO_RUBRIC_LEAK, self.leaks.leaks(self.question, own))
        flag(Check.NO_ANSWERING, [f"recommends: {s!r}" for s in answering_sentences(own)])
        flag(Check.NO_REPEATED_LINE, self._repeats(reply))

    def _repeats(self, reply: str) -> list[str]:
        lines = [s for s in sentences(reply) if len(s.split()) >= REPEAT_WORDS and not is_fact(self.question, s)]
        repeated = [f"said again: {s!r}" for s in lines if s in self.lines_said]
        self.lines_said.update(lines)
        return repeated


_QUOTED = re.compile(r'"([^"]+)"')


def without_quotes_of(reply: str, said: str) -> str:
    """The reply with every quoted span that repeats what the candidate said word for word taken out (a quote cut
    short with a closing "..." counts when the part before it was said)."""
    def quoted_back(span: str) -> bool:
        words = span.removesuffix(" ...").rstrip(".").strip()
        return bool(words) and words in said.replace('"', "'")

    return _QUOTED.sub(lambda m: "" if quoted_back(m.group(1)) else m.group(0), reply)


def replay(service: InterviewService, transcript: Transcript, tally: Tally, leaks: LeakFinder) -> None:
    question = service.bank.get(transcript.question_id or "")
    if question is None:
        return
    session_id = service.start(question.id, transcript.level).session.id
    state = Replay(transcript.id, question, leaks, tally)
    finished = False
    messages = [m for m in transcript.candidate_turns() if m.strip()]
    for number, message in enumerate(messages, 1):
        reply = service.reply(session_id, message)
        tally.count(reply)
        state.stages.add(reply.stage)
        finished = finished or reply.finished
        state.check(number, message, reply.message)
    for _ in range(MAX_CLOSING):
        if finished:
            break
        reply = service.reply(session_id, CLOSING)
        tally.count(reply)
        state.stages.add(reply.stage)
        finished = reply.finished
    skipped = [s.value for s in STAGES if s not in state.stages]
    problems = ([f"finished without visiting {', '.join(skipped)}"] if skipped else []) + (
        [] if finished else [f"still not finished after {MAX_CLOSING} closing messages"]
    )
    tally.record(Check.ALL_STAGES_VISITED, [Violation(Check.ALL_STAGES_VISITED, transcript.id, 0, p) for p in problems])


def check_interviewer(service: InterviewService, transcripts: Sequence[Transcript], leaks: LeakFinder) -> Tally:
    """Pass counts and violations per check; `fallbacks` counts replies where the model failed."""
    tally = Tally()
    for transcript in transcripts:
        replay(service, transcript, tally, leaks)
    return tally
