"""What a session store does, whatever keeps the sessions (SQLite, PostgreSQL, a fake in a test): the protocol the
service calls, and the values and errors that cross it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from interviewer.domain import Report, Session, Turn


class SessionEnded(Exception):
    """The session has ended (or is being scored): nothing more is added to it."""


class AlreadyDone(Exception):
    """A request with this idempotency key was carried out already; `response` is what it answered."""

    def __init__(self, response: str) -> None:
        super().__init__("already done")
        self.response = response


@dataclass(frozen=True)
class RequestKey:
    """A client's idempotency key and the response to store with what its request wrote, in the same transaction."""

    key: str
    response: str


class SessionStore(Protocol):
    """Sessions and their turns. `append` and `claim_end` decide under one lock per session, so a turn is either
    stored before the end was claimed (and scored) or refused with `SessionEnded`: never added after the report."""

    def create(self, session: Session) -> None: ...

    def load(self, session_id: str) -> Session | None: ...

    def append(self, session_id: str, turns: Sequence[Turn], request: RequestKey | None = None) -> None:
        """Store the turns, in one transaction; `SessionEnded` when the session has ended, `AlreadyDone` when the
        request's key was stored before (then nothing is added)."""
        ...

    def response_for(self, session_id: str, key: str) -> str | None:
        """What the request with this key answered, if it was carried out."""
        ...

    def claim_end(self, session_id: str) -> bool:
        """Mark the session ended before it is scored; False when it had ended already (someone else claimed it)."""
        ...

    def release_end(self, session_id: str) -> None:
        """Undo a claim whose scoring failed, so the interview can go on or be ended again."""
        ...

    def finish(self, session_id: str, report: Report, request: RequestKey | None = None) -> None: ...

    def report(self, session_id: str) -> Report | None:
        """The stored report (validated as it is read); None before the session has been scored."""
        ...
