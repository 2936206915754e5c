from __future__ import annotations

from tests.conftest import STRONG_FRAUD

from interviewer.domain import STAGES, Question, Stage, Turn, TurnKind
from interviewer.policy import ASSUMPTION_REPLY, OfflineInterviewer
from interviewer.questions import QuestionBank


def _talk(policy: OfflineInterviewer, question: Question, messages: list[str] | tuple[str, ...]) -> list[Turn]:
    opening = policy.opening(question)
    turns = [Turn("interviewer", opening.text, stage=opening.stage)]
    for message in messages:
        move = policy.respond(question, turns, message)
        turns += [Turn("candidate", message), Turn("interviewer", move.text, move.kind, move.stage)]
    return turns


def test_the_same_clarifying_question_asked_three_ways_gets_the_same_fact(bank: QuestionBank) -> None:
    policy, question = OfflineInterviewer(bank.flow), bank.get("fraud_card_payments")
    assert question is not None
    replies = {
        policy.respond(question, [], asked).text
        for asked in ("What's the scale?", "How many transactions per second do we see", "What volume should I expect?")
    }
    assert replies == {"About 5,000 transactions per second at peak, roughly 150 million a day."}


def test_a_fact_not_on_the_sheet_gets_make_an_assumption(bank: QuestionBank) -> None:
    policy, question = OfflineInterviewer(bank.flow), bank.get("fraud_card_payments")
    assert question is not None
    assert policy.respond(question, [], "What colour is the company logo?").text == ASSUMPTION_REPLY


def test_clarifying_questions_do_not_move_the_interview_on(bank: QuestionBank) -> None:
    policy, question = OfflineInterviewer(bank.flow), bank.get("fraud_card_payments")
    assert question is not None
    turns = _talk(policy, question, ["What is the latency budget?", "Do we have labels?"])
    progress = policy.progress(question, turns)
    assert progress.stage is Stage.PROBLEM_FORMULATION
    assert set(progress.coverage.values()) == {0.0}


def test_a_strong_candidate_walks_all_seven_stages_in_order(bank: QuestionBank) -> None:
    policy, question = OfflineInterviewer(bank.flow), bank.get("fraud_card_payments")
    assert question is not None
    turns = _talk(policy, question, STRONG_FRAUD)
    visited = list(dict.fromkeys(t.stage for t in turns if t.role == "interviewer"))
    assert visited == list(STAGES)
    progress = policy.progress(question, turns)
    assert progress.finished
    assert min(progress.coverage.values()) >= 0.5


def test_a_missing_point_gets_a_follow_up_before_moving_on(bank: QuestionBank) -> None:
    policy, question = OfflineInterviewer(bank.flow), bank.get("fraud_card_payments")
    assert question is not None
    move = policy.respond(question, [], "It's a binary classification producing a fraud probability.")
    missing = next(p for p in question.points_for(Stage.PROBLEM_FORMULATION) if p.id == "cost_asymmetry")
    assert move.stage is Stage.PROBLEM_FORMULATION
    assert move.text.endswith(missing.probe)


def test_a_silent_candidate_is_still_moved_through_every_stage(bank: QuestionBank) -> None:
    policy, question = OfflineInterviewer(bank.flow), bank.get("feed_ranking")
    assert question is not None
    turns = _talk(policy, question, ["not sure"] * 30)
    assert [s for s in STAGES if any(t.stage is s for t in turns)] == list(STAGES)
    assert policy.progress(question, turns).finished


def test_replies_never_reveal_an_expected_point_summary(bank: QuestionBank) -> None:
    policy = OfflineInterviewer(bank.flow)
    for question in bank.questions:
        turns = _talk(policy, question, ["I am not sure, let me think."] * 25)
        said = " ".join(t.content for t in turns if t.role == "interviewer")
        for point in question.expected:
            assert point.summary not in said, (question.id, point.id)


def test_hints_are_stage_specific_and_rotate(bank: QuestionBank) -> None:
    policy, question = OfflineInterviewer(bank.flow), bank.get("search_ranking")
    assert question is not None
    first = policy.hint(question, [])
    second = policy.hint(question, [Turn("interviewer", first.text, TurnKind.HINT, first.stage)])
    hints = bank.flow.guide(Stage.PROBLEM_FORMULATION).hints
    assert first.kind is TurnKind.HINT
    assert (first.text, second.text) == (f"Hint: {hints[0]}", f"Hint: {hints[1]}")


def test_state_is_rebuilt_exactly_from_the_turns(bank: QuestionBank) -> None:
    policy, question = OfflineInterviewer(bank.flow), bank.get("fraud_card_payments")
    assert question is not None
    turns = _talk(policy, question, STRONG_FRAUD[:3])
    assert policy.state(question, turns) == policy.state(question, list(turns))
    assert policy.progress(question, turns).stage is Stage.DATA_PIPELINE
