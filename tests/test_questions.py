import re
from pathlib import Path

import pytest
from tests.conftest import KNOWLEDGE

from interviewer.domain import STAGES, Output, Stage
from interviewer.policy import covered_points, find_facts
from interviewer.questions import BankError, QuestionBank, load_bank
from interviewer.text import terms

DOMAINS = {"recommendation", "ranking", "search", "ads", "fraud", "nlp", "vision", "forecasting", "on_device"}


def test_bank_has_thirty_questions_over_the_named_domains(bank: QuestionBank) -> None:
    assert len(bank.questions) >= 30
    assert {q.domain for q in bank.questions} >= DOMAINS


def test_every_fact_is_found_by_one_of_its_own_cues(bank: QuestionBank) -> None:
    for question in bank.questions:
        for fact in question.facts:
            assert any(fact in find_facts(question, f"What about the {cue}?") for cue in fact.cues), (
                question.id, fact.id)


def test_every_expected_point_is_matched_by_its_own_cues(bank: QuestionBank) -> None:
    for question in bank.questions:
        for point in question.expected:
            assert any(point.id in covered_points(question, f"I would use {cue} here.") for cue in point.cues), (
                question.id, point.id)


def test_every_expected_point_has_its_own_follow_up_that_gives_no_fact_and_no_answer(bank: QuestionBank) -> None:
    """Asked right after the candidate stated the point: one question, no number from the sheet, not the probe (which
    asks for the point itself), and each different within its question. Every problem is listed, not the first."""
    problems = []
    for question in bank.questions:
        follow_ups = [p.deeper for p in question.expected]
        for point in question.expected:
            where = f"{question.id}.{point.id}"
            if not point.deeper.endswith("?") or point.deeper.count("?") > 1:
                problems.append(f"{where}: not one question: {point.deeper!r}")
            if re.search(r"\d", point.deeper) or point.deeper == point.probe or follow_ups.count(point.deeper) > 1:
                problems.append(f"{where}: a number, its probe or a follow-up said twice: {point.deeper!r}")
    assert not problems, "\n".join(problems)


def test_every_expected_point_has_ways_of_answering_its_follow_up_that_are_statements(bank: QuestionBank) -> None:
    """knowledge/beyond: at least five statements per point (the interviewer does not ask a follow-up the candidate
    has answered already), none a question, none the follow-up itself. Every problem is listed, not the first."""
    problems = [
        f"{question.id}.{point.id}: {len(point.beyond)} ways of answering, or one that asks or repeats the follow-up"
        for question in bank.questions
        for point in question.expected
        if len(point.beyond) < 5 or any(said.endswith("?") or said == point.deeper for said in point.beyond)
    ]
    assert not problems, "\n".join(problems)


def test_ways_of_answering_a_follow_up_for_an_unknown_point_are_rejected(tmp_path: Path) -> None:
    knowledge = _copy_knowledge(tmp_path)
    (knowledge / "questions" / "ads_ctr.yaml").write_text((KNOWLEDGE / "questions" / "ads_ctr.yaml").read_text())
    (knowledge / "beyond").mkdir()
    beyond = knowledge / "beyond" / "ads_ctr.yaml"
    beyond.write_text("phrasings:\n  no_such_point:\n    - I would wait a day before counting a miss.\n")
    with pytest.raises(BankError, match=r"beyond/ads_ctr\.yaml: no such id\(s\) in the question: no_such_point"):
        load_bank(knowledge)


def test_every_design_choice_has_ways_of_answering_its_probe_and_of_only_naming_it(bank: QuestionBank) -> None:
    """knowledge/beyond/_choices.yaml: at least eight ways of answering each choice's probe and five of only naming it,
    none a question nor the probe itself (the interviewer does not probe a choice the candidate has answered for).
    Every problem is listed, not the first."""
    problems = [
        f"{choice.id}: {len(choice.beyond)} ways of answering, {len(choice.names)} of naming, or one that asks"
        for choice in bank.probes.choices
        if len(choice.beyond) < 8 or len(choice.names) < 5
        or any(said.endswith("?") or said in {choice.probe_for(output) for output in Output}
               for said in (*choice.beyond, *choice.names))
    ]
    assert not problems, "\n".join(problems)


def test_ways_of_answering_the_probe_of_an_unknown_choice_are_rejected(tmp_path: Path) -> None:
    knowledge = _copy_knowledge(tmp_path)
    (knowledge / "beyond").mkdir(exist_ok=True)
    (knowledge / "beyond" / "_choices.yaml").write_text(
        "choices:\n  no_such_choice:\n    answers: [Because it is quick.]\n    names: [We use it.]\n")
    with pytest.raises(BankError, match=r"_choices\.yaml: no such choice\(s\) in probes\.yaml: no_such_choice"):
        load_bank(knowledge)


