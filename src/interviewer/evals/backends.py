"""Which model the eval runs against: none (offline), a live OpenAI-compatible server, or cassettes of one.

`recorded` replays HTTP cassettes (vcrpy) made against a real server, so the LLM path is evaluated with no network and
no key. A request is matched on method, path and body, in recorded order: a prompt that changed since the recording
finds no match and the run stops with a message that says how to re-record. Cassettes keep only the request body and
the response's status and body: no headers, host or query string, so no keys, cookies or host names are stored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import vcr
import yaml
from vcr.errors import CannotOverwriteExistingCassetteException

from interviewer.config import Settings
from interviewer.llm.base import CallOptions, ChatMessage, ChatModel, ModelEvent

REPLAY_BASE_URL = "http://recorded.invalid/v1"


class Backend(StrEnum):
    OFFLINE = "offline"
    RECORDED = "recorded"
    LIVE = "live"


class BackendError(RuntimeError):
    """The backend cannot run as asked; the message says what to change."""


@dataclass(frozen=True)
class BackendChoice:
    backend: Backend = Backend.OFFLINE
    base_url: str | None = None
    model: str | None = None
    cassette: Path | None = None
    record: bool = False

    def settings(self, base: Settings) -> Settings:
        """The settings the eval's service is built from: offline, or an OpenAI-compatible model."""
        if self.backend is Backend.OFFLINE:
            return base.model_copy(update={"llm": "offline", "llm_base_url": None, "llm_model": None})
        if self.backend is Backend.LIVE:
            if not (self.base_url and self.model):
                raise BackendError("the live backend needs --base-url and --model")
            return base.model_copy(update={"llm": "openai", "llm_base_url": self.base_url, "llm_model": self.model})
        model = recorded_model(self._cassette())
        return base.model_copy(update={"llm": "openai", "llm_base_url": REPLAY_BASE_URL, "llm_model": model})

    def _cassette(self) -> Path:
        if self.cassette is None:
            raise BackendError(f"the {self.backend} backend needs a cassette path")
        return self.cassette

    @contextmanager
    def active(self) -> Iterator[Replay | None]:
        """Replay (recorded), record (live with a cassette), or nothing at all."""
        if self.backend is Backend.RECORDED:
            with _replaying(self._cassette()) as replay:
                yield replay
        elif self.backend is Backend.LIVE and self.record:
            with _recording(self._cassette()):
                yield None
        else:
            yield None

    def guard(self, chat: ChatModel) -> ChatModel:
        return StrictReplay(chat, self._cassette()) if self.backend is Backend.RECORDED else chat


def recorded_model(cassette: Path) -> str:
    """The model name the cassette was recorded with (its first request says it)."""
    if not cassette.is_file():
        raise BackendError(f"no cassette at {cassette}: record one with --backend live --record (see README)")
    interactions = _interactions(cassette)
    if not interactions:
        raise BackendError(f"{cassette} holds no recorded requests")
    body = json.loads(interactions[0]["request"]["body"])
    return str(body["model"])


def _interactions(cassette: Path) -> list[dict[str, Any]]:
    loaded = yaml.safe_load(cassette.read_text(encoding="utf-8")) or {}
    interactions = loaded.get("interactions", []) if isinstance(loaded, dict) else []
    return interactions if isinstance(interactions, list) else []


def _strip_request(request: Any) -> Any:
    """Only the method, path and body are kept: no headers (keys, cookies), host name or query string."""
    request.headers = {}
    request.uri = REPLAY_BASE_URL.removesuffix("/v1") + urlparse(request.uri).path
    return request


def _strip_response(response: dict[str, Any]) -> dict[str, Any]:
    content_type = response.get("headers", {}).get("content-type", ["text/event-stream"])
    response["headers"] = {"content-type": content_type}
    body = response.get("body", {}).get("string")
    if "text/event-stream" in str(content_type) and isinstance(body, bytes | str):
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        response["body"]["string"] = compact_stream(text).encode("utf-8")
    return response


_SENTENCE_END = re.compile(r"[.!?:;\n]\s*$")


def compact_stream(sse: str) -> str:
    """The same reply in fewer, smaller events: text is merged up to each sentence end and ids are dropped.

    A token-by-token stream from llama.cpp takes ~250 bytes a token; this keeps a cassette to a few KB a reply while
    the text, the order and the finish reason stay exactly as the server sent them.
    """
    events: list[str] = []
    pending = ""
    for line in sse.splitlines():
        if not line.startswith("data:") or line.strip() == "data: [DONE]":
            continue
        choice = (json.loads(line.removeprefix("data:")).get("choices") or [{}])[0]
        pending += (choice.get("delta") or {}).get("content") or ""
        finish = choice.get("finish_reason")
        if pending and (finish or _SENTENCE_END.search(pending)):
            events.append(_event(pending, None))
            pending = ""
        if finish:
            events.append(_event("", finish))
    if pending:
        events.append(_event(pending, None))
    return "".join(events) + "data: [DONE]\n\n"


def _event(text: str, finish: str | None) -> str:
    delta = {"content": text} if text else {}
    chunk = {"id": "rec", "object": "chat.completion.chunk", "created": 0, "model": "recorded",
             "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return f"data: {json.dumps(chunk, separators=(',', ':'))}\n\n"


def _vcr(record_mode: str) -> vcr.VCR:
    return vcr.VCR(
        record_mode=record_mode,
        match_on=["method", "path", "body"],
        before_record_request=_strip_request,
        before_record_response=_strip_response,
        decode_compressed_response=True,
    )


STALE = (
    "a model request has no match in {cassette}: the prompts, knowledge or transcripts changed since it was recorded. "
    "Re-record it with --backend live --record (README, 'Re-recording cassettes')."
)


@dataclass
class Replay:
    """The cassette being played; `unplayed` counts recorded replies the run never asked for."""

    cassette: Path
    played: int = 0
    recorded: int = 0

    @property
    def unplayed(self) -> int:
        return self.recorded - self.played


@contextmanager
def _replaying(cassette: Path) -> Iterator[Replay]:
    replay = Replay(cassette)
    with _vcr("none").use_cassette(str(cassette)) as played:
        yield replay
        replay.played, replay.recorded = played.play_count, len(played.responses)


@contextmanager
def _recording(cassette: Path) -> Iterator[None]:
    """Record to a side file; it replaces the cassette only when the whole run succeeds."""
    cassette.parent.mkdir(parents=True, exist_ok=True)
    partial = cassette.with_name(cassette.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with _vcr("all").use_cassette(str(partial)):
            yield
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(cassette)


class StrictReplay:
    """Wraps a model so a request missing from the cassette stops the run with how to re-record, not a traceback."""

    def __init__(self, inner: ChatModel, cassette: Path) -> None:
        self.name = inner.name
        self._inner = inner
        self._cassette = cassette

    def stream(self, messages: Sequence[ChatMessage], options: CallOptions) -> Iterator[ModelEvent]:
        try:
            yield from self._inner.stream(messages, options)
        except CannotOverwriteExistingCassetteException as exc:
            raise BackendError(STALE.format(cassette=self._cassette)) from exc
