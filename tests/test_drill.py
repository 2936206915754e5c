"""Stage drills: the opening, the policy kept to one stage, scoring of that stage alone, the choice of a question not
used lately, and every front door (service, REST, CLI, page handlers)."""

from __future__ import annotations

import json
from pathlib import Path

import gradio as gr
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from interviewer.api import create_api
from interviewer.cli import app
from interviewer.domain import DRILL_MINUTES, STAGES, Question, Report, Session, Shape, Stage, StageScore, Turn, Verdict
from interviewer.drill import RECENT_QUESTIONS, drill_opening, drill_report, fresh_questions, given_points
from interviewer.policy import FINISHED_REPLY, OfflineInterviewer
from interviewer.profile import profile_path, session_ids
from interviewer.questions import QuestionBank
from interviewer.service import InterviewService, InvalidInput
from interviewer.storage import SQLiteSessionStore
from interviewer.ui import PageHandlers

runner = CliRunner()
TRAINING_DRILL = Shape(drill=Stage.TRAINING)

METRICS_DRILL = (
    "Offline I'd track precision and recall at the operating threshold and PR-AUC, not accuracy, because only 0.1% "
    "of transactions are fraud.",
    "Online I'd watch fraud losses in money, the decline rate of good customers and step-up friction, in an A/B test.",
)
# said in a metrics drill, about other stages: none of it may score them
OFF_STAGE = (
    "For training I'd split by time, never randomly, and train gradient-boosted trees with class weights. "
    "For serving, online scoring within 100 ms from a feature store, with the rules engine as a fallback, and "
    "monitoring of score drift with shadow deployment before any rollout."
)


def test_the_opening_gives_the_earlier_stages_as_settled_and_asks_the_drilled_one(
    bank: QuestionBank, question: Question
) -> None:
    text = drill_opening(question, bank.flow, Stage.DATA_PIPELINE, DRILL_MINUTES)
    assert "stage drill on **Data pipeline**" in text and "about 10 minutes" in text and question.title in text
    for point in question.expected:
        earlier = STAGES.index(point.stage) < STAGES.index(Stage.DATA_PIPELINE)
        assert (point.summary[1:] in text) is earlier, point.summary  # earlier points given, none of the rest
    assert text.rstrip().endswith(bank.flow.guide(Stage.DATA_PIPELINE).opener)
    first = drill_opening(question, bank.flow, Stage.PROBLEM_FORMULATION, 5)
    assert "Nothing is settled yet" in first and "about 5 minutes" in first
    assert given_points(question, Stage.PROBLEM_FORMULATION) == frozenset()
    assert given_points(question, Stage.METRICS) == {p.id for p in question.points_for(Stage.PROBLEM_FORMULATION)}


def test_the_policy_asks_only_about_the_drilled_stage_and_then_finishes(bank: QuestionBank, question: Question) -> None:
    interviewer = OfflineInterviewer(bank.flow, bank.probes)
    opening = interviewer.opening(question, TRAINING_DRILL)
    assert opening.stage is Stage.TRAINING and opening.coverage[Stage.MVP_DESIGN] == 1.0
    turns = [_interviewer(opening.text, Stage.TRAINING)]
    messages = [
        "Can we move on to serving now?",
        "I'd split by time: train on the older months, validate on the latest, since fraud patterns drift.",
        "A gradient-boosted tree model with class weights for the imbalance, tuned on the time-based validation.",
        "Now let's talk about inference and monitoring in production.",
        "I'd compare against the rules engine as a baseline on the same validation window.",
        "That is all I have on training.",
    ]
    stages, finished = [], False
    for message in messages:
        move = interviewer.respond(question, turns, message, shape=TRAINING_DRILL)
        stages.append(move.stage)
        turns += [_candidate(message), _interviewer(move.text, move.stage)]
        finished = finished or move.finished
    assert stages == [Stage.TRAINING] * len(messages)  # asked to move on twice, it stays
    assert finished and any(FINISHED_REPLY in t.content for t in turns)
    hint = interviewer.hint(question, turns, TRAINING_DRILL)
    assert hint.stage is Stage.TRAINING and hint.text.removeprefix("Hint: ") in bank.flow.guide(Stage.TRAINING).hints
    progress = interviewer.progress(question, turns, TRAINING_DRILL)
    assert progress.budget_s == DRILL_MINUTES * 60 and progress.stage is Stage.TRAINING


