"""Which stage a candidate sentence counts for when it states no expected point: its content decides where it is
clear or clearly closer to another stage than to the one being asked about (`reading.stage_by_content`)."""

from __future__ import annotations

from interviewer.domain import Stage
from interviewer.reading import ASKED_MARGIN, STAGE_THRESHOLD, stage_by_content

LOW = STAGE_THRESHOLD - 0.15  # below the similarity at which content alone decides


def test_content_clearly_about_a_stage_decides_whatever_was_asked() -> None:
    closeness = {Stage.PROBLEM_FORMULATION: LOW, Stage.TRAINING: STAGE_THRESHOLD + 0.1}
    assert stage_by_content(closeness, Stage.PROBLEM_FORMULATION) is Stage.TRAINING


def test_a_sentence_closer_to_another_stage_leaves_the_asked_one() -> None:
    """A model architecture given in answer to 'what problem are we solving?' is about the design."""
    closeness = {Stage.PROBLEM_FORMULATION: LOW, Stage.MVP_DESIGN: LOW + ASKED_MARGIN + 0.01}
    assert stage_by_content(closeness, Stage.PROBLEM_FORMULATION) is Stage.MVP_DESIGN


def test_a_sentence_about_as_close_to_the_asked_stage_stays_with_it() -> None:
    closeness = {Stage.PROBLEM_FORMULATION: LOW, Stage.MVP_DESIGN: LOW + ASKED_MARGIN / 2}
    assert stage_by_content(closeness, Stage.PROBLEM_FORMULATION) is Stage.PROBLEM_FORMULATION


def test_with_nothing_asked_yet_the_closest_stage_counts() -> None:
    closeness = {Stage.METRICS: LOW, Stage.DATA_PIPELINE: LOW + 0.001}
    assert stage_by_content(closeness, None) is Stage.DATA_PIPELINE


def test_without_similarities_the_asked_stage_counts() -> None:
    assert stage_by_content({}, Stage.INFERENCE) is Stage.INFERENCE
    assert stage_by_content({}, None) is None
