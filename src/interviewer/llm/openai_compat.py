"""Any OpenAI-compatible server (Ollama, llama.cpp, vLLM, LM Studio, OpenAI) through LangChain's ChatOpenAI."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import httpx
import openai
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from interviewer.llm.base import (
    CallOptions,
    ChatMessage,
    Finished,
    MalformedResponse,
    ModelError,
    ModelEvent,
    ModelHTTPError,
    ModelTimeout,
    ModelUnreachable,
    RateLimited,
    ResponseSchema,
    StructuredOutput,
    TextDelta,
    Usage,
)

_ROLES = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
# What the client raises when the server's answer is not a chat completion: a stream cut off or not JSON.
_MALFORMED = (json.JSONDecodeError, openai.APIResponseValidationError, httpx.RemoteProtocolError, httpx.DecodingError)


def model_error(exc: Exception) -> ModelError:
    """The typed error for a failed call (key-free: only the kind, a status and a Retry-After go into it)."""
    if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException):
        return ModelTimeout()
    if isinstance(exc, openai.APIStatusError):
        return _status_error(exc)
    if isinstance(exc, _MALFORMED) or _cut_off(exc):
        return MalformedResponse()
    if isinstance(exc, openai.APIConnectionError | httpx.TransportError):
        return ModelUnreachable()
    return MalformedResponse(f"malformed response ({type(exc).__name__})")


def _status_error(exc: openai.APIStatusError) -> ModelError:
    if isinstance(exc, openai.RateLimitError):
        return RateLimited(_seconds(exc.response.headers.get("retry-after")))
    return ModelHTTPError(exc.status_code)


def _cut_off(exc: BaseException) -> bool:
    """The server closed the stream mid-reply. The clients report it as a connection error caused, a few wrappers
    down, by the transport's RemoteProtocolError (openai's own copy of httpx, hence the check by name)."""
    cause: BaseException | None = exc
    for _ in range(8):  # a chain of causes, never a cycle in practice; bounded all the same
        if cause is None:
            return False
        if type(cause).__name__ == "RemoteProtocolError":
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def _seconds(retry_after: str | None) -> float | None:
    """A Retry-After header in seconds; None when absent or an HTTP date (the caller decides how long to wait)."""
    try:
        return float(retry_after or "")
    except ValueError:
        return None


def _text(content: object) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""


def _usage(chunk: AIMessageChunk) -> Usage | None:
    counted = chunk.usage_metadata
    return Usage(counted["input_tokens"], counted["output_tokens"]) if counted else None


def response_format(wanted: ResponseSchema, style: StructuredOutput) -> dict[str, Any]:
    schema = dict(wanted.schema)
    if style == "json_object":
        return {"type": "json_object", "schema": schema}
    return {"type": "json_schema", "json_schema": {"name": wanted.name, "schema": schema}}


class OpenAICompatChat:
    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        *,
        timeout_s: float = 30.0,
        max_retries: int = 1,
        temperature: float = 0.3,
        structured_output: StructuredOutput = "json_schema",
    ) -> None:
        self.name = model
        self._structured_output: StructuredOutput = structured_output
        self._client = ChatOpenAI(
            model=model,
            base_url=base_url,
            api_key=SecretStr(api_key or "not-needed"),
            timeout=timeout_s,
            max_retries=max_retries,
            temperature=temperature,
            streaming=True,
            stream_usage=True,  # asks for the server's token counts (stream_options.include_usage); many send them
        )

    def stream(self, messages: Sequence[ChatMessage], options: CallOptions) -> Iterator[ModelEvent]:
        converted: list[BaseMessage] = [_ROLES[m.role](content=m.content) for m in messages]
        # llama.cpp's server ignores max_completion_tokens (what ChatOpenAI sends), so max_tokens goes too.
        extra: dict[str, Any] = {"max_tokens": options.max_tokens}
        if options.response_schema is not None:  # as sent, past LangChain's own handling of response formats
            extra["response_format"] = response_format(options.response_schema, self._structured_output)
        call: dict[str, Any] = {"max_tokens": options.max_tokens, "extra_body": extra}
        if options.temperature is not None:
            call["temperature"] = options.temperature
        reason: str | None = None
        usage: Usage | None = None
        try:
            for chunk in self._client.stream(converted, **call):
                if not isinstance(chunk, AIMessageChunk):
                    raise MalformedResponse()
                text = _text(chunk.content)
                if text:
                    yield TextDelta(text)
                reason = chunk.response_metadata.get("finish_reason") or reason
                usage = _usage(chunk) or usage
        except ModelError:
            raise
        except (openai.OpenAIError, httpx.HTTPError, json.JSONDecodeError) as exc:
            raise model_error(exc) from exc
        yield Finished(reason, usage)
