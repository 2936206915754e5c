"""The LLM-backed interviewer: the offline policy decides every move, the model phrases it in context.

Text reaches the candidate one sentence at a time, and only after that sentence passes the checks in `guard`. Any
failure (model error, timeout, a failed check) falls back to the offline move for that turn, with a notice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from interviewer.domain import WHOLE, Flow, Question, Retriever, Shape, Turn
from interviewer.events import NoticeEvent, TokenEvent
from interviewer.llm.base import (
    DEFAULT_MAX_TOKENS,
    DEFAULT_PROMPT_TOKENS,
    CallOptions,
    ChatMessage,
    ChatModel,
    ModelError,
    texts,
)
from interviewer.llm.guard import ReplyProblem, ReplyRules, check_reply, check_sentence, describe, numbers
from interviewer.llm.prompt import Counter, TurnContext, build_messages, summarise
from interviewer.policy import InterviewState, Move, OfflineInterviewer, Progress, coverage
from interviewer.text import SENTENCE_END, terms


class Rejected(Exception):
    """The model's reply failed checks; `problems` lists every one found (the message says them in words)."""

    def __init__(self, problems: list[ReplyProblem]) -> None:
        super().__init__(describe(problems))
        self.problems = problems


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LLMSettings:
    prompt_token_budget: int = DEFAULT_PROMPT_TOKENS
    max_tokens: int = DEFAULT_MAX_TOKENS


class LLMInterviewer:
    def __init__(
        self,
        offline: OfflineInterviewer,
        flow: Flow,
        chat: ChatModel,
        counter: Counter,
        *,
        settings: LLMSettings = LLMSettings(),
        retriever: Retriever | None = None,
    ) -> None:
        self._offline, self._flow, self._chat = offline, flow, chat
        self._counter, self._settings, self._retriever = counter, settings, retriever

    def opening(self, question: Question, shape: Shape = WHOLE) -> Move:
        return self._offline.opening(question, shape)

    def progress(self, question: Question, turns: Sequence[Turn], shape: Shape = WHOLE) -> Progress:
        return self._offline.progress(question, turns, shape)

    def hint(self, question: Question, turns: Sequence[Turn], shape: Shape = WHOLE) -> Move:
        return self._offline.hint(question, turns, shape)

    def prepare(self, question: Question) -> None:
        self._offline.prepare(question)

    def respond(
        self, question: Question, turns: Sequence[Turn], message: str, now: float = 0.0, shape: Shape = WHOLE
    ) -> Move:
        *_, last = self.stream(question, turns, message, now, shape)
        assert isinstance(last, Move)
        return last

    def prompt(
        self, question: Question, turns: Sequence[Turn], message: str, plan: Move, state: InterviewState | None = None
    ) -> list[ChatMessage]:
        state = state or self._offline.state(question, turns)
        titles = {stage: guide.title for stage, guide in self._flow.guides.items()}
        snippets = [p.text for p in self._retriever.search(plan.text, k=2, stage=plan.stage)] if self._retriever else []
        context = TurnContext(
            question=question,
            stage_title=titles[plan.stage],
            summary=summarise(titles, coverage(question, state.covered), state.choices_stated),
            turns=turns,
            message=message,
            plan=plan.text,
            snippets=snippets,
            follows_up=plan.follows_up,
        )
        return build_messages(context, self._counter, self._settings.prompt_token_budget)

    def stream(
        self, question: Question, turns: Sequence[Turn], message: str, now: float = 0.0, shape: Shape = WHOLE
    ) -> Iterator[TokenEvent | NoticeEvent | Move]:
        state, plan = self._offline.plan(question, turns, message, now, shape)
        rules = reply_rules(question, turns, message, plan)
        shown: list[str] = []
        try:
            for sentence in self._sentences(self.prompt(question, turns, message, plan, state)):
                problems = check_sentence(sentence, rules)
                if problems:
                    raise Rejected(problems)
                shown.append(sentence)
                yield TokenEvent(sentence)
            problems = check_reply("".join(shown), plan.text, rules)
            if problems:
                raise Rejected(problems)
        except ModelError as exc:
            log.warning("model did not answer (%s); the offline interviewer's reply was used", exc)
            yield NoticeEvent(f"The model did not answer ({exc}); this reply comes from the offline interviewer.")
            yield plan
            return
        except Rejected as exc:
            names = ", ".join(problem.name.lower() for problem in exc.problems)
            log.info("model reply not used (%s); the offline interviewer's reply was used", names)
            yield NoticeEvent(f"The model's reply was not used because {exc}; showing the offline interviewer's.")
            yield plan
            return
        yield replace(plan, text="".join(shown).strip())

    def _sentences(self, messages: list[ChatMessage]) -> Iterator[str]:
        """The streamed reply, sentence by sentence as `text.sentences` splits (a sentence ends only once what follows
        its mark has arrived, so "3." then "5 billion" stays one sentence), each with the space after it."""
        buffer = ""
        for piece in texts(self._chat.stream(messages, CallOptions(self._settings.max_tokens))):
            buffer += piece
            while (match := SENTENCE_END.search(buffer)) is not None:
                yield buffer[: match.end()]
                buffer = buffer[match.end() :]
        if buffer.strip():
            yield buffer


def reply_rules(question: Question, turns: Sequence[Turn], message: str, plan: Move) -> ReplyRules:
    """The checks' rules for this turn: what is known is the scenario, every turn, the candidate's message and the
    planned move (so the candidate's own numbers and words may be said back); the hidden material may not be, in any
    words, and a fact not yet given may not be said word for word."""
    known = " ".join([question.title, question.prompt, *(t.content for t in turns), message, plan.text])
    given = " ".join(t.content for t in turns if t.role == "interviewer") + plan.text
    hidden = tuple(h.text for h in question.hidden())
    unrevealed = tuple(f.answer for f in question.facts if f.answer not in given)
    return ReplyRules(frozenset(numbers(known)), hidden + unrevealed, hidden, terms(known), plan.follows_up)
