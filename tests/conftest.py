from __future__ import annotations

import itertools
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn

from interviewer.config import default_knowledge_dir
from interviewer.domain import STAGES, Citation, Question, RedFlag, Report, Stage, StageScore, Verdict
from interviewer.judge import OfflineJudge
from interviewer.llm.tokens import TokenCounter
from interviewer.policy import OfflineInterviewer
from interviewer.questions import QuestionBank, load_bank, load_judge_model
from interviewer.retrieval.similarity import EmbeddingSimilarity
from interviewer.service import InterviewService
from interviewer.storage import SQLiteSessionStore

KNOWLEDGE = default_knowledge_dir()


def sample_report(overall: float = 2.5, verdict: Verdict = Verdict.HIRE, **scores: int | None) -> Report:
    """A report with every field filled (stages scored as given, the rest not reached)."""
    return Report(
        question_id="fraud_card_payments",
        stages={
            s: StageScore(scores.get(s.value), ("said it",), ("a reason",), 2.4 if scores.get(s.value) else None)
            for s in STAGES
        },
        overall=overall,
        verdict=verdict,
        level="E5",
        red_flags=(RedFlag("label_leakage", "the outcome as a feature", "the label leaks"),),
        citations=(Citation("feature_stores.md", "Point in time", Stage.DATA_PIPELINE),),
        feedback_markdown="**Strong** framing",
        notices=("the judge model did not answer",),
        verdict_reason="",
    )

# A candidate who covers every stage of the fraud question with reasons and numbers.
STRONG_FRAUD = (
    "I'd frame this as a binary classification that outputs a fraud probability, a risk score per transaction, "
    "because the decision has to happen inside authorisation. False negatives cost money while false positives "
    "add friction for good customers, so the costs are asymmetric.",
    "Offline I'd use precision and recall at the operating point and PR-AUC, because fraud is only 0.1% of "
    "traffic and accuracy would be meaningless. Online we track fraud loss in dollars and the decline rate.",
    "As a baseline keep the existing rules engine and add a logistic regression. The score maps to thresholds: "
    "approve, step up with 3DS, or decline, rather than a single cut-off.",
    "Labels are chargebacks which arrive with up to a 60 day delay, so we need a maturity window. Features: "
    "velocity counts per card over the last hour and rolling aggregates per device. Use a feature store with point "
    "in time correct joins to avoid leakage.",
    "Split by time: train on the first 20 months and validate on later months. Use gradient boosted trees like "
    "LightGBM with class weights for the imbalance rather than a neural net since the data is tabular.",
    "Serve online within 100 ms with precomputed aggregates in Redis. If the model times out we fall back to "
    "the rules so payments never block.",
    "Monitor score drift since fraudsters adapt, retrain weekly, and roll out in shadow mode then a "
    "champion/challenger A/B test on 5% of traffic.",
)

# What a strong candidate says after a probe or a curveball: a reasoned answer with a number.
JUSTIFY = "I'd accept that trade-off because it keeps p99 latency under 100 ms and the team can still debug it."
# The strong answers with a justification after each: enough to walk the offline interviewer to the end.
STRONG_FRAUD_DIALOGUE = tuple(message for answer in STRONG_FRAUD for message in (answer, JUSTIFY))

OFF_TOPIC = (
    "I really like hiking in the mountains on weekends.",
    "My favourite food is pasta with tomato sauce.",
    "The weather has been lovely lately.",
)


@pytest.fixture(scope="session")
def bank() -> QuestionBank:
    return load_bank(KNOWLEDGE)


def offline_judge(bank: QuestionBank) -> OfflineJudge:
    """The judge users run: by meaning (the offline embeddings), with the calibrated model."""
    return OfflineJudge(bank.flow, bank.flags, EmbeddingSimilarity(), load_judge_model(KNOWLEDGE), probes=bank.probes)


def make_service(bank: QuestionBank, database: Path) -> InterviewService:
    """A service with deterministic ids, clock and question choice over the SQLite file `database`."""
    ids = (f"session-{n}" for n in itertools.count(1))
    ticks = itertools.count(1_700_000_000)
    return InterviewService(
        bank=bank,
        store=SQLiteSessionStore(database),
        interviewer=OfflineInterviewer(bank.flow, bank.probes),
        judge=offline_judge(bank),
        max_message_chars=8000,
        clock=lambda: float(next(ticks)),
        new_id=lambda: next(ids),
        choose=lambda questions: questions[0],
    )


@pytest.fixture(scope="session")
def counter(tmp_path_factory: pytest.TempPathFactory) -> TokenCounter:
    """Token counting with the offline tiktoken cache, shared by the LLM tests."""
    return TokenCounter(tmp_path_factory.mktemp("tiktoken"))


@pytest.fixture
def question(bank: QuestionBank) -> Question:
    """The fraud question, the one most tests talk through."""
    found = bank.get("fraud_card_payments")
    assert found is not None
    return found


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "sessions.sqlite3"


@pytest.fixture
def service(bank: QuestionBank, database: Path) -> InterviewService:
    return make_service(bank, database)


@pytest.fixture
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every Settings() at a fresh data directory."""
    data = tmp_path / "data"
    monkeypatch.setenv("INTERVIEWER_DATA_DIR", str(data))
    return data


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(server: uvicorn.Server, timeout_s: float = 30.0) -> Iterator[None]:
    """Run a uvicorn server in a thread until the block ends."""
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout_s
    while not server.started:
        assert time.monotonic() < deadline, f"server did not start within {timeout_s:.0f} s"
        time.sleep(0.02)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(10)


def wait_until_up(url: str, process: subprocess.Popen[str] | subprocess.Popen[bytes], timeout_s: float) -> None:
    """Poll `url` until it answers 200; fail at once if `process` exits or the time runs out."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"{url} did not come up (exit code {process.poll()})")
        time.sleep(0.2)
