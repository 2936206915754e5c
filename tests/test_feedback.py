from tests.conftest import STRONG_FRAUD

from interviewer.domain import STAGES, Transcript, Turn
from interviewer.feedback import render_markdown
from interviewer.judge import OfflineJudge
from interviewer.questions import QuestionBank


def test_feedback_quotes_the_candidate_and_lists_every_stage(bank: QuestionBank) -> None:
    turns = (
        Turn("interviewer", "Go.", stage=STAGES[0]),
        Turn("candidate", STRONG_FRAUD[0]),
        Turn("candidate", "We randomly split the data."),
    )
    question = bank.get("fraud_card_payments")
    report = OfflineJudge(bank.flow, bank.flags).score(Transcript("t", turns, "fraud_card_payments"), question)
    markdown = render_markdown(bank.flow, report, "Fraud")
    assert "> I'd frame this as a binary classification" in markdown
    for stage in STAGES:
        assert f"| {bank.flow.guide(stage).title} |" in markdown
    assert "not reached" in markdown
    assert "### Red flags" in markdown and "random split" in markdown
    assert "### What to practise next" in markdown
    assert "knowledge/notes/design-flow.md" in markdown
