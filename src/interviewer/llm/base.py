"""The chat-model seam: a small protocol every provider (and the scripted fake in tests) implements."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol


@dataclass(frozen=True)
class ChatMessage:
    role: Literal["system", "user", "assistant"]
    content: str


class ModelError(Exception):
    """The model could not answer: timeout, HTTP error, refused connection, malformed or cut-off stream."""


class ChatModel(Protocol):
    name: str

    def stream(self, messages: Sequence[ChatMessage], max_tokens: int) -> Iterator[str]:
        """Yield the reply in pieces; raise ModelError on any failure."""
        ...
