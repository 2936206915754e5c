"""Load: simulated candidates over REST at once against one server, with a check that no session sees another's turns.

Each candidate signs every message with its own marker; afterwards each transcript must hold only that marker. A
candidate pauses `think_s` (seeded, 0.5x to 1.5x) before each message, as people do; `think_s=0` is a stress run that
fires every message the moment the last reply arrives.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

import httpx

QUESTIONS = ("fraud_card_payments", "feed_ranking", "ads_ctr", "search_ranking")
MESSAGES = (
    "What is the latency budget?",
    "It is a binary classification with a probability output, because we act at decision time.",
    "Precision and recall at the operating point, since positives are rare; online the business loss.",
    "Baseline: the existing rules plus a logistic regression, with thresholds for each action.",
    "Labels arrive late, so I would set a maturity window; features are velocity counts per user.",
    "Split by time, a gradient boosted model with class weights rather than a neural net.",
    "Online scoring within the budget from a feature store, falling back to rules on timeout.",
    "Monitor drift and the business metric, retrain weekly, champion and challenger rollout.",
)


@dataclass
class LoadResult:
    turn_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    leaks: int = 0
    sessions: int = 0


async def _candidate(client: httpx.AsyncClient, index: int, result: LoadResult, think_s: float) -> None:
    marker = f"[candidate-{index:03d}]"
    pauses = random.Random(index)
    try:
        started = await client.post("/api/sessions", json={"question_id": QUESTIONS[index % len(QUESTIONS)]})
        started.raise_for_status()
        session_id = started.json()["session_id"]
        for message in MESSAGES:
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
    if len(said) != len(MESSAGES) or any(not s.startswith(marker) for s in said):
        result.leaks += 1


async def _run(base_url: str, candidates: int, think_s: float) -> LoadResult:
    result = LoadResult()
    limits = httpx.Limits(max_connections=candidates)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as client:
        await asyncio.gather(*(_candidate(client, i, result, think_s) for i in range(candidates)))
    return result


def load_test(base_url: str, candidates: int = 50, think_s: float = 2.0) -> LoadResult:
    return asyncio.run(_run(base_url, candidates, think_s))
