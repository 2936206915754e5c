"""Preparing a question embeds every reference text ahead of time: afterwards a candidate's turn and the report
embed only the candidate's own words, and a restarted server reads the prepared vectors from disk."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
from fastapi.testclient import TestClient
from tests.conftest import make_service

from interviewer.api import create_api
from interviewer.domain import Question, Stage, Transcript, Turn
from interviewer.judge import OfflineJudge
from interviewer.meaning import FactFinder
from interviewer.policy import OfflineInterviewer
from interviewer.questions import QuestionBank
from interviewer.reading import prepare_message
from interviewer.retrieval.embed import DIMENSIONS
from interviewer.retrieval.similarity import REFERENCE_CHUNK, EmbeddingSimilarity, VectorCache, shared_embedder
from interviewer.transcripts import load_transcript

OWN = Path(__file__).resolve().parents[1] / "evals" / "own" / "transcripts"
MESSAGE = (
    "I'd treat this as a supervised problem and keep the first version simple. "
    "Labels would come from what actually happened a few weeks later. How many events arrive per second at peak?"
)


class _CountingEmbedder:
    """The real MiniLM, counting every text it is asked to embed."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.texts.extend(texts)
        return shared_embedder().embed(texts)


class _Fixed:
    """Every text equally close to every other: enough for a judge whose preparation is only recorded."""

    def similarities(self, sentences: Sequence[str], targets: Sequence[str]) -> list[list[float]]:
        return [[0.5 for _ in targets] for _ in sentences]


def _pair(bank: QuestionBank, embedder: _CountingEmbedder, cache_dir: Path) -> tuple[OfflineInterviewer, OfflineJudge]:
    similarity = EmbeddingSimilarity(embedder=lambda: embedder, cache_dir=cache_dir, memory=VectorCache())  # type: ignore[arg-type, return-value]
    interviewer = OfflineInterviewer(bank.flow, bank.probes, facts=FactFinder(similarity), flags=bank.flags,
                                     similarity=similarity)
    return interviewer, OfflineJudge(bank.flow, bank.flags, similarity)


def _prepared(
    bank: QuestionBank, embedder: _CountingEmbedder, cache_dir: Path, question: Question
) -> tuple[OfflineInterviewer, OfflineJudge]:
    interviewer, judge = _pair(bank, embedder, cache_dir)
    interviewer.prepare(question)
    judge.prepare(question)
    return interviewer, judge


def _one_turn(interviewer: OfflineInterviewer, judge: OfflineJudge, question: Question) -> None:
    interviewer.respond(question, [], MESSAGE)
    opener = Turn("interviewer", interviewer.opening(question).text, stage=Stage.PROBLEM_FORMULATION)
    judge.score(Transcript("t", (opener, Turn("candidate", MESSAGE)), question.id), question)


def test_after_prepare_a_turn_and_a_report_embed_only_the_candidates_words(bank: QuestionBank, tmp_path: Path) -> None:
    question = bank.questions[0]
    counting = _CountingEmbedder()
    interviewer, judge = _prepared(bank, counting, tmp_path, question)
    counting.texts.clear()
    _one_turn(interviewer, judge, question)
    assert counting.texts, "the candidate's sentences are new and must be embedded"
    assert [text for text in counting.texts if text not in MESSAGE] == []


def test_after_prepare_a_whole_interview_embeds_only_the_candidates_words(bank: QuestionBank, tmp_path: Path) -> None:
    """Every reference text a reply compares with is embedded by preparing, the ways of answering a choice's probe or a
    point's follow-up already (`ChoiceProbe.beyond`, `ExpectedPoint.beyond`) included: they are compared with only
    once a candidate names a choice or states a point, and a turn that embedded them waited for them."""
    transcript = load_transcript(OWN / "fraud_card_payments__strong_senior.json").to_domain()
    question = next(q for q in bank.questions if q.id == transcript.question_id)
    counting = _CountingEmbedder()
    interviewer, _ = _prepared(bank, counting, tmp_path, question)
    counting.texts.clear()
    turns: list[Turn] = [Turn("interviewer", interviewer.opening(question).text, stage=Stage.PROBLEM_FORMULATION)]
    for message in transcript.candidate_turns():
        move = interviewer.respond(question, turns, message)
        turns += [Turn("candidate", message), Turn("interviewer", move.text, stage=move.stage)]
    said = " ".join(" ".join(transcript.candidate_turns()).split())
    assert counting.texts, "the candidate's sentences are new and must be embedded"
    assert [text for text in counting.texts if " ".join(text.split()) not in said] == []


def test_without_prepare_the_first_turn_embeds_the_reference_texts(bank: QuestionBank, tmp_path: Path) -> None:
    counting = _CountingEmbedder()
    interviewer, judge = _pair(bank, counting, tmp_path)
    _one_turn(interviewer, judge, bank.questions[1])
    assert len([text for text in counting.texts if text not in MESSAGE]) > 50


def test_a_restart_reads_prepared_vectors_from_disk(bank: QuestionBank, tmp_path: Path) -> None:
    question = bank.questions[2]
    first = _CountingEmbedder()
    _prepared(bank, first, tmp_path, question)
    restarted = _CountingEmbedder()
    interviewer, _ = _prepared(bank, restarted, tmp_path, question)
    said = f"{prepare_message(question)} {interviewer.opening(question).text}"
    assert len(first.texts) > 50
    assert [text for text in restarted.texts if text not in said] == []


def test_the_service_prepares_every_question_and_health_says_so(bank: QuestionBank, tmp_path: Path) -> None:
    prepared: list[str] = []

    class Recording(OfflineJudge):
        def prepare(self, question: Question) -> None:
            prepared.append(question.id)

    service = replace(make_service(bank, tmp_path / "db.sqlite3"), judge=Recording(bank.flow, bank.flags, _Fixed()))
    client = TestClient(create_api(service))
    assert client.get("/api/health").json() == {"status": "ok", "prepared": False}
    service.prepare()
    assert prepared == [q.id for q in bank.questions]
    assert client.get("/api/health").json() == {"status": "ok", "prepared": True}


class _HeldEmbedder:
    """Records each batch; the first one waits until the test lets it finish."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.first_started = threading.Event()
        self.release = threading.Event()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.batches.append(list(texts))
        if len(self.batches) == 1:
            self.first_started.set()
            self.release.wait(10)
        return np.full((len(texts), DIMENSIONS), DIMENSIONS**-0.5, dtype=np.float32)


def test_a_candidates_sentence_goes_before_the_rest_of_a_question_being_prepared() -> None:
    embedder = _HeldEmbedder()
    similarity = EmbeddingSimilarity(embedder=lambda: embedder, memory=VectorCache())  # type: ignore[arg-type, return-value]
    references = [f"reference text {i}" for i in range(3 * REFERENCE_CHUNK)]
    preparing = threading.Thread(target=similarity.vectors, args=(references,), kwargs={"keep": True})
    preparing.start()
    assert embedder.first_started.wait(10)
    turn = threading.Thread(target=similarity.vectors, args=(["What latency do we need?"],))
    turn.start()
    time.sleep(0.3)  # the turn is now waiting for the first chunk
    embedder.release.set()
    preparing.join(10)
    turn.join(10)
    assert [len(b) for b in embedder.batches] == [REFERENCE_CHUNK, 1, REFERENCE_CHUNK, REFERENCE_CHUNK]
    assert embedder.batches[1] == ["What latency do we need?"]
