"""Typed events an interviewer streams while it composes a reply (the final item of a stream is the Move)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TokenEvent:
    """Text the candidate may already see: it has passed the reply checks."""

    text: str


@dataclass(frozen=True)
class NoticeEvent:
    """Something the candidate should know, such as a fallback to the offline interviewer."""

    text: str