def test_a_drill_is_scored_on_its_stage_alone(service: InterviewService) -> None:
    started = service.start("fraud_card_payments", drill_stage=Stage.METRICS)
    assert started.session.minutes == DRILL_MINUTES and started.session.drill_stage is Stage.METRICS
    for message in (*METRICS_DRILL, OFF_STAGE):
        service.reply(started.session.id, message)
    report = service.end(started.session.id)
    assert report.drill is Stage.METRICS and report.verdict is None and report.scope() == (Stage.METRICS,)
    assert report.scores()[Stage.METRICS] in (3, 4)
    assert [s for s, score in report.scores().items() if score is not None] == [Stage.METRICS]
    assert report.overall == pytest.approx(report.stages[Stage.METRICS].estimate or 0, abs=0.01)
    assert "**Stage drill: Metrics" in report.feedback_markdown and "Verdict" not in report.feedback_markdown
    assert "### Training" not in report.feedback_markdown and "| Training" not in report.feedback_markdown
    # the same words in a whole interview do score the other stages: the drill is what leaves them out
    whole = service.start("fraud_card_payments")
    for message in (*METRICS_DRILL, OFF_STAGE):
        service.reply(whole.session.id, message)
    whole_report = service.end(whole.session.id)
    assert whole_report.verdict is not None and whole_report.scores()[Stage.TRAINING] is not None
    answer = service.model_answer(started.session.id)
    assert list(answer.stages) == [Stage.METRICS] and "## Training" not in answer.markdown
    asked = service.ask(started.session.id, "What should I have said about training?")
    assert asked.stage is Stage.METRICS and asked.quotes


def test_drill_report_keeps_one_stage_and_no_verdict() -> None:
    scores = {s: StageScore(3, ("said",), ("gap",), 3.2) for s in STAGES}
    report = Report("q", scores, 3.1, Verdict.HIRE, "E5", verdict_reason="x")
    drilled = drill_report(report, Stage.INFERENCE)
    assert drilled.stages[Stage.INFERENCE] == scores[Stage.INFERENCE] and drilled.overall == 3.2
    assert all(drilled.stages[s] == StageScore(None) for s in STAGES if s is not Stage.INFERENCE)
    assert (drilled.verdict, drilled.verdict_reason, drilled.drill) == (None, "", Stage.INFERENCE)


def test_a_drill_avoids_the_questions_of_the_latest_sessions(service: InterviewService) -> None:
    questions = service.questions()
    two = questions[:2]
    assert fresh_questions(two, [q.id for q in two]) == two  # none left: any
    assert fresh_questions(questions, [q.id for q in questions]) == questions[RECENT_QUESTIONS:]  # only the latest 3
    recent = [service.start(q.id).session.id for q in questions[: RECENT_QUESTIONS + 1]]
    avoided = {q.id for q in questions[1 : RECENT_QUESTIONS + 1]}  # the latest three (the first is older)
    drill = service.start(drill_stage=Stage.INFERENCE, recent=recent)
    assert drill.question.id not in avoided and drill.question.id == questions[0].id  # `choose` takes the first left
    whole = service.start(recent=recent)
    assert whole.question.id == questions[0].id


def test_a_drill_longer_than_ten_minutes_or_an_unknown_stage_is_refused(service: InterviewService) -> None:
    with pytest.raises(InvalidInput, match="stage drill length must be 5 to 10 minutes"):
        service.start("ads_ctr", minutes=30, drill_stage=Stage.METRICS)
    client = TestClient(create_api(service))
    bad = client.post("/api/sessions", json={"drill_stage": "dessert"})
    assert bad.status_code == 422 and "drill_stage" in bad.text
    assert client.post("/api/sessions", json={"drill_stage": "metrics", "minutes": 30}).status_code == 422
    short = client.post("/api/sessions", json={"drill_stage": "metrics", "minutes": 5, "question_id": "ads_ctr"})
    assert short.status_code == 201 and short.json()["minutes"] == 5.0


