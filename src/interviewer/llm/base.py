"""The chat-model seam: a small protocol every provider (and the scripted fake in tests) implements.

One call, `stream(messages, options)`, with the settings of that call (`CallOptions`), yields the reply as `TextDelta`s
and ends with one `Finished`: why the model stopped and, when the server sends it, how many tokens it counted. Any
failure is a `ModelError` of a kind a caller can act on (wait and retry after a rate limit, report a timeout).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

DEFAULT_MAX_TOKENS = 160  # per interviewer reply (INTERVIEWER_LLM_MAX_TOKENS)
DEFAULT_PROMPT_TOKENS = 3000  # the prompt's budget (INTERVIEWER_PROMPT_TOKEN_BUDGET)
BUNDLED_MODEL = "smollm2-135m-instruct"  # the name `--local-model` serves SmolLM2 under (llama-cpp-python's server)
# How a server is asked for JSON of a schema: OpenAI's response format, or llama-cpp-python's, which makes a grammar.
StructuredOutput = Literal["json_schema", "json_object"]


@dataclass(frozen=True)
class ChatMessage:
    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class ResponseSchema:
    """The JSON the reply must be: a name and a JSON schema. A server that supports structured output is held to it
    (OpenAI's `json_schema` response format; llama.cpp turns it into a grammar, so every reply parses)."""

    name: str
    schema: Mapping[str, object]


@dataclass(frozen=True)
class CallOptions:
    """The settings of one call. `temperature` None keeps the client's own; `response_schema` asks for JSON."""

    max_tokens: int = DEFAULT_MAX_TOKENS
    temperature: float | None = None
    response_schema: ResponseSchema | None = None


@dataclass(frozen=True)
class Usage:
    """Tokens as the server counted them."""

    prompt_tokens: int
    completion_tokens: int


@dataclass(frozen=True)
class TextDelta:
    """The next piece of the reply."""

    text: str


@dataclass(frozen=True)
class Finished:
    """The last event of a call: why the model stopped ("stop", "length", ...; None when the server did not say) and
    the server's token counts (None when it sent none)."""

    reason: str | None = None
    usage: Usage | None = None


ModelEvent = TextDelta | Finished


class ModelError(Exception):
    """The model could not answer. The subclasses say why; the message never holds a key or the prompt."""


class ModelTimeout(ModelError):
    def __init__(self) -> None:
        super().__init__("timed out")


class ModelUnreachable(ModelError):
    def __init__(self) -> None:
        super().__init__("could not connect")


class RateLimited(ModelError):
    """HTTP 429; `retry_after_s` is the server's Retry-After (None when it gave none)."""

    def __init__(self, retry_after_s: float | None) -> None:
        after = "" if retry_after_s is None else f", retry after {retry_after_s:g} s"
        super().__init__(f"rate limited (HTTP 429{after})")
        self.retry_after_s = retry_after_s


class ModelHTTPError(ModelError):
    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


class MalformedResponse(ModelError):
    """What the server sent is not a chat completion (bad JSON, a stream cut off, a missing field)."""

    def __init__(self, what: str = "malformed response") -> None:
        super().__init__(what)


class ChatModel(Protocol):
    name: str

    def stream(self, messages: Sequence[ChatMessage], options: CallOptions) -> Iterator[ModelEvent]:
        """Yield the reply as `TextDelta`s, then one `Finished`; raise a `ModelError` on any failure."""
        ...


def texts(events: Iterable[ModelEvent]) -> Iterator[str]:
    """The reply's pieces of text, for a caller that needs nothing else."""
    for event in events:
        if isinstance(event, TextDelta):
            yield event.text
