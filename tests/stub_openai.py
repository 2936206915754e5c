"""An OpenAI-compatible chat server for tests, on 127.0.0.1, with fault modes chosen by the request's model name.

ok: streams (or returns) a reply that restates the prompt's NEXT MOVE. invent: states a number not in the scenario.
slow: waits longer than the client's timeout. latency-<ms>: answers like ok after a fixed delay.
429: rate-limited with Retry-After. 500: server error.
malformed: a stream chunk that is not JSON. cut: the stream stops mid-reply without [DONE].
usage: like ok, with the server's token counts in the last chunk (as some servers send them).
asked-usage: like ok, and when the request asks for usage (stream_options), the counts in a chunk of their own
after the finish, with no choices (as OpenAI sends them).
script: the test's own replies, `Recorder.replies`, one per request.
judge-N: a judgement (asked for with a response format): score N on every stage, quoting the candidate's first
statement in the prompt.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from tests.conftest import free_port, serving

SLOW_SECONDS = 3.0


@dataclass
class Recorder:
    bodies: list[dict[str, Any]] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)  # when set, the next replies (mode "script"), in order


def _plan(body: dict[str, Any]) -> str:
    prompt = body["messages"][-1]["content"]
    match = re.search(r"NEXT MOVE \([^)]*\): (.*)\Z", prompt, re.DOTALL)
    return match.group(1).strip() if match else "Tell me more."


USAGE = {"prompt_tokens": 41, "completion_tokens": 7, "total_tokens": 48}


def _chunk(text: str, finish: str | None = None, usage: dict[str, int] | None = None) -> str:
    choice = {"index": 0, "delta": {"content": text} if text else {}, "finish_reason": finish}
    payload: dict[str, Any] = {
        "id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "stub", "choices": [choice]
    }
    if usage is not None:
        payload["usage"] = usage
    return f"data: {json.dumps(payload)}\n\n"


STAGE_IDS = (
    "problem_formulation", "metrics", "mvp_design", "data_pipeline", "training", "inference", "scaling_monitoring"
)


def _judgement(body: dict[str, Any], score: int) -> str:
    said = re.search(r'"""(.*?)"""', body["messages"][-1]["content"], re.DOTALL)
    first = re.split(r"(?<=[.!?])\s", said.group(1).strip())[0][:100] if said else ""
    stage = {"score": score, "quotes": [first] if first else [], "reason": "stub"}
    return json.dumps({"stages": dict.fromkeys(STAGE_IDS, stage)})


def _completion(text: str) -> dict[str, Any]:
    message = {"role": "assistant", "content": text}
    return {
        "id": "c1", "object": "chat.completion", "created": 0, "model": "stub",
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


async def _stream(text: str, mode: str, asked_usage: bool = False) -> AsyncIterator[str]:
    words = text.split(" ")
    for i, word in enumerate(words):
        if mode == "cut" and i == len(words) // 2:
            raise RuntimeError("stream cut")
        if mode == "malformed" and i == 1:
            yield "data: {not json\n\n"
        yield _chunk(word + (" " if i < len(words) - 1 else ""))
        await asyncio.sleep(0)
    yield _chunk("", "stop", USAGE if mode == "usage" else None)
    if mode == "asked-usage" and asked_usage:
        payload = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "stub", "choices": [],
                   "usage": USAGE}
        yield f"data: {json.dumps(payload)}\n\n"
    yield "data: [DONE]\n\n"


def make_app(recorder: Recorder) -> Starlette:
    async def completions(request: Request) -> Response:
        body = await request.json()
        recorder.bodies.append(body)
        mode = body.get("model", "ok")
        if mode == "429":
            return JSONResponse({"error": {"message": "slow down"}}, status_code=429, headers={"Retry-After": "0"})
        if mode == "500":
            return JSONResponse({"error": {"message": "boom"}}, status_code=500)
        if mode == "slow":
            await asyncio.sleep(SLOW_SECONDS)
        if mode.startswith("latency-"):
            await asyncio.sleep(int(mode.removeprefix("latency-")) / 1000)
        text = f"Right. {_plan(body)}" if mode != "invent" else "We see about 2,798 transactions per second."
        if mode == "script":
            text = recorder.replies.pop(0)
        if mode.startswith("judge-") and "response_format" in body:
            text = _judgement(body, int(mode.removeprefix("judge-")))
        if not body.get("stream"):
            return JSONResponse(_completion(text))
        asked = bool((body.get("stream_options") or {}).get("include_usage"))
        return StreamingResponse(_stream(text, mode, asked), media_type="text/event-stream")

    async def models(request: Request) -> Response:
        return JSONResponse({"object": "list", "data": [{"id": "ok", "object": "model"}]})

    return Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"]), Route("/v1/models", models)])


@contextmanager
def running_stub() -> Iterator[tuple[str, Recorder]]:
    recorder = Recorder()
    port = free_port()
    config = uvicorn.Config(make_app(recorder), host="127.0.0.1", port=port, log_level="error")
    with serving(uvicorn.Server(config)):
        yield f"http://127.0.0.1:{port}/v1", recorder
