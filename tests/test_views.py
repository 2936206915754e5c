import re

from tests.conftest import sample_report

from interviewer.domain import STAGES, Report, Session, Stage, Turn, TurnKind, Verdict
from interviewer.policy import Progress
from interviewer.questions import QuestionBank
from interviewer.views import (
    SURPRISE_ME,
    HistoryEntry,
    chat_messages,
    clock_for,
    clock_html,
    compare_markdown,
    domain_choices,
    history_headers,
    history_rows,
    question_choices,
    stage_tracker,
)


def test_question_choices_offer_surprise_me_first(bank: QuestionBank) -> None:
    choices = question_choices(bank.questions)
    assert choices[0][1] == SURPRISE_ME
    assert {value for _, value in choices[1:]} == {q.id for q in bank.questions}


def test_chat_messages_map_roles_and_mark_hints() -> None:
    turns = [Turn("interviewer", "Q"), Turn("candidate", "<b>A</b>"), Turn("interviewer", "Hint: h", TurnKind.HINT)]
    assert chat_messages(turns) == [
        {"role": "assistant", "content": "Q"},
        {"role": "user", "content": "&lt;b&gt;A&lt;/b&gt;"},
        {"role": "assistant", "content": "💡 Hint: h"},
    ]


def test_domain_filter_keeps_only_that_domains_questions(bank: QuestionBank) -> None:
    domains = [value for _, value in domain_choices(bank.questions)]
    assert domains[0] == "" and "fraud" in domains and len(domains) == len({q.domain for q in bank.questions}) + 1
    fraud = question_choices(bank.questions, "fraud")
    assert fraud[0][1] == SURPRISE_ME
    assert {v for _, v in fraud[1:]} == {q.id for q in bank.questions if q.domain == "fraud"}
    assert "fraud_card_payments" in {v for _, v in fraud}


def test_stage_tracker_marks_the_current_stage_and_coverage(bank: QuestionBank) -> None:
    html = stage_tracker(bank.flow, {Stage.METRICS: 0.5, Stage.TRAINING: 3.0}, Stage.METRICS)
    items = re.findall(r'<li class="([^"]*)" (?:aria-current="step" )?data-stage="(\w+)">', html)
    assert [stage for _, stage in items] == [s.value for s in STAGES]
    assert [stage for cls, stage in items if "current" in cls] == ["metrics"]
    assert 'aria-current="step" data-stage="metrics"' in html
    assert 'aria-valuenow="50"' in html and 'aria-valuenow="100"' in html  # coverage is clamped to 100%


def test_clock_waits_for_the_first_answer_then_counts_down() -> None:
    waiting = clock_for(Progress(Stage.PROBLEM_FORMULATION, {}, budget_s=1800), now=5000)
    assert (waiting.running, waiting.interview_left_s, waiting.stage_left_s) == (False, 1800, 1800 * 0.12)
    assert "starts with your first answer" in clock_html(waiting) and 'data-state="waiting"' in clock_html(waiting)
    running = clock_for(Progress(Stage.METRICS, {}, started_at=1000, stage_started_at=1200, budget_s=1800), 1300)
    assert (running.interview_left_s, running.stage_left_s) == (1500, 1800 * 0.12 - 100)
    rendered = clock_html(running)
    assert 'data-left="1500"' in rendered and ">25:00<" in rendered and 'data-state="running"' in rendered
    over = clock_for(Progress(Stage.METRICS, {}, started_at=0, stage_started_at=0, budget_s=60), 100)
    assert 'class="left over"' in clock_html(over) and ">0:00<" in clock_html(over)
    assert "Interview ended" in clock_html(clock_for(Progress(Stage.METRICS, {}), 0, ended=True))
    assert "starts when you start" in clock_html(None)


def _report(overall: float, **scores: int | None) -> Report:
    return sample_report(overall, Verdict.NO_HIRE, **scores)


def _entry(at: float, question: str = "fraud_card_payments", report: Report | None = None) -> HistoryEntry:
    session = Session(f"s{at:.0f}", question, "E5", at, (Turn("interviewer", "hi"),), ended=report is not None)
    return HistoryEntry(session, "Fraud <detection>", report)


def test_history_headers_name_every_stage_briefly() -> None:
    headers = history_headers()
    assert headers[:6] == ["When", "Question", "Level", "Status", "Verdict", "Overall"]
    assert len(headers) == 6 + len(STAGES) and all(len(h) <= 9 for h in headers[6:])


def test_history_rows_show_status_verdict_and_stage_scores() -> None:
    ended, open_ = _entry(0, report=_report(2.5, metrics=3)), _entry(86_400)
    rows = history_rows([ended, open_])
    assert rows[0][:6] == ["1970-01-01 00:00 UTC", "Fraud <detection>", "E5", "ended", "no hire", "2.50"]
    assert rows[0][6:] == ["–", "3", "–", "–", "–", "–", "–"]
    assert rows[1][3] == "in progress (1 turns)" and rows[1][4:6] == ["–", "–"]


def test_compare_shows_the_change_per_stage(bank: QuestionBank) -> None:
    first = _entry(0, report=_report(2.0, metrics=2, training=3))
    second = _entry(100, report=_report(2.75, metrics=4, training=3))
    table = compare_markdown(bank.flow, first, second)
    assert "| Metrics | 2 | 4 | +2.00 |" in table and "| Training | 3 | 3 | ±0 |" in table
    assert "| **Overall** | 2 | 2.75 | +0.75 |" in table and "| Data pipeline | – | – | – |" in table
    assert "Fraud &lt;detection&gt;" in table
    assert "same question" in compare_markdown(bank.flow, first, _entry(5, "ads_ctr", _report(1.0)))
    assert "need to be ended" in compare_markdown(bank.flow, first, _entry(5))
