from dataclasses import replace

from tests.conftest import KNOWLEDGE, STRONG_FRAUD, offline_judge

from interviewer.charts import radar_svg
from interviewer.domain import STAGES, Question, Report, Stage, Transcript, Turn
from interviewer.feedback import practice_next, render_markdown, summary
from interviewer.judge import DEPTH_KINDS, StageFeatures, depth_gaps
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
    assert report.verdict_reason and f"**: {report.verdict_reason} (overall" in lines[0]  # the verdict says why
    assert lines[1].startswith("Strongest: Metrics") and "Work on:" in lines[1]


def test_the_rubric_anchors_every_stage(bank: QuestionBank) -> None:
    text = (KNOWLEDGE / "rubric.md").read_text()
    sections = {part.split("\n", 1)[0]: part for part in text.split("\n## ")[1:]}
    for stage in STAGES:
        section = sections[bank.flow.guide(stage).title]
        assert all(f"- {n}:" in section for n in range(1, 5)), stage
    assert "src/interviewer/judge.py" in text


def _strong_report(bank: QuestionBank) -> tuple[Report, Question]:
    question = bank.get("fraud_card_payments")
    assert question is not None
    turns = [Turn("interviewer", bank.flow.guide(STAGES[0]).opener, stage=STAGES[0])]
    for stage, answer in zip(STAGES, STRONG_FRAUD, strict=False):
        turns += [Turn("interviewer", bank.flow.guide(stage).opener, stage=stage), Turn("candidate", answer)]
    return offline_judge(bank).score(Transcript("t", tuple(turns), question.id), question), question


def test_each_stage_quotes_its_own_sentences_and_a_sentence_sits_under_two_stages_at_most(bank: QuestionBank) -> None:
    report, _ = _strong_report(bank)
    quoted: dict[str, int] = {}
    for stage in STAGES:
        for quote in report.stages[stage].evidence:
            quoted[quote] = quoted.get(quote, 0) + 1
    assert quoted and max(quoted.values()) <= 2
    framing = next(q for q in report.stages[STAGES[0]].evidence if "binary classification" in q)
    assert [s for s in STAGES if framing in report.stages[s].evidence] == [STAGES[0]]


def test_what_a_strong_answer_adds_is_specific_never_a_generic_line(bank: QuestionBank) -> None:
    report, _ = _strong_report(bank)
    markdown = render_markdown(bank.flow, report, "Fraud")
    assert "the reasons, numbers and trade-offs behind each point" not in markdown
    for stage in STAGES:
        result = report.stages[stage]
        if result.score is not None and result.score < 4:
            assert result.missing, stage  # each stage short of 4 names what it lacked
    no_depth = StageFeatures(sentences=2)
    lines = {stage: depth_gaps(no_depth, bank.flow.guide(stage).depth) for stage in STAGES}
    assert all(len(found) == len(DEPTH_KINDS) for found in lines.values())
    every = [line for found in lines.values() for line in found]
    assert len(set(every)) == len(every)  # no line under two stages: each names what that stage lacks
    depth = bank.flow.guide(STAGES[0]).depth
    assert depth_gaps(StageFeatures(), depth) == ()
    assert depth_gaps(StageFeatures(sentences=2, reasons=1, numbers=1, trade_offs=1, failure_modes=1), depth) == ()
    assert depth_gaps(StageFeatures(sentences=2, reasons=1, numbers=1, trade_offs=1), depth) == (depth.failure_modes,)


def test_practice_never_targets_a_stage_done_well(bank: QuestionBank) -> None:
    report, _ = _strong_report(bank)
    scores = {s: 4 if i % 2 else 2 for i, s in enumerate(STAGES)}
    mixed = replace(report, stages={s: replace(report.stages[s], score=scores[s], missing=("say X",)) for s in STAGES})
    items = practice_next(bank.flow, mixed)
    titles = [bank.flow.guide(s).title for s in STAGES]
    assert items and all(any(item.startswith(f"**{t}**") for t in titles) for item in items)
    practised = [s for s in STAGES if any(item.startswith(f"**{bank.flow.guide(s).title}**") for item in items)]
    assert practised and all(scores[s] <= 2 for s in practised)
    assert all(item.endswith("say X") for item in items)
    strong = replace(report, stages={s: replace(report.stages[s], score=3) for s in STAGES})
    assert practice_next(bank.flow, strong) == []


