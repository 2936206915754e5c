"""Questions to one's own report, answered from the report, the rubric and the question's expected points."""

from __future__ import annotations

import gradio as gr
import pytest
from fastapi.testclient import TestClient
from tests.conftest import STRONG_FRAUD
from tests.fakes import ScriptedChat

from interviewer.api import create_api
from interviewer.ask import MAX_QUESTION_CHARS, ReportAnswer, answer_about_report
from interviewer.domain import STAGES, Question, Report, Stage, StageScore, Verdict
from interviewer.llm.asker import LLMReportAsker
from interviewer.llm.base import ModelError
from interviewer.questions import QuestionBank
from interviewer.service import InterviewService
from interviewer.ui import PageHandlers

SAID = "Offline I'd track PR-AUC because fraud is rare."


def _report(question: Question) -> Report:
    metrics = question.points_for(Stage.METRICS)
    stages = {s: StageScore(3) for s in STAGES}
    stages[Stage.METRICS] = StageScore(2, (SAID,), (metrics[1].summary,))
    stages[Stage.DATA_PIPELINE] = StageScore(
        2, (), tuple(p.summary for p in question.points_for(Stage.DATA_PIPELINE))[1:]
    )
    stages[Stage.INFERENCE] = StageScore(None)
    return Report(question.id, stages, 2.5, Verdict.NO_HIRE, "E5")


def test_why_a_score_gets_the_anchor_the_quote_and_what_was_missing(bank: QuestionBank, question: Question) -> None:
    found = answer_about_report("why 2 in metrics?", _report(question), question, bank.flow, bank.rubric)
    assert found.stage is Stage.METRICS and found.quotes == (SAID,)
    assert f"**Metrics: 2/4.** The rubric's anchor for 2: {bank.rubric[Stage.METRICS][2]}" in found.answer
    assert f"For 3: {bank.rubric[Stage.METRICS][3]}" in found.answer
    assert f"“{SAID}”" in found.answer and question.points_for(Stage.METRICS)[1].summary in found.answer


def test_a_topic_finds_its_stage_and_the_points_about_it(bank: QuestionBank, question: Question) -> None:
    labels = next(p for p in question.expected if "Labels" in p.summary)
    found = answer_about_report(
        "What should I have said about labels?", _report(question), question, bank.flow, bank.rubric
    )
    assert found.stage is labels.stage is Stage.DATA_PIPELINE
    assert labels.summary in found.answer and "Nothing you said was read as being about data pipeline" in found.answer
    unnamed = answer_about_report("Where did I do worst?", _report(question), question, bank.flow, bank.rubric)
    assert unnamed.stage is Stage.INFERENCE and "not reached" in unnamed.answer  # the lowest, when nothing is named


def test_rest_answers_quoting_the_candidate_only_once_the_interview_has_ended(service: InterviewService) -> None:
    client = TestClient(create_api(service))
    session_id = client.post("/api/sessions", json={"question_id": "fraud_card_payments"}).json()["session_id"]
    for answer in STRONG_FRAUD:
        client.post(f"/api/sessions/{session_id}/messages", json={"content": answer})
    ask = f"/api/sessions/{session_id}/ask"
    refused = client.post(ask, json={"question": "why 4 in metrics?"})
    assert refused.status_code == 409 and "once the interview has ended" in refused.json()["detail"]
    client.post(f"/api/sessions/{session_id}/end")
    found = client.post(ask, json={"question": "why did metrics score that?"}).json()
    assert found["stage"] == "metrics" and found["quotes"]
    assert all(quote.rstrip("…") in " ".join(STRONG_FRAUD) for quote in found["quotes"])
    assert all(f"“{quote}”" in found["answer"] for quote in found["quotes"])
    for bad in ("", "   ", "x" * (MAX_QUESTION_CHARS + 1)):
        assert client.post(ask, json={"question": bad}).status_code == 422
    assert client.post("/api/sessions/nope/ask", json={"question": "why?"}).status_code == 404


def test_the_page_answers_under_the_feedback(service: InterviewService) -> None:
    handlers = PageHandlers(service)
    session_id = handlers.start("fraud_card_payments", "E5", 45, [])[0]
    list(handlers.send(session_id, STRONG_FRAUD[1]))
    with pytest.raises(gr.Error, match="once the interview has ended"):
        handlers.ask(session_id, "why 2 in metrics?")
    *ended, _ = handlers.end(session_id)
    assert tuple(ended[-2:]) == ("", "")  # no answer yet, and an empty box, for this report
    assert "**Metrics:" in handlers.ask(session_id, "why that score in metrics?")
    *_, answer, box = handlers.start("ads_ctr", "E5", 45, [session_id])  # a new interview: neither is carried over
    assert (answer, box) == ("", "")


def _asked(bank: QuestionBank, question: Question, chat: ScriptedChat) -> ReportAnswer:
    return LLMReportAsker(chat).answer("why 2 in metrics?", _report(question), question, bank.flow, bank.rubric)


def test_a_models_answer_from_the_material_quoting_the_candidate_is_used(
    bank: QuestionBank, question: Question
) -> None:
    written = f'You said "{SAID}" but gave no online metric, which a 3 needs.'
    chat = ScriptedChat([written])
    found = _asked(bank, question, chat)
    assert found.answer == written and found.quotes == (SAID,) and found.notice is None
    material = chat.calls[0][-1].content
    assert bank.rubric[Stage.METRICS][2] in material and "why 2 in metrics?" in material
    chat.assert_consumed()


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ([f'You said "{SAID}"; a 3 needs recall above 85%.'], "a number that is not in the scenario"),
        (["You gave no reason for your metric, which a 3 needs."], "quoted none of the candidate's own sentences"),
        (ModelError("timed out"), "did not answer"),
    ],
)
def test_a_models_answer_that_invents_or_quotes_nothing_falls_back_to_the_offline_one(
    bank: QuestionBank, question: Question, reply: list[str] | ModelError, reason: str
) -> None:
    found = _asked(bank, question, ScriptedChat(reply))
    offline = answer_about_report("why 2 in metrics?", _report(question), question, bank.flow, bank.rubric)
    assert found.answer == offline.answer and found.quotes == offline.quotes
    assert found.notice is not None and reason in found.notice
