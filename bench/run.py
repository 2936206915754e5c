"""Benchmarks (not tests): offline turn latency over a 30-turn interview, the REST round trip, and retrieval.

Prints percentiles and writes bench/results.json. Run with `make bench`.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from interviewer.api import create_api
from interviewer.bootstrap import build_service
from interviewer.config import Settings
from interviewer.retrieval.embed import MiniLMEmbedder
from interviewer.retrieval.knowledge import KnowledgeBase, note_chunks
from interviewer.retrieval.store import chroma_client
from interviewer.transcripts import load_retrieval_queries

ANSWERS = (
    "It is a binary classification with a fraud probability, because we must act during authorisation.",
    "What is the latency budget?",
    "Precision and recall at the operating point, since fraud is 0.1% of traffic; online the fraud loss.",
    "Baseline: the existing rules plus a logistic regression, with thresholds for approve or decline.",
    "Labels are chargebacks with a 60 day delay; velocity features per card over an hour.",
    "Split by time, LightGBM with class weights rather than a neural net.",
    "Online scoring within 100 ms from a feature store, falling back to rules on timeout.",
    "Monitor drift, retrain weekly, champion/challenger rollout.",
    "not sure",
    "I would also look at device fingerprints.",
)
TURNS = 30
RUNS = 20


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def offline_turns(data_dir: Path) -> list[float]:
    service = build_service(Settings(data_dir=data_dir))
    latencies = []
    for _ in range(RUNS):
        session_id = service.start("fraud_card_payments").session.id
        for i in range(TURNS):
            start = time.perf_counter()
            service.reply(session_id, ANSWERS[i % len(ANSWERS)])
            latencies.append((time.perf_counter() - start) * 1000)
    return latencies


def rest_turns(data_dir: Path) -> list[float]:
    client = TestClient(create_api(build_service(Settings(data_dir=data_dir))))
    latencies = []
    session_id = client.post("/api/sessions", json={"question_id": "feed_ranking"}).json()["session_id"]
    for i in range(TURNS):
        start = time.perf_counter()
        client.post(f"/api/sessions/{session_id}/messages", json={"content": ANSWERS[i % len(ANSWERS)]})
        latencies.append((time.perf_counter() - start) * 1000)
    return latencies


def retrieval(data_dir: Path) -> dict[str, float]:
    settings = Settings(data_dir=data_dir)
    embedder = MiniLMEmbedder()
    chunks = note_chunks(settings.knowledge_dir)
    texts = [c.text for c in chunks]
    start = time.perf_counter()
    embedder.embed(texts)
    embed_s = time.perf_counter() - start
    start = time.perf_counter()
    knowledge = KnowledgeBase(chroma_client(data_dir), embedder)
    knowledge.index_notes(settings.knowledge_dir)
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    KnowledgeBase(chroma_client(data_dir), embedder).index_notes(settings.knowledge_dir)
    noop_s = time.perf_counter() - start
    retriever = knowledge.retriever()
    queries = [q.query for q in load_retrieval_queries(Path("evals/retrieval.jsonl"))]
    latencies = []
    for query in queries * 3:
        start = time.perf_counter()
        retriever.search(query, k=5)
        latencies.append((time.perf_counter() - start) * 1000)
    return {
        "index_build_s": round(build_s, 3),
        "reindex_noop_s": round(noop_s, 3),
        "embed_chunks_per_s": round(len(texts) / embed_s, 1),
        "chunks": len(texts),
        "query_p50_ms": round(statistics.median(latencies), 2),
        "query_p95_ms": round(percentile(latencies, 0.95), 2),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        offline = offline_turns(Path(tmp) / "a")
        rest = rest_turns(Path(tmp) / "b")
        search = retrieval(Path(tmp) / "c")
    results = {
        "offline_turn_p50_ms": round(statistics.median(offline), 2),
        "offline_turn_p95_ms": round(percentile(offline, 0.95), 2),
        "rest_turn_p50_ms": round(statistics.median(rest), 2),
        "rest_turn_p95_ms": round(percentile(rest, 0.95), 2),
        "turns_measured": len(offline) + len(rest),
        **search,
    }
    print(f"{'measure':<24} value")
    for key, value in results.items():
        print(f"{key:<24} {value}")
    print(f"p95 / 50 ms target: {results['offline_turn_p95_ms'] / 50:.2f}")
    Path(__file__).with_name("results.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