def test_every_question_has_a_fact_sheet_and_points_for_every_stage(bank: QuestionBank) -> None:
    for question in bank.questions:
        assert len(question.facts) >= 10, question.id
        assert all(question.points_for(stage) for stage in STAGES), question.id
        assert len(question.curveballs) >= 2 and question.red_flags, question.id


def test_flow_covers_the_seven_stages_in_order(bank: QuestionBank) -> None:
    assert tuple(bank.flow.guides) == STAGES
    for stage in STAGES:
        guide = bank.flow.guide(stage)
        assert guide.opener and guide.hints and guide.generic_points


def _copy_knowledge(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    (target / "questions").mkdir(parents=True)
    for name in ("flow.yaml", "probes.yaml", "red_flags.yaml"):
        (target / name).write_text((KNOWLEDGE / name).read_text())
    return target


def test_a_question_missing_a_stage_is_rejected_with_file_and_field(tmp_path: Path) -> None:
    knowledge = _copy_knowledge(tmp_path)
    text = (KNOWLEDGE / "questions" / "ads_ctr.yaml").read_text()
    broken = text.split("  scaling_monitoring:")[0] + "red_flags: []\n"
    (knowledge / "questions" / "ads_ctr.yaml").write_text(broken)
    with pytest.raises(BankError, match=r"ads_ctr\.yaml.*scaling_monitoring"):
        load_bank(knowledge)


def test_unreadable_yaml_is_a_clear_error(tmp_path: Path) -> None:
    knowledge = _copy_knowledge(tmp_path)
    (knowledge / "questions" / "bad.yaml").write_text("id: [unclosed\n")
    with pytest.raises(BankError, match=r"bad\.yaml: cannot read YAML"):
        load_bank(knowledge)


def test_an_empty_question_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(BankError, match="no question files"):
        load_bank(_copy_knowledge(tmp_path))


def test_a_stage_needs_a_deeper_question_that_quotes_nothing(tmp_path: Path) -> None:
    knowledge = _copy_knowledge(tmp_path)
    flow = (knowledge / "flow.yaml").read_text()
    quoting = flow.replace('deeper: "where could', 'deeper: "you said {quote}: where could', 1)
    (knowledge / "flow.yaml").write_text(quoting)
    with pytest.raises(BankError, match=r"flow\.yaml: stages\.metrics\.deeper.*quotes nothing"):
        load_bank(knowledge)
    (knowledge / "flow.yaml").write_text("\n".join(line for line in flow.splitlines() if "    deeper:" not in line))
    with pytest.raises(BankError, match=r"deeper: Field required"):
        load_bank(knowledge)
    quoting = flow.replace('on_device: "what happens', 'on_device: "you said {quote}: what', 1)
    (knowledge / "flow.yaml").write_text(quoting)
    with pytest.raises(BankError, match=r"deeper_for.*quotes nothing"):
        load_bank(knowledge)


def test_a_stage_can_ask_its_deeper_question_differently_for_a_domain_it_does_not_fit(bank: QuestionBank) -> None:
    """An on-device model serves no requests and looks nothing up: serving's deeper question for such a question asks
    about slow devices instead; every other domain gets the stage's own (raters of rounds 41-44 marked the request
    wording as not fitting a wake-word detector)."""
    serving = bank.flow.guide(Stage.INFERENCE)
    on_device = serving.deeper_in("on_device")
    assert on_device != serving.deeper and "device" in on_device and "request" not in on_device
    assert {serving.deeper_in(q.domain) for q in bank.questions if q.domain != "on_device"} == {serving.deeper}


def test_a_question_must_say_what_its_system_produces(tmp_path: Path) -> None:
    knowledge = _copy_knowledge(tmp_path)
    text = (KNOWLEDGE / "questions" / "receipt_ocr.yaml").read_text()
    (knowledge / "questions" / "receipt_ocr.yaml").write_text(text.replace("output: extraction\n", ""))
    with pytest.raises(BankError, match=r"receipt_ocr\.yaml: output: Field required"):
        load_bank(knowledge)


def test_a_twist_answered_by_an_unknown_point_is_rejected_with_each_unknown_id(tmp_path: Path) -> None:
    knowledge = _copy_knowledge(tmp_path)
    text = (KNOWLEDGE / "questions" / "lookalike_audiences.yaml").read_text()
    linked = "  answered_by:\n  - small_seeds\n"
    broken = text.replace(linked, f"{linked}  - tiny_lists\n  - few\n")
    assert broken != text
    (knowledge / "questions" / "lookalike_audiences.yaml").write_text(broken)
    unknown = r"unknown expected points: tiny_seed: tiny_lists, tiny_seed: few"
    with pytest.raises(BankError, match=rf"lookalike_audiences\.yaml.*{unknown}"):
        load_bank(knowledge)


def test_a_flag_with_a_single_group_to_find_together_is_rejected(tmp_path: Path) -> None:
    knowledge = _copy_knowledge(tmp_path)
    flags = (knowledge / "red_flags.yaml").read_text()
    start = flags.index("    when_together:")
    end = flags.index("    not_with:")
    one_group = "    when_together:\n      - [random, shuffle]\n"
    (knowledge / "red_flags.yaml").write_text(flags[:start] + one_group + flags[end:])
    with pytest.raises(BankError, match=r"red_flags\.yaml.*two or more groups"):
        load_bank(knowledge)


def test_a_serious_mistake_without_a_press_for_its_defence_is_rejected(tmp_path: Path) -> None:
    knowledge = _copy_knowledge(tmp_path)
    flags = (knowledge / "red_flags.yaml").read_text()
    start = flags.index("    press:")
    end = flags.index("    explanation:", start)
    (knowledge / "red_flags.yaml").write_text(flags[:start] + flags[end:])
    with pytest.raises(BankError, match=r"red_flags\.yaml.*label_leakage.*`press`"):
        load_bank(knowledge)


def test_common_phrasings_for_a_fact_id_no_question_has_are_rejected(tmp_path: Path) -> None:
    knowledge = _copy_knowledge(tmp_path)
    (knowledge / "questions" / "ads_ctr.yaml").write_text((KNOWLEDGE / "questions" / "ads_ctr.yaml").read_text())
    (knowledge / "asks").mkdir()
    common = knowledge / "asks" / "_common.yaml"
    common.write_text((KNOWLEDGE / "asks" / "_common.yaml").read_text() + "  lateny:\n    - How fast must it be?\n")
    with pytest.raises(BankError, match=r"_common\.yaml: no question has a fact with id\(s\): .*lateny"):
        load_bank(knowledge)


def test_questions_no_sheet_answers_are_shared_by_every_question_and_an_empty_list_is_rejected(tmp_path: Path) -> None:
    bank = load_bank(KNOWLEDGE)
    shared = {q.unanswered for q in bank.questions}
    assert len(shared) == 1 and len(next(iter(shared))) >= 100
    knowledge = _copy_knowledge(tmp_path)
    (knowledge / "questions" / "ads_ctr.yaml").write_text((KNOWLEDGE / "questions" / "ads_ctr.yaml").read_text())
    (knowledge / "asks").mkdir()
    (knowledge / "asks" / "_off_sheet.yaml").write_text("asks: []\n")
    with pytest.raises(BankError, match=r"_off_sheet\.yaml: asks: .*at least 1"):
        load_bank(knowledge)


def test_a_bridge_names_its_area_and_nothing_the_question_after_it_says_again(bank: QuestionBank) -> None:
    """The bridge leads into a stage's first open point ("On to staying healthy. Once it's running, ...");
    beyond the stage's own name, no word of it comes back in the first clause of a question that may follow it."""
    repeated = []
    for stage in STAGES:
        guide = bank.flow.guide(stage)
        own = terms(guide.bridge) - terms(guide.title) - terms("let's")
        for question in bank.questions:
            for point in (*question.points_for(stage), *guide.generic_points):
                shared = own & terms(point.probe.split(",")[0])
                if shared:
                    repeated.append((question.id, guide.bridge, point.probe, sorted(shared)))
    assert repeated == []


def test_each_stock_ask_about_an_idea_has_its_own_answering_words_or_none(tmp_path: Path) -> None:
    knowledge = _copy_knowledge(tmp_path)
    probes = (knowledge / "probes.yaml").read_text()
    one_short = probes.replace("idea_asks_answered_by:\n", "idea_asks_answered_by:\n  - [extra]\n", 1)
    (knowledge / "probes.yaml").write_text(one_short)
    with pytest.raises(BankError, match=r"probes\.yaml.*idea_asks_answered_by.*one entry for each ask"):
        load_bank(knowledge)


def test_no_stage_is_announced_as_the_last_one(bank: QuestionBank) -> None:
    """A stage may be taken up in any order and earlier ones taken up again after it ("Before we close, back to ..."),
    so no opener or bridge says it is the last: raters marked "Last area: staying healthy." at exchange 8 of a
    21-exchange interview as premature, and as false where the interview went on long after it."""
    claims = [(stage.value, line) for stage in STAGES for line in (bank.flow.guide(stage).opener,
                                                                    bank.flow.guide(stage).bridge)
              if re.search(r"\b(?:last|final|finally)\b", line, re.IGNORECASE)]
    assert claims == []
