"""The chat-model seam: a small protocol every provider (and the scripted fake in tests) implements."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

DEFAULT_MAX_TOKENS = 160  # per interviewer reply (INTERVIEWER_LLM_MAX_TOKENS)
DEFAULT_PROMPT_TOKENS = 3000  # the prompt's budget (INTERVIEWER_PROMPT_TOKEN_BUDGET)


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
