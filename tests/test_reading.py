"""Which stage a candidate sentence counts for when it states no expected point: its content decides where it is
clear or clearly closer to another stage than to the one being asked about (`reading.stage_by_content`)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from interviewer.domain import ExpectedPoint, Question, Stage, Transcript, Turn
from interviewer.questions import QuestionBank
from interviewer.reading import (
    ASKED_MARGIN,
    BEYOND_FLOOR,
    BEYOND_MARGIN,
    FOLLOW_UP_FIT,
    POINT_LIKELY,
    STAGE_THRESHOLD,
    Reader,
    stage_by_content,
)

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


class _TableSimilarity:
    """Similarities from a table keyed by (sentence, target); anything else is unrelated (0)."""

    def __init__(self, table: dict[tuple[str, str], float]) -> None:
        self._table = table

    def similarities(self, sentences: Sequence[str], targets: Sequence[str]) -> list[list[float]]:
        return [[self._table.get((s, t), 0.0) for t in targets] for s in sentences]


SAID = "We'd wait until the chargeback window closes before a payment becomes a training example."


def _point(question: Question, point_id: str) -> ExpectedPoint:
    return next(p for p in question.expected if p.id == point_id)


@pytest.mark.parametrize(
    ("closeness", "fit", "followed_up"),
    [
        (POINT_LIKELY, FOLLOW_UP_FIT, True),  # clearly about the point, and its follow-up is about what was said
        (POINT_LIKELY - 0.01, 0.9, False),  # too loosely about the point
        (0.9, FOLLOW_UP_FIT - 0.01, False),  # about the point, but the follow-up asks about another side of it
    ],
)
def test_a_point_is_followed_up_only_when_the_sentence_is_about_it_and_the_follow_up_about_the_sentence(
    bank: QuestionBank, closeness: float, fit: float, followed_up: bool
) -> None:
    question = bank.get("fraud_card_payments")
    assert question is not None
    point = _point(question, "delayed_labels")
    table = {(SAID, point.summary): closeness, (SAID, point.deeper): fit}
    reader = Reader(bank.flow, _TableSimilarity(table))
    assert (reader.point_to_follow_up(question, SAID) == point) is followed_up


GOES_FURTHER = "Payments younger than the window stay out of training until their outcome is known."
ANSWERS, STATES = ("answering the follow-up",), ("stating a point",)


@pytest.mark.parametrize(
    ("to_answers", "to_statements", "answered"),
    [
        (BEYOND_FLOOR, BEYOND_FLOOR - BEYOND_MARGIN, True),  # close enough, and nearer the answers than any statement
        (BEYOND_FLOOR - 0.01, 0.0, False),  # nearer the answers, but not close to them
        (0.9, 0.9 - BEYOND_MARGIN + 0.01, False),  # close, but about as close to a way of only stating a point
    ],
)
def test_a_follow_up_is_answered_by_a_sentence_nearer_its_answers_than_any_statement_of_a_point(
    bank: QuestionBank, to_answers: float, to_statements: float, answered: bool
) -> None:
    table = {(GOES_FURTHER, ANSWERS[0]): to_answers, (GOES_FURTHER, STATES[0]): to_statements}
    reader = Reader(bank.flow, _TableSimilarity(table))
    assert reader.answered(ANSWERS, STATES, ["Sure.", GOES_FURTHER]) is answered


def test_without_similarities_or_sentences_no_follow_up_counts_as_answered(bank: QuestionBank) -> None:
    table = {(GOES_FURTHER, ANSWERS[0]): 1.0}
    assert not Reader(bank.flow).answered(ANSWERS, STATES, [GOES_FURTHER])
    assert not Reader(bank.flow, _TableSimilarity(table)).answered(ANSWERS, STATES, ["Sure, fine."])
    assert not Reader(bank.flow, _TableSimilarity(table)).answered((), STATES, [GOES_FURTHER])


TWO_STAGES = "A gradient-boosted model over the per-card velocity counts, trained on data split by time."


def test_a_sentence_stating_points_of_two_stages_counts_first_for_the_one_it_comes_closest_to(
    bank: QuestionBank,
) -> None:
    """Its stages follow its points, the closest first (not the flow's order), so the report can quote it where it
    belongs most."""
    question = bank.get("fraud_card_payments")
    assert question is not None
    framing, model = _point(question, "binary_realtime"), _point(question, "gbdt_imbalance")
    table = {(TWO_STAGES, framing.summary): POINT_LIKELY + 0.15, (TWO_STAGES, model.summary): POINT_LIKELY + 0.2}
    reader = Reader(bank.flow, _TableSimilarity(table))
    assert reader.points(question, [TWO_STAGES]) == [("gbdt_imbalance", "binary_realtime")]
    transcript = Transcript("t", (Turn("interviewer", "Go ahead."), Turn("candidate", TWO_STAGES)), question.id)
    said = reader.read(transcript, question, [(0, TWO_STAGES)]).said
    assert said[0].stages == (Stage.TRAINING, Stage.PROBLEM_FORMULATION)