def test_the_drill_is_stored_and_old_databases_gain_the_column(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = SQLiteSessionStore(path)
    store.create(Session("d", "ads_ctr", "E5", 1.0, drill_stage=Stage.SCALING_MONITORING))
    store.create(Session("w", "ads_ctr", "E5", 2.0))
    reopened = SQLiteSessionStore(path)
    drilled, whole = reopened.load("d"), reopened.load("w")
    assert drilled is not None and drilled.drill_stage is Stage.SCALING_MONITORING
    assert whole is not None and whole.drill_stage is None
    report = drill_report(Report("ads_ctr", {s: StageScore(2) for s in STAGES}, 2.0, Verdict.NO_HIRE, "E5"),
                          Stage.SCALING_MONITORING)
    reopened.finish("d", report)
    assert SQLiteSessionStore(path).report("d") == report


def test_rest_drill_start_score_and_progress(service: InterviewService) -> None:
    client = TestClient(create_api(service))
    whole = client.post("/api/sessions", json={"question_id": "fraud_card_payments"}).json()
    client.post(f"/api/sessions/{whole['session_id']}/messages", json={"content": METRICS_DRILL[0]})
    client.post(f"/api/sessions/{whole['session_id']}/end")
    started = client.post("/api/sessions", json={"drill_stage": "metrics", "sessions": [whole["session_id"]]})
    assert started.status_code == 201, started.text
    drill = started.json()
    assert drill["drill_stage"] == "metrics" and drill["minutes"] == DRILL_MINUTES
    assert drill["question"]["id"] != "fraud_card_payments"  # the whole interview's question was just used
    assert "stage drill on **Metrics**" in drill["message"]
    assert client.get(f"/api/sessions/{drill['session_id']}").json()["drill_stage"] == "metrics"
    assert client.get(f"/api/sessions/{drill['session_id']}/model-answer").status_code == 409
    for message in (*METRICS_DRILL, OFF_STAGE):
        reply = client.post(f"/api/sessions/{drill['session_id']}/messages", json={"content": message}).json()
        assert reply["stage"] == "metrics"
    report = client.post(f"/api/sessions/{drill['session_id']}/end").json()
    assert report["verdict"] is None and report["drill"] == "metrics"
    assert {stage for stage, s in report["stages"].items() if s["score"] is not None} == {"metrics"}
    ids = ",".join([whole["session_id"], drill["session_id"]])
    progress = client.get("/api/progress", params={"sessions": ids}).json()
    assert progress["sessions"] == 2 and progress["drills"] == 1
    assert [p["session_id"] for p in progress["stages"]["metrics"]] == [whole["session_id"], drill["session_id"]]
    assert all(p["session_id"] == whole["session_id"] for p in progress["stages"]["training"])
    assert [v["session_id"] for v in progress["verdicts"]] == [whole["session_id"]]  # no verdict from a drill
    assert client.get("/api/progress", params={"sessions": "someone-else"}).json()["sessions"] == 0


def test_cli_chat_drill(isolated_env: Path) -> None:
    first = runner.invoke(app, ["chat", "--question", "fraud_card_payments"], input="We frame it as fraud.\n/end\n")
    assert first.exit_code == 0, first.output
    result = runner.invoke(app, ["chat", "--drill", "metrics"], input=f"{METRICS_DRILL[0]}\n/end\n")
    assert result.exit_code == 0, result.output
    assert "stage drill on **Metrics**" in result.output and "interviewer [metrics]>" in result.output
    assert "**Stage drill: Metrics" in result.output and "Fraud detection" not in result.output.split("Session ")[1]
    assert len(session_ids(profile_path(isolated_env))) == 2
    shown = json.loads(runner.invoke(app, ["progress", "--json"]).stdout)
    assert shown["sessions"] == 2 and shown["drills"] == 1 and len(shown["verdicts"]) == 1
    assert "1 of them stage drill" in runner.invoke(app, ["progress"]).output
    bad = runner.invoke(app, ["chat", "--drill", "dessert"])
    assert bad.exit_code == 2 and "dessert" in bad.output


def test_the_page_starts_a_drill_and_progress_suggests_the_next(service: InterviewService) -> None:
    handlers = PageHandlers(service)
    whole_id, _, history, *_ = handlers.start("fraud_card_payments", "E5", 45, [])
    list(handlers.send(whole_id, METRICS_DRILL[0]))
    handlers.end(whole_id)
    drill_id, _, history, chat, _, clock, *_ = handlers.start("fraud_card_payments", "E5", 45, history, "training")
    assert clock.count(f'data-left="{DRILL_MINUTES * 60:.0f}"') == 2  # the interview's and the stage's time: all of it
    drill = service.session(drill_id)
    assert drill.drill_stage is Stage.TRAINING and drill.minutes == DRILL_MINUTES and history == [drill_id, whole_id]
    assert "stage drill on **Training**" in chat[0]["content"]
    handlers.end(drill_id)
    _, summary, button = handlers.progress(history)
    assert "2 finished interviews, 1 of them stage drill." in summary and button["visible"] is True
    suggested = service.practice(history).next_drill
    assert suggested is not None
    assert button["value"] == f"Drill {service.flow().guide(suggested.stage).title.lower()} now"
    next_id, _, after, *_, tab = handlers.drill_next("E5", history)
    assert service.session(next_id).drill_stage is suggested.stage and after[0] == next_id
    assert service.session(next_id).question_id != "fraud_card_payments"  # used by both earlier sessions
    assert isinstance(tab, gr.Tabs)
    with pytest.raises(gr.Error, match="Finish an interview first"):
        handlers.drill_next("E5", [])


def _interviewer(text: str, stage: Stage) -> Turn:
    return Turn("interviewer", text, stage=stage)


def _candidate(text: str) -> Turn:
    return Turn("candidate", text)
