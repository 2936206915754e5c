"""Typed events streamed while a reply is composed. An interviewer streams `TokenEvent`s and `NoticeEvent`s and ends
with its Move; the service streams `ServiceEvent`s, ending with a `ReplyEvent` once both turns are stored."""

from __future__ import annotations

from dataclasses import dataclass

from interviewer.domain import Reply, Stage


@dataclass(frozen=True)
class TokenEvent:
    """Text the candidate may already see: it has passed the reply checks."""

    text: str


@dataclass(frozen=True)
class NoticeEvent:
    """Something the candidate should know, such as a fallback to the offline interviewer."""

    text: str


@dataclass(frozen=True)
class StageChangedEvent:
    """The interview moved on to another stage with this reply."""

    stage: Stage


@dataclass(frozen=True)
class ReplyEvent:
    """The last event of a turn: the reply, with both turns stored."""

    reply: Reply


ServiceEvent = TokenEvent | NoticeEvent | StageChangedEvent | ReplyEvent
