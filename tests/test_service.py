from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from tests.conftest import STRONG_FRAUD, make_service

from interviewer.domain import STAGES, Passage, Stage, TurnKind
from interviewer.events import NoticeEvent, ReplyEvent, StageChangedEvent, TokenEvent
from interviewer.questions import QuestionBank
from interviewer.service import Conflict, InterviewService, InvalidInput, NotFound
from interviewer.transcripts import TranscriptModel, parse_transcript


def test_a_full_interview_ends_in_a_report_with_all_seven_stages(service: InterviewService) -> None:
    started = service.start("fraud_card_payments", "E5")
    for answer in STRONG_FRAUD:
        service.reply(started.session.id, answer)
    report = service.end(started.session.id)
    assert set(report.stages) == set(STAGES)
    assert report.verdict.value in ("hire", "strong_hire")
    assert "> I'd frame this" in report.feedback_markdown
    assert service.stored_report(started.session.id) == report  # read back whole, as typed values


def test_random_question_when_none_is_given(service: InterviewService) -> None:
    started = service.start(None, "E4")
    assert started.question.id == service.questions()[0].id
    assert started.session.level == "E4"


@pytest.mark.parametrize("bad", ["", "   ", "\n\t", "x" * 8001, "y" * 1_000_000])
def test_bad_messages_are_refused_and_nothing_is_stored(service: InterviewService, bad: str) -> None:
    started = service.start("ads_ctr")
    with pytest.raises(InvalidInput, match=r"empty|too long"):
        service.reply(started.session.id, bad)
    assert len(service.session(started.session.id).turns) == 1


def test_unknown_ids_are_not_found(service: InterviewService) -> None:
    with pytest.raises(NotFound, match="unknown question"):
        service.start("no_such_question")
    for call in (service.session, service.hint, service.end):
        with pytest.raises(NotFound):
            call("missing")
    with pytest.raises(NotFound):
        service.reply("missing", "hello")


def test_an_ended_interview_refuses_more_turns(service: InterviewService) -> None:
    session_id = service.start("ads_ctr").session.id
    service.end(session_id)
    with pytest.raises(Conflict):
        service.reply(session_id, "one more thing")
    with pytest.raises(Conflict):
        service.end(session_id)
    assert len(service.session(session_id).turns) == 1


def test_hints_are_recorded_on_the_session(service: InterviewService) -> None:
    session_id = service.start("ads_ctr").session.id
    reply = service.hint(session_id)
    last = service.session(session_id).turns[-1]
    assert reply.kind is TurnKind.HINT and last.kind is TurnKind.HINT and last.content == reply.message


def test_candidate_turns_record_the_stage_they_answered(service: InterviewService) -> None:
    session_id = service.start("fraud_card_payments").session.id
    service.reply(session_id, STRONG_FRAUD[0])
    turns = service.session(session_id).turns
    assert turns[1].role == "candidate" and turns[1].stage is STAGES[0]


def test_transcript_export_round_trips_through_the_eval_format(service: InterviewService) -> None:
    session_id = service.start("fraud_card_payments").session.id
    for answer in STRONG_FRAUD:
        service.reply(session_id, answer)
    service.hint(session_id)
    session = service.session(session_id)
    exported = json.loads(TranscriptModel.of_session(session).to_json())
    assert {"role", "content", "kind", "stage"} <= set(exported["turns"][0]) and "labels" not in exported
    parsed = parse_transcript(exported).to_domain()
    assert [(t.role, t.content, t.kind, t.stage, t.chunk_ids) for t in parsed.turns] == [
        (t.role, t.content, t.kind, t.stage, t.chunk_ids) for t in session.turns
    ]
    rescored = service.score(parsed)
    assert rescored.stages == service.end(session_id).stages


def test_a_restart_resumes_the_interview_where_it_stopped(
    service: InterviewService, bank: QuestionBank, database: Path
) -> None:
    session_id = service.start("fraud_card_payments").session.id
    for answer in STRONG_FRAUD[:3]:
        service.reply(session_id, answer)
    before = service.progress(service.session(session_id))
    restarted = make_service(bank, database)
    after = restarted.progress(restarted.session(session_id))
    assert after == before
    reply = restarted.reply(session_id, STRONG_FRAUD[3])
    assert STAGES.index(reply.stage) >= STAGES.index(before.stage)
    assert restarted.progress(restarted.session(session_id)).coverage[STAGES[3]] > before.coverage[STAGES[3]]
    assert len(restarted.session(session_id).turns) == 1 + 2 * 4


class _OneNote:
    """A fake retriever: every search returns one passage, and the queries are recorded."""

    def __init__(self) -> None:
        self.queries: list[tuple[str, object]] = []

    def search(self, query: str, k: int = 5, stage: object = None) -> list[Passage]:
        self.queries.append((query, stage))
        return [Passage("c1", "knowledge/notes/leakage.md", "Guarding against it", "text", "leakage", 1.0)]


def test_the_report_cites_retrieved_knowledge_per_stage(service: InterviewService) -> None:
    retriever = _OneNote()
    cited = replace(service, retriever=retriever)
    session_id = cited.start("fraud_card_payments").session.id
    report = cited.end(session_id)
    assert [c.stage for c in report.citations] == list(STAGES)
    assert {c.source for c in report.citations} == {"knowledge/notes/leakage.md"}
    assert "`knowledge/notes/leakage.md`, section *Guarding against it*" in report.feedback_markdown
    assert [stage for _, stage in retriever.queries] == list(STAGES)
    assert "Fraud detection" in retriever.queries[0][0]


def test_a_report_that_fails_leaves_the_interview_open(service: InterviewService) -> None:
    """`end` claims the session before scoring; when scoring fails the claim is released, so nothing is lost."""

    class Failing:
        def prepare(self, question: object) -> None:
            pass

        def score(self, transcript: object, question: object) -> None:
            raise RuntimeError("the judge broke")

    broken = replace(service, judge=Failing())  # type: ignore[arg-type]
    session_id = broken.start("ads_ctr").session.id
    with pytest.raises(RuntimeError, match="the judge broke"):
        broken.end(session_id)
    assert not broken.session(session_id).ended and broken.store.report(session_id) is None
    broken.reply(session_id, "We would predict clicks with a logistic regression first.")
    assert service.end(session_id).verdict and service.session(session_id).ended


def test_a_turn_streams_typed_events_ending_in_the_stored_reply(service: InterviewService) -> None:
    session_id = service.start("fraud_card_payments").session.id
    changes: list[tuple[Stage, Stage]] = []
    for answer in STRONG_FRAUD:
        events = list(service.reply_events(session_id, answer))
        assert all(isinstance(e, TokenEvent | NoticeEvent | StageChangedEvent | ReplyEvent) for e in events)
        *before, last = events
        assert isinstance(last, ReplyEvent) and not any(isinstance(e, ReplyEvent) for e in before)
        assert last.reply.message == service.session(session_id).turns[-1].content  # stored before it was sent
        changes += [(e.stage, last.reply.stage) for e in before if isinstance(e, StageChangedEvent)]
    assert changes and all(announced is replied for announced, replied in changes)
