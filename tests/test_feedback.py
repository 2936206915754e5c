from tests.conftest import KNOWLEDGE, STRONG_FRAUD, offline_judge

from interviewer.charts import radar_svg
from interviewer.domain import STAGES, Transcript, Turn
from interviewer.feedback import render_markdown, summary
from interviewer.questions import QuestionBank


def test_feedback_quotes_the_candidate_and_lists_every_stage(bank: QuestionBank) -> None:
    turns = (
        Turn("interviewer", "Go.", stage=STAGES[0]),
        Turn("candidate", STRONG_FRAUD[0]),
        Turn("candidate", "We randomly split the data."),
    )
    question = bank.get("fraud_card_payments")
    report = offline_judge(bank).score(Transcript("t", turns, "fraud_card_payments"), question)
    markdown = render_markdown(bank.flow, report, "Fraud")
    assert "> I'd frame this as a binary classification" in markdown
    for stage in STAGES:
        assert f"| {bank.flow.guide(stage).title} |" in markdown
    assert "not reached" in markdown
    assert "### Red flags" in markdown and "random split" in markdown
    assert "### What to practise next" in markdown
    assert "knowledge/notes/design-flow.md" in markdown


def test_the_radar_chart_has_an_axis_per_stage_and_escapes_labels() -> None:
    titles = {stage: f"<b>{stage.value}</b>" for stage in STAGES}
    scores = {stage: (4 if i == 0 else None) for i, stage in enumerate(STAGES)}
    svg = radar_svg(scores, titles)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<line ") == len(STAGES) and "<b>" not in svg and "&lt;b&gt;" in svg
    assert "(4/4)" in svg and svg.count("(not reached)") == len(STAGES) - 1


def test_the_summary_is_two_lines_naming_strengths_and_gaps(bank: QuestionBank) -> None:
    question = bank.get("fraud_card_payments")
    turns = (Turn("interviewer", "Go.", stage=STAGES[0]), Turn("candidate", STRONG_FRAUD[1]))
    report = offline_judge(bank).score(Transcript("t", turns, "fraud_card_payments"), question)
    lines = summary(bank.flow, report).splitlines()
    assert len(lines) == 2 and lines[0].startswith("**Verdict:") and "1 of 7 stages" not in lines[0]
    assert lines[1].startswith("Strongest: Metrics") and "Work on:" in lines[1]


def test_the_rubric_anchors_every_stage(bank: QuestionBank) -> None:
    text = (KNOWLEDGE / "rubric.md").read_text()
    sections = {part.split("\n", 1)[0]: part for part in text.split("\n## ")[1:]}
    for stage in STAGES:
        section = sections[bank.flow.guide(stage).title]
        assert all(f"- {n}:" in section for n in range(1, 5)), stage
    assert "src/interviewer/judge.py" in text