def test_a_red_flag_quotes_the_sentence_that_raised_it_and_says_why(bank: QuestionBank) -> None:
    question = bank.get("fraud_card_payments")
    said = "I would check the accuracy. If it's above 99 percent, it's good."
    turns = (Turn("interviewer", "Metrics?", stage=STAGES[1]), Turn("candidate", said))
    report = offline_judge(bank).score(Transcript("t", turns, "fraud_card_payments"), question)
    flag = next(f for f in report.red_flags if f.id == "accuracy_on_imbalanced")
    assert flag.evidence == "I would check the accuracy." and "rare" in flag.explanation
    assert report.stages[STAGES[1]].score == 1
    markdown = render_markdown(bank.flow, report, "Fraud")
    assert '"I would check the accuracy."' in markdown


def test_a_sentence_that_raised_two_red_flags_is_one_line_naming_both(bank: QuestionBank) -> None:
    question = bank.get("grocery_demand_forecasting")
    said = "For the data, I'd take the two years of sales, shuffle all the rows and do a random 80/20 split."
    turns = (Turn("interviewer", "Training?", stage=Stage.TRAINING), Turn("candidate", said))
    report = offline_judge(bank).score(Transcript("t", turns, "grocery_demand_forecasting"), question)
    assert {"random_split_on_time", "random_split_forecast"} <= {f.id for f in report.red_flags}
    markdown = render_markdown(bank.flow, report, "Grocery")
    flagged = [line for line in markdown.splitlines() if line.startswith("- **") and "shuffle all the rows" in line]
    assert len(flagged) == 1 and "random split on time / random split forecast" in flagged[0]
    assert all(f.explanation in flagged[0] for f in report.red_flags)
    assert "with 1 red flag(s)" in markdown


def test_tied_stages_are_never_named_both_strongest_and_to_work_on(bank: QuestionBank) -> None:
    report, _ = _strong_report(bank)
    titles = {s: bank.flow.guide(s).title for s in STAGES}
    for top in (3, 4):  # all equal: the estimates behind the score name the most (and, below 4, least) convincing
        estimates = {s: top - 0.4 + 0.1 * i for i, s in enumerate(STAGES)}
        tied = replace(report, stages={s: replace(report.stages[s], score=top, estimate=estimates[s]) for s in STAGES})
        line = summary(bank.flow, tied).splitlines()[1]
        assert "Work on" not in line and "Strongest" not in line, line
        most = f"{titles[STAGES[-1]]} ({top}/4), {titles[STAGES[-2]]} ({top}/4)"
        least = f"{titles[STAGES[0]]} ({top}/4), {titles[STAGES[1]]} ({top}/4)."
        if top == 4:  # nothing weak to name beside seven 4s
            assert line == f"Every stage scored 4/4. Most convincing: {most}.", line
            continue
        assert line == f"Every stage scored {top}/4. Most convincing: {most}; least convincing: {least}", line
    mixed = {s: 4 if i < 2 else 3 for i, s in enumerate(STAGES)}  # a 3 is never "strongest" beside 4s
    partly = replace(report, stages={s: replace(report.stages[s], score=mixed[s], estimate=float(mixed[s]))
                                     for s in STAGES})
    strongest, weakest = summary(bank.flow, partly).splitlines()[1].removeprefix("Strongest: ").split(". Work on: ")
    assert strongest == f"{titles[STAGES[0]]} (4/4), {titles[STAGES[1]]} (4/4)"
    assert "(4/4)" not in weakest and weakest.count("(3/4)") == 2


def test_a_stage_quotes_the_sentences_that_answer_it_before_asides(bank: QuestionBank) -> None:
    question = bank.get("support_ticket_routing")
    asides = ["Sorry, I did not say that part yet.", "Oh right, that is a fair point.", "Okay, let me think here."]
    answer = ("For the first version I'd count words with tf-idf and train a logistic regression on the two years "
              "of resolved tickets, because it is quick to build and easy to debug.")
    turns = (Turn("interviewer", "What would you build first?", stage=Stage.MVP_DESIGN),
             Turn("candidate", " ".join([*asides, answer])))
    report = offline_judge(bank).score(Transcript("t", turns, question.id if question else None), question)
    evidence = report.stages[Stage.MVP_DESIGN].evidence
    assert any("tf-idf" in line for line in evidence), evidence
