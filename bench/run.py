"""Benchmarks (not tests): the offline engine, the REST round trip, the LLM path's overhead, retrieval, cold start and
memory of the real server, 50 concurrent candidates against it, and the offline eval's wall time.

Every conversation is a real one: the blind dev transcripts' candidate turns (evals/blind), replayed in order, with
their real lengths and variety. Prints a table and writes bench/results.json. Run with `make bench`.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.stub_openai

from bench.conversations import Conversation, blind_conversations, long_conversation
from bench.load import load_test
from fastapi.testclient import TestClient

from interviewer.api import create_api
from interviewer.bootstrap import build_service
from interviewer.config import Settings
from interviewer.domain import Question, Turn
from interviewer.llm.base import CallOptions, ChatMessage, ModelEvent
from interviewer.llm.interviewer import LLMInterviewer, LLMSettings
from interviewer.llm.openai_compat import OpenAICompatChat
from interviewer.llm.tokens import TokenCounter
from interviewer.policy import Interviewer, OfflineInterviewer
from interviewer.retrieval.embed import MiniLMEmbedder
from interviewer.retrieval.knowledge import KnowledgeBase, note_chunks
from interviewer.retrieval.similarity import forget_vectors
from interviewer.retrieval.store import chroma_client
from interviewer.text import SENTENCE_END
from interviewer.transcripts import load_retrieval_queries

REST_CONVERSATIONS = 4
def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def offline_turns(data_dir: Path, conversations: Sequence[Conversation]) -> tuple[list[float], float]:
    """Every candidate turn of every blind transcript, through a session of its question, timed in process, after
    the service is prepared as the web server prepares it; and how long preparing took on an empty data folder."""
    service = build_service(Settings(data_dir=data_dir))
    start = time.perf_counter()
    service.prepare()
    prepare_s = time.perf_counter() - start
    latencies = []
    for conversation in conversations:
        session_id = service.start(conversation.question_id, conversation.level).session.id
        for message in conversation.messages:
            start = time.perf_counter()
            service.reply(session_id, message)
            latencies.append((time.perf_counter() - start) * 1000)
    return latencies, prepare_s


def typed_drafts(message: str) -> list[str]:
    """The message as the page sees it while it is typed: a draft at the end of each sentence, and the whole message
    as typed before it is sent."""
    return [*(message[: m.end()] for m in SENTENCE_END.finditer(message)), message]


def read_ahead_turns(data_dir: Path, conversations: Sequence[Conversation]) -> list[float]:
    """The same turns as `offline_turns`, from cold vectors again, but each message read ahead as it was typed (a
    draft at each sentence end and the whole message, each read before the message is sent, as typing a sentence and
    reaching for Enter take longer than reading): a turn embeds only a last sentence left without its closing mark."""
    forget_vectors()
    service = build_service(Settings(data_dir=data_dir))
    service.prepare()
    assert service.drafts is not None
    latencies = []
    for conversation in conversations:
        session_id = service.start(conversation.question_id, conversation.level).session.id
        for message in conversation.messages:
            for draft in typed_drafts(message):
                service.read_ahead(session_id, draft)
            service.drafts.wait(60)
            start = time.perf_counter()
            service.reply(session_id, message)
            latencies.append((time.perf_counter() - start) * 1000)
    return latencies


def rest_turns(data_dir: Path, conversations: Sequence[Conversation]) -> list[float]:
    client = TestClient(create_api(build_service(Settings(data_dir=data_dir))))
    latencies = []
    for conversation in conversations:
        started = client.post("/api/sessions", json={"question_id": conversation.question_id})
        session_id = started.json()["session_id"]
        for message in conversation.messages:
            start = time.perf_counter()
            client.post(f"/api/sessions/{session_id}/messages", json={"content": message})
            latencies.append((time.perf_counter() - start) * 1000)
    return latencies


MODEL_LATENCY_MS = 1000
MODEL_TIMEOUT_S = 10.0
LLM_TURNS = 12


class TimedChat:
    """Measures the time spent inside the model call (the stub's fixed latency plus HTTP)."""

    def __init__(self, chat: OpenAICompatChat) -> None:
        self.name = chat.name
        self._chat = chat
        self.seconds = 0.0

    def stream(self, messages: Sequence[ChatMessage], options: CallOptions) -> Iterator[ModelEvent]:
        start = time.perf_counter()
        try:
            yield from self._chat.stream(messages, options)
        finally:
            self.seconds += time.perf_counter() - start


def llm_mode(data_dir: Path, conversation: Conversation, long: Conversation) -> dict[str, object]:
    from tests.stub_openai import running_stub  # noqa: PLC0415 - only the benchmark needs the test stub

    service = build_service(Settings(data_dir=data_dir))
    bank = service.bank
    question = bank.get(conversation.question_id)
    assert question is not None
    counter = TokenCounter(data_dir / "tiktoken")
    with running_stub() as (url, _):
        chat = TimedChat(OpenAICompatChat(url, f"latency-{MODEL_LATENCY_MS}", timeout_s=MODEL_TIMEOUT_S))
        offline = service.interviewer
        assert isinstance(offline, OfflineInterviewer)
        llm = LLMInterviewer(offline, bank.flow, chat, counter, settings=LLMSettings(3000, 160))
        served = replace(service, interviewer=llm, slow_turn_s=MODEL_TIMEOUT_S)  # as `bootstrap` sets it with a model
        session_id = served.start(question.id).session.id
        overheads = []
        for message in conversation.messages[:LLM_TURNS]:
            before_model = chat.seconds
            start = time.perf_counter()
            served.reply(session_id, message)
            total = time.perf_counter() - start
            model = chat.seconds - before_model
            overheads.append((total - model) / model)
    long_question = bank.get(long.question_id)
    assert long_question is not None
    tokens = prompt_tokens(llm, offline, long_question, long, counter)
    return {
        "llm_overhead_ratio": round(statistics.median(overheads), 4),
        "llm_transcript": conversation.id,
        "prompt_tokens": tokens,
        "prompt_transcripts": long.id,
    }


def prompt_tokens(
    llm: LLMInterviewer, offline: Interviewer, question: Question, conversation: Conversation, counter: TokenCounter
) -> dict[str, int]:
    """Prompt size when the interviewer answers at conversation turns 10, 40 and the last one (each candidate message
    and its reply are two turns) of a real long interview, planned by the same offline policy."""
    turns: list[Turn] = []
    sizes: dict[str, int] = {}
    last = 2 * len(conversation.messages)
    for n, message in enumerate(conversation.messages, 1):
        plan = offline.respond(question, turns, message, 1000.0 + n)
        if 2 * n in (10, 40, last):
            messages = llm.prompt(question, turns, message, plan)
            sizes[str(2 * n)] = sum(counter.count(m.content) for m in messages)
        turns += [Turn("candidate", message, at=1000.0 + n), Turn("interviewer", plan.text, stage=plan.stage)]
    return sizes


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


ROOT = Path(__file__).resolve().parents[1]
LOAD_CANDIDATES = 50
THINK_S = 2.0  # mean pause before each message; the stress run uses none


def _free_port() -> int:
    from tests.conftest import free_port  # noqa: PLC0415 - the test helper, reused

    return free_port()


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def served(data_dir: Path, conversations: Sequence[Conversation]) -> dict[str, object]:
    """`python app.py` as a user starts it: time to a healthy /api/health, its memory, then the load test on it."""
    port = _free_port()
    env = {**os.environ, "INTERVIEWER_DATA_DIR": str(data_dir), "INTERVIEWER_PORT": str(port)}
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        cold_start_s = _wait_healthy(base_url, process, start)
        rss_mb = _rss_mb(process.pid)
        prepared_s = _wait_healthy(base_url, process, start, prepared=True)
        load = load_test(base_url, conversations, LOAD_CANDIDATES, THINK_S)
        begin = time.perf_counter()
        stress = load_test(base_url, conversations, LOAD_CANDIDATES, 0.0)
        stress_s = time.perf_counter() - begin
        rss_after_load_mb = _rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(15)
    return {
        "cold_start_s": round(cold_start_s, 2),
        "restart_prepared_s": round(prepared_s, 2),
        "rss_mb": rss_mb,
        "rss_after_load_mb": rss_after_load_mb,
        "load_candidates": LOAD_CANDIDATES,
        "load_turns": len(load.turn_ms),
        "load_p50_ms": round(statistics.median(load.turn_ms), 1) if load.turn_ms else None,
        "load_p95_ms": round(percentile(load.turn_ms, 0.95), 1) if load.turn_ms else None,
        "load_errors": len(load.errors),
        "load_leaks": load.leaks,
        "load_think_s": THINK_S,
        "stress_p50_ms": round(statistics.median(stress.turn_ms), 1) if stress.turn_ms else None,
        "stress_p95_ms": round(percentile(stress.turn_ms, 0.95), 1) if stress.turn_ms else None,
        "stress_turns_per_s": round(len(stress.turn_ms) / stress_s, 1),
        "stress_errors": len(stress.errors),
        "stress_leaks": stress.leaks,
    }


def _wait_healthy(base_url: str, process: subprocess.Popen[bytes], start: float, prepared: bool = False) -> float:
    """Seconds from `start` until /api/health answers (with `prepared`: until it says every question is prepared)."""
    import httpx  # noqa: PLC0415 - only this step needs a client

    while time.perf_counter() - start < 120:
        if process.poll() is not None:
            raise RuntimeError(f"app.py exited with {process.returncode}")
        try:
            health = httpx.get(f"{base_url}/api/health", timeout=1)
            if health.status_code == 200 and (health.json()["prepared"] or not prepared):
                return time.perf_counter() - start
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError("app.py did not answer /api/health within 120 s")


def eval_wall(data_dir: Path) -> float:
    """The whole offline eval on the blind set (judge, interviewer, replayed candidates, clarify), end to end."""
    env = {**os.environ, "INTERVIEWER_DATA_DIR": str(data_dir)}
    cli = str(Path(sys.executable).with_name("interviewer"))
    start = time.perf_counter()
    for task in ("judge", "interviewer", "replay", "clarify"):
        subprocess.run([cli, "eval", "--task", task], cwd=ROOT, env=env, check=True, capture_output=True)
    return round(time.perf_counter() - start, 1)


def main() -> None:
    conversations = blind_conversations()
    long = long_conversation(conversations)
    with tempfile.TemporaryDirectory() as tmp:
        offline, prepare_s = offline_turns(Path(tmp) / "a", conversations)
        typed = read_ahead_turns(Path(tmp) / "a", conversations)
        rest = rest_turns(Path(tmp) / "b", conversations[:REST_CONVERSATIONS])
        search = retrieval(Path(tmp) / "c")
        llm = llm_mode(Path(tmp) / "d", conversations[0], long)
        server = served(Path(tmp) / "a", conversations)  # index and vectors made above: a restart, not an install
        eval_s = eval_wall(Path(tmp) / "c")
    results = {
        "offline_turn_p50_ms": round(statistics.median(offline), 2),
        "offline_turn_p95_ms": round(percentile(offline, 0.95), 2),
        "read_ahead_turn_p50_ms": round(statistics.median(typed), 2),
        "read_ahead_turn_p95_ms": round(percentile(typed, 0.95), 2),
        "offline_transcripts": len(conversations),
        "prepare_s": round(prepare_s, 1),
        "rest_turn_p50_ms": round(statistics.median(rest), 2),
        "rest_turn_p95_ms": round(percentile(rest, 0.95), 2),
        "rest_transcripts": [c.id for c in conversations[:REST_CONVERSATIONS]],
        "turns_measured": len(offline) + len(rest),
        **search,
        **llm,
        **server,
        "eval_wall_s": eval_s,
    }
    print(f"{'measure':<24} value")
    for key, value in results.items():
        print(f"{key:<24} {value}")
    print(f"p95 / 50 ms target: {results['offline_turn_p95_ms'] / 50:.2f} sent whole, "
          f"{results['read_ahead_turn_p95_ms'] / 50:.2f} read ahead while typed")
    tokens = llm["prompt_tokens"]
    assert isinstance(tokens, dict)
    sizes = list(tokens.values())
    print(f"prompt tokens at turns {' / '.join(tokens)} of {long.id}: {' / '.join(map(str, sizes))}; "
          f"last / first {sizes[-1] / sizes[0]:.2f} (target <= 1.3)")
    print(f"LLM overhead / model latency ({MODEL_LATENCY_MS} ms): {llm['llm_overhead_ratio']:.2%} (target <= 2 %)")
    print(f"cold start {server['cold_start_s']} s (target <= 8), RSS {server['rss_mb']} MB (target <= 600)")
    print(f"preparing every question: {results['prepare_s']} s on an empty data folder (in the background), "
          f"{server['restart_prepared_s']} s after a restart")
    print(
        f"load: {LOAD_CANDIDATES} candidates thinking ~{THINK_S:g} s, p95 {server['load_p95_ms']} ms (target <= 300), "
        f"errors {server['load_errors']}, leaks {server['load_leaks']} (targets 0)"
    )
    print(
        f"stress (no thinking): p95 {server['stress_p95_ms']} ms, {server['stress_turns_per_s']} turns/s, "
        f"errors {server['stress_errors']}, leaks {server['stress_leaks']}"
    )
    Path(__file__).with_name("results.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
