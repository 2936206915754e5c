"""Load: candidates over REST at once against one server, with a check that no session sees another's turns.

Candidate i replays the first `MESSAGES` turns of blind transcript i (mod 32) on its question. Each candidate signs
every message with its own marker; afterwards each transcript must hold only that marker. A candidate pauses
`think_s` (seeded, 0.5x to 1.5x) before each message, as people do; `think_s=0` is a stress run that fires every
message the moment the last reply arrives.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import httpx
from bench.conversations import Conversation

MESSAGES = 8


@dataclass
class LoadResult:
    turn_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    leaks: int = 0
    sessions: int = 0


async def _candidate(
    client: httpx.AsyncClient, conversation: Conversation, index: int, result: LoadResult, think_s: float
) -> None:
    marker = f"[candidate-{index:03d}]"
    pauses = random.Random(index)
    messages = conversation.messages[:MESSAGES]
    try:
        started = await client.post("/api/sessions", json={"question_id": conversation.question_id})
        started.raise_for_status()
        session_id = started.json()["session_id"]
        for message in messages:
            await asyncio.sleep(think_s * pauses.uniform(0.5, 1.5))
            begin = time.perf_counter()
            reply = await client.post(f"/api/sessions/{session_id}/messages", json={"content": f"{marker} {message}"})
            result.turn_ms.append((time.perf_counter() - begin) * 1000)
            reply.raise_for_status()
        (await client.post(f"/api/sessions/{session_id}/end")).raise_for_status()
        transcript = (await client.get(f"/api/sessions/{session_id}/transcript")).json()
    except (httpx.HTTPError, KeyError, ValueError) as exc:
        result.errors.append(f"candidate {index}: {type(exc).__name__}: {exc}")
        return
    said = [t["content"] for t in transcript["turns"] if t["role"] == "candidate"]
    result.sessions += 1
    if len(said) != len(messages) or any(not s.startswith(marker) for s in said):
        result.leaks += 1


async def _run(
    base_url: str, conversations: Sequence[Conversation], candidates: int, think_s: float
) -> LoadResult:
    result = LoadResult()
    limits = httpx.Limits(max_connections=candidates)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as client:
        await asyncio.gather(*(
            _candidate(client, conversations[i % len(conversations)], i, result, think_s) for i in range(candidates)
        ))
    return result


def load_test(
    base_url: str, conversations: Sequence[Conversation], candidates: int = 50, think_s: float = 2.0
) -> LoadResult:
    return asyncio.run(_run(base_url, conversations, candidates, think_s))
