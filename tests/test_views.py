from interviewer.domain import STAGES, Stage, Turn, TurnKind
from interviewer.questions import QuestionBank
from interviewer.views import SURPRISE_ME, chat_messages, progress_bar, question_choices, stage_tracker


def test_question_choices_offer_surprise_me_first(bank: QuestionBank) -> None:
    choices = question_choices(bank.questions)
    assert choices[0][1] == SURPRISE_ME
    assert {value for _, value in choices[1:]} == {q.id for q in bank.questions}


def test_chat_messages_map_roles_and_mark_hints() -> None:
    turns = [Turn("interviewer", "Q"), Turn("candidate", "<b>A</b>"), Turn("interviewer", "Hint: h", TurnKind.HINT)]
    assert chat_messages(turns) == [
        {"role": "assistant", "content": "Q"},
        {"role": "user", "content": "<b>A</b>"},
        {"role": "assistant", "content": "💡 Hint: h"},
    ]


def test_stage_tracker_marks_the_current_stage_and_coverage(bank: QuestionBank) -> None:
    table = stage_tracker(bank.flow, {Stage.METRICS: 0.5}, Stage.METRICS)
    rows = table.splitlines()[2:]
    assert len(rows) == len(STAGES)
    assert rows[1].startswith("| ▶ | **Metrics** |") and "50%" in rows[1]
    assert rows[0].startswith("| 1 |") and "0%" in rows[0]


def test_progress_bar_clamps() -> None:
    assert progress_bar(0.5) == "█████░░░░░"
    assert progress_bar(2.0) == "█" * 10 and progress_bar(-1) == "░" * 10
