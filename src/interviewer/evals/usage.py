"""Tokens and latency per turn, whatever the backend: wrappers around the model, the interviewer and the judge.

A turn is one interviewer reply (or hint) or one transcript scored. Model calls are counted separately: a turn makes
none offline and one or more with a model. A call's tokens are the server's counts when it sends them (`Finished`),
else estimated with the same tiktoken encoding as the prompt budget; the summary says which (`token_counts`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import numpy as np

from interviewer.domain import WHOLE, Question, Report, Shape, Transcript, Turn
from interviewer.events import NoticeEvent, TokenEvent
from interviewer.judge import Judge
from interviewer.llm.base import CallOptions, ChatMessage, ChatModel, Finished, ModelEvent, TextDelta
from interviewer.policy import Interviewer, Move, Progress
from interviewer.service import InterviewService


@dataclass(frozen=True)
class ModelCall:
    prompt_tokens: int
    completion_tokens: int
    latency_ms: float
    first_token_ms: float | None
    counted_by_server: bool = False  # the tokens are the server's counts, not tiktoken's estimate


@dataclass
class Meter:
    count_tokens: Callable[[str], int]
    replies_ms: list[float] = field(default_factory=list)
    scores_ms: list[float] = field(default_factory=list)
    calls: list[ModelCall] = field(default_factory=list)

    def summary(self, backend: str) -> dict[str, object]:
        turns = max(len(self.replies_ms) + len(self.scores_ms), 1)
        first = [c.first_token_ms for c in self.calls if c.first_token_ms is not None]
        return {
            "backend": backend,
            "replies": len(self.replies_ms),
            "scored": len(self.scores_ms),
            "model_calls": len(self.calls),
            "prompt_tokens_per_turn": round(sum(c.prompt_tokens for c in self.calls) / turns, 1),
            "completion_tokens_per_turn": round(sum(c.completion_tokens for c in self.calls) / turns, 1),
            "token_counts": _counted_by(self.calls),
            "reply_latency_ms": percentiles(self.replies_ms),
            "score_latency_ms": percentiles(self.scores_ms),
            "model_latency_ms": percentiles([c.latency_ms for c in self.calls]),
            "first_token_ms": percentiles(first),
        }


def _counted_by(calls: Sequence[ModelCall]) -> str | None:
    """"server", "estimated" (tiktoken), "mixed", or None without calls."""
    kinds = {"server" if c.counted_by_server else "estimated" for c in calls}
    return None if not kinds else (kinds.pop() if len(kinds) == 1 else "mixed")


def percentiles(values: Sequence[float]) -> dict[str, float] | None:
    if not values:
        return None
    p50, p95 = np.percentile(values, [50, 95])
    return {"p50": round(float(p50), 2), "p95": round(float(p95), 2), "max": round(max(values), 2)}


def _ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000


@contextmanager
def timed(samples: list[float]) -> Iterator[None]:
    """Appends the block's wall time in ms to `samples`, whether it returns or raises."""
    start = time.perf_counter()
    try:
        yield
    finally:
        samples.append(_ms_since(start))


class MeteredChat:
    def __init__(self, inner: ChatModel, meter: Meter) -> None:
        self.name = inner.name
        self._inner = inner
        self._meter = meter

    def stream(self, messages: Sequence[ChatMessage], options: CallOptions) -> Iterator[ModelEvent]:
        start, first, pieces = time.perf_counter(), None, []
        finished: Finished | None = None
        try:
            for event in self._inner.stream(messages, options):
                if isinstance(event, TextDelta):
                    first = first if first is not None else _ms_since(start)
                    pieces.append(event.text)
                else:
                    finished = event
                yield event
        finally:
            self._meter.calls.append(self._call(messages, pieces, finished, start, first))

    def _call(
        self, messages: Sequence[ChatMessage], pieces: list[str], finished: Finished | None, start: float,
        first: float | None,
    ) -> ModelCall:
        latency = _ms_since(start)
        if finished is not None and finished.usage is not None:
            usage = finished.usage
            return ModelCall(usage.prompt_tokens, usage.completion_tokens, latency, first, counted_by_server=True)
        prompt = sum(self._meter.count_tokens(m.content) for m in messages)
        return ModelCall(prompt, self._meter.count_tokens("".join(pieces)), latency, first)


class MeteredInterviewer:
    def __init__(self, inner: Interviewer, meter: Meter) -> None:
        self._inner = inner
        self._meter = meter

    def opening(self, question: Question, shape: Shape = WHOLE) -> Move:
        return self._inner.opening(question, shape)

    def progress(self, question: Question, turns: Sequence[Turn], shape: Shape = WHOLE) -> Progress:
        return self._inner.progress(question, turns, shape)

    def respond(
        self, question: Question, turns: Sequence[Turn], message: str, now: float = 0.0, shape: Shape = WHOLE
    ) -> Move:
        with timed(self._meter.replies_ms):
            return self._inner.respond(question, turns, message, now, shape)

    def stream(
        self, question: Question, turns: Sequence[Turn], message: str, now: float = 0.0, shape: Shape = WHOLE
    ) -> Iterator[TokenEvent | NoticeEvent | Move]:
        with timed(self._meter.replies_ms):
            yield from self._inner.stream(question, turns, message, now, shape)

    def hint(self, question: Question, turns: Sequence[Turn], shape: Shape = WHOLE) -> Move:
        with timed(self._meter.replies_ms):
            return self._inner.hint(question, turns, shape)

    def prepare(self, question: Question) -> None:
        self._inner.prepare(question)


class MeteredJudge:
    def __init__(self, inner: Judge, meter: Meter) -> None:
        self._inner = inner
        self._meter = meter

    def score(self, transcript: Transcript, question: Question | None) -> Report:
        with timed(self._meter.scores_ms):
            return self._inner.score(transcript, question)

    def prepare(self, question: Question) -> None:
        self._inner.prepare(question)


def metered(service: InterviewService, meter: Meter) -> InterviewService:
    """The same service with its interviewer and judge timed per turn (its models are wrapped at build time)."""
    return replace(
        service, interviewer=MeteredInterviewer(service.interviewer, meter), judge=MeteredJudge(service.judge, meter)
    )
