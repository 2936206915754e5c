from pathlib import Path

import pytest
from tests.conftest import KNOWLEDGE

from interviewer.domain import STAGES
from interviewer.questions import BankError, QuestionBank, load_bank


def test_bank_has_five_questions_from_different_domains(bank: QuestionBank) -> None:
    assert len(bank.questions) >= 5
    assert len({q.domain for q in bank.questions}) >= 5


def test_every_question_has_a_fact_sheet_and_points_for_every_stage(bank: QuestionBank) -> None:
    for question in bank.questions:
        assert len(question.facts) >= 10, question.id
        assert all(question.points_for(stage) for stage in STAGES), question.id
        assert len(question.curveballs) >= 2, question.id


def test_flow_covers_the_seven_stages_in_order(bank: QuestionBank) -> None:
    assert tuple(bank.flow.guides) == STAGES
    for stage in STAGES:
        guide = bank.flow.guide(stage)
        assert guide.opener and guide.hints and guide.generic_points


def _copy_knowledge(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    (target / "questions").mkdir(parents=True)
    (target / "flow.yaml").write_text((KNOWLEDGE / "flow.yaml").read_text())
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
