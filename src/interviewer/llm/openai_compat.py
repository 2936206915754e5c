"""Any OpenAI-compatible server (Ollama, llama.cpp, vLLM, LM Studio, OpenAI) through LangChain's ChatOpenAI."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

import httpx
import openai
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from interviewer.llm.base import ChatMessage, ModelError

_ROLES = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}


def describe(exc: BaseException) -> str:
    """A short, key-free description of why a call failed."""
    if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}"
    if isinstance(exc, openai.APIConnectionError | httpx.ConnectError):
        return "could not connect"
    if isinstance(exc, json.JSONDecodeError | ValueError | KeyError):
        return "malformed response"
    return type(exc).__name__


def _text(content: object) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""


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
    ) -> None:
        self.name = model
        self._client = ChatOpenAI(
            model=model,
            base_url=base_url,
            api_key=SecretStr(api_key or "not-needed"),
            timeout=timeout_s,
            max_retries=max_retries,
            temperature=temperature,
            streaming=True,
        )

    def stream(self, messages: Sequence[ChatMessage], max_tokens: int) -> Iterator[str]:
        converted: list[BaseMessage] = [_ROLES[m.role](content=m.content) for m in messages]
        try:
            # llama.cpp's server ignores max_completion_tokens (what ChatOpenAI sends), so max_tokens goes too.
            chunks = self._client.stream(converted, max_tokens=max_tokens, extra_body={"max_tokens": max_tokens})
            for chunk in chunks:
                text = _text(chunk.content)
                if text:
                    yield text
        except (openai.OpenAIError, httpx.HTTPError, ValueError, KeyError) as exc:
            raise ModelError(describe(exc)) from exc
