"""Reading a message ahead while it is typed: the finished sentences of a draft are embedded in the background, so the
turn that sends the message embeds only what was typed last."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.conftest import make_service, offline_judge

from interviewer.api import create_api
from interviewer.policy import OfflineInterviewer
from interviewer.questions import QuestionBank
from interviewer.retrieval.embed import MiniLMEmbedder, Vectors
from interviewer.retrieval.similarity import EmbeddingSimilarity, VectorCache
from interviewer.service import Conflict, DraftReader, InterviewService, InvalidInput, NotFound, finished_sentences
from interviewer.storage import SQLiteSessionStore
from interviewer.ui import PageHandlers


@pytest.mark.parametrize(
    ("draft", "finished"),
    [
        ("", []),
        ("We score every payment", []),
        ("We score every payment. Then we", ["We score every payment."]),
        ("We score every payment. Then we hold it", ["We score every payment."]),
        ("We score every payment. Then we hold it.", ["We score every payment.", "Then we hold it."]),
        ("We score every payment. Then we hold it? ", ["We score every payment.", "Then we hold it?"]),
        ("Is it real time?\nWe", ["Is it real time?"]),
        ("First point\n", ["First point"]),
    ],
)
def test_only_finished_sentences_are_read_ahead(draft: str, finished: list[str]) -> None:
    assert finished_sentences(draft) == finished


class Recorder:
    def __init__(self, fail_on: str | None = None) -> None:
        self.read: list[tuple[str, ...]] = []
        self.release = threading.Event()
        self.release.set()
        self.reading = threading.Event()  # set once a read has begun
        self._fail_on = fail_on

    def __call__(self, texts: Sequence[str]) -> None:
        self.reading.set()
        self.release.wait(5)
        if self._fail_on in texts:
            raise RuntimeError("the embedder broke")
        self.read.append(tuple(texts))


def test_the_newest_draft_of_a_session_replaces_one_not_yet_read_and_a_failure_stops_nothing() -> None:
    recorder = Recorder(fail_on="broken.")
    drafts = DraftReader(recorder)
    recorder.release.clear()
    drafts.submit("a", ["first."])  # being read, held
    assert recorder.reading.wait(5)  # taken up before the next drafts come (else which is read first is a race)
    drafts.submit("b", ["older."])
    drafts.submit("b", ["older.", "newer."])  # replaces the pending one of the same session
    recorder.release.set()
    assert drafts.wait(5)
    assert sorted(recorder.read) == [("first.",), ("older.", "newer.")]
    drafts.submit("a", ["broken."])
    drafts.submit("c", ["after."])
    assert drafts.wait(5)
    assert drafts.failures == 1 and ("after.",) in recorder.read


def _reading_service(bank: QuestionBank, database: Path, recorder: Recorder) -> InterviewService:
    service = make_service(bank, database)
    return InterviewService(
        bank=service.bank, store=service.store, interviewer=service.interviewer, judge=service.judge,
        clock=service.clock, new_id=service.new_id, choose=service.choose, drafts=DraftReader(recorder),
    )


def test_read_ahead_hands_over_finished_sentences_and_refuses_what_reply_refuses(
    bank: QuestionBank, tmp_path: Path
) -> None:
    recorder = Recorder()
    service = _reading_service(bank, tmp_path / "s.db", recorder)
    session_id = service.start("fraud_card_payments").session.id
    assert service.read_ahead(session_id, "We score every payment. Then we") == 1
    assert service.drafts is not None and service.drafts.wait(5)
    assert recorder.read == [("We score every payment.",)]
    assert service.read_ahead(session_id, "   ") == 0
    with pytest.raises(NotFound):
        service.read_ahead("no-such-session", "Hello. There")
    with pytest.raises(InvalidInput, match="too long"):
        service.read_ahead(session_id, "word. " * 2000)
    service.end(session_id)
    with pytest.raises(Conflict):
        service.read_ahead(session_id, "Hello. There")
    assert make_service(bank, tmp_path / "t.db").read_ahead(
        make_service(bank, tmp_path / "t.db").start("fraud_card_payments").session.id, "A. B"
    ) == 0  # no reader: nothing is read ahead


def test_the_page_and_rest_read_ahead_and_the_page_stays_silent_on_errors(bank: QuestionBank, tmp_path: Path) -> None:
    recorder = Recorder()
    service = _reading_service(bank, tmp_path / "s.db", recorder)
    session_id = service.start("fraud_card_payments").session.id
    handlers = PageHandlers(service)
    handlers.read_ahead(session_id, "Chargebacks come late. So")
    handlers.read_ahead("", "No session yet. So")
    handlers.read_ahead("no-such-session", "Unknown. So")
    client = TestClient(create_api(service))
    answer = client.post(f"/api/sessions/{session_id}/draft", json={"content": "Labels lag. We wait"})
    assert answer.status_code == 202 and answer.json() == {"sentences": 1}
    assert client.post("/api/sessions/nope/draft", json={"content": "A. B"}).status_code == 404
    assert client.post(f"/api/sessions/{session_id}/draft", json={"text": "A. B"}).status_code == 422
    assert service.drafts is not None and service.drafts.wait(5)
    assert sorted(recorder.read) == [("Chargebacks come late.",), ("Labels lag.",)]
    assert [t.role for t in service.session(session_id).turns] == ["interviewer"]  # a draft stores nothing


class CountingEmbedder(MiniLMEmbedder):
    embedded: list[str]

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.embedded.extend(texts)
        return super().embed(texts)


def test_a_message_read_ahead_embeds_only_its_last_sentence_when_sent(bank: QuestionBank, tmp_path: Path) -> None:
    CountingEmbedder.embedded = []
    model = CountingEmbedder()
    memory = VectorCache()
    similarity = EmbeddingSimilarity(lambda: model, memory=memory)
    interviewer = OfflineInterviewer(bank.flow, bank.probes, flags=bank.flags, similarity=similarity)
    service = InterviewService(
        bank=bank, store=SQLiteSessionStore(tmp_path / "s.db"), interviewer=interviewer, judge=offline_judge(bank),
        drafts=DraftReader(EmbeddingSimilarity(lambda: model, memory=memory).warm),
    )
    question = bank.get("fraud_card_payments")
    assert question is not None
    interviewer.prepare(question)
    session_id = service.start(question.id).session.id
    message = (
        "Zebra-striped chargebacks arrive up to sixty days later. "
        "So the freshest payments have no zebra label yet. "
        "I would hold them out of zebra training"
    )
    for end in range(1, len(message) + 1, 7):  # as typed, a few characters at a time
        service.read_ahead(session_id, message[:end])
    assert service.drafts is not None and service.drafts.wait(30)
    CountingEmbedder.embedded = []
    service.reply(session_id, message)
    sent = CountingEmbedder.embedded
    assert "I would hold them out of zebra training" in sent, sent  # unfinished when last read: read on sending
    assert not any("Zebra-striped chargebacks" in t or "no zebra label yet" in t for t in sent), sent
