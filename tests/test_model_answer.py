"""The strong answer shown after an interview: what it contains, and that it never shows while the interview is open."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.conftest import STRONG_FRAUD
from typer.testing import CliRunner

from interviewer.api import create_api
from interviewer.cli import app
from interviewer.domain import STAGES, Question, Report, Stage, StageScore, Verdict
from interviewer.model_answer import COVERED, NOT_COVERED, model_answer
from interviewer.questions import QuestionBank
from interviewer.service import InterviewService

runner = CliRunner()


def test_every_point_number_and_mistake_is_there_with_the_covered_ones_marked(
    bank: QuestionBank, question: Question
) -> None:
    metrics = question.points_for(Stage.METRICS)
    missing = {Stage.METRICS: (metrics[1].summary,)}
    report = Report(
        question.id, {s: StageScore(None if s is Stage.INFERENCE else 3, (), missing.get(s, ())) for s in STAGES},
        3.0, Verdict.HIRE, "E5",
    )
    answer = model_answer(question, bank.flow, bank.flags, report)
    assert set(answer.stages) == set(STAGES)
    assert f"**{metrics[0].summary}.** _{COVERED}_" in answer.stages[Stage.METRICS]
    assert f"**{metrics[1].summary}.** _{NOT_COVERED}_" in answer.stages[Stage.METRICS]
    assert all(NOT_COVERED in answer.stages[Stage.INFERENCE].split(p.summary)[1][:60]
               for p in question.points_for(Stage.INFERENCE))  # a stage never reached covered nothing
    assert all(point.summary in answer.markdown for point in question.expected)
    assert all(fact.answer in answer.stages[Stage.PROBLEM_FORMULATION] for fact in question.facts)
    assert all(rule.explanation in answer.markdown for rule in question.red_flags)
    covered = len(question.expected) - 1 - len(question.points_for(Stage.INFERENCE))
    assert f"You covered {covered} of the {len(question.expected)} points" in answer.markdown
    assert "Avoid:" in answer.markdown  # the serious mistakes of the stages they cap


def test_rest_and_cli_refuse_the_answer_while_the_interview_is_open(service: InterviewService) -> None:
    client = TestClient(create_api(service))
    session_id = client.post("/api/sessions", json={"question_id": "fraud_card_payments"}).json()["session_id"]
    client.post(f"/api/sessions/{session_id}/messages", json={"content": STRONG_FRAUD[0]})
    refused = client.get(f"/api/sessions/{session_id}/model-answer")
    assert refused.status_code == 409 and "once the interview has ended" in refused.json()["detail"]
    assert client.get("/api/sessions/no-such/model-answer").status_code == 404
    client.post(f"/api/sessions/{session_id}/end")
    shown = client.get(f"/api/sessions/{session_id}/model-answer").json()
    assert shown["markdown"].startswith("# What a strong answer looks like: Fraud detection for card payments")
    assert set(shown["stages"]) == {s.value for s in STAGES} and COVERED in shown["stages"]["problem_formulation"]


def test_cli_model_answer(isolated_env: object) -> None:
    chat = runner.invoke(app, ["chat", "--question", "fraud_card_payments"], input=f"{STRONG_FRAUD[0]}\n")
    session_id = chat.output.split("Session ")[1].split(".")[0]
    refused = runner.invoke(app, ["model-answer", session_id])
    assert refused.exit_code == 2 and "once the interview has ended" in refused.output
    runner.invoke(app, ["chat", "--session", session_id], input="/end\n")
    shown = runner.invoke(app, ["model-answer", session_id])
    assert shown.exit_code == 0 and "## Problem" in shown.output and COVERED in shown.output
