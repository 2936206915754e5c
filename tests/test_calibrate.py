"""The judge model's cuts between scores: plain rounding by default, and fitted for agreement with the labellers."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import offline_judge

from interviewer.evals.calibrate import (
    Examples,
    agreement,
    calibrated,
    cross_validated,
    examples,
    fit_cuts,
    judged_by_question,
)
from interviewer.evals.metrics import qwk
from interviewer.evals.runner import evaluate_judge
from interviewer.judge import ROUNDING_CUTS, JudgeModel
from interviewer.questions import BankError, QuestionBank, load_judge_model
from interviewer.transcripts import load_transcript

OWN = Path(__file__).resolve().parents[1] / "evals" / "own" / "transcripts"


def test_default_cuts_round_and_keep_the_estimate() -> None:
    model = JudgeModel()
    assert model.cuts == ROUNDING_CUTS
    assert [model.score(x) for x in (0.2, 1.49, 1.5, 2.7, 3.49, 3.5, 5.0)] == [1, 1, 2, 3, 3, 4, 4]
    assert [model.on_scale(x) for x in (1.2, 2.0, 3.7)] == pytest.approx([1.2, 2.0, 3.7])


def test_fitted_cuts_map_onto_the_scale_monotonically() -> None:
    model = JudgeModel(cuts=(1.5, 2.4, 3.0))
    assert model.score(2.99) == 3 and model.score(3.0) == 4
    assert model.on_scale(3.0) == pytest.approx(3.5) and model.on_scale(2.4) == pytest.approx(2.5)
    assert model.on_scale(2.7) == pytest.approx(3.0)  # half-way between the cuts into 3 and into 4
    values = [model.on_scale(x / 10) for x in range(0, 50)]
    assert values == sorted(values)


def _compressed() -> tuple[JudgeModel, Examples]:
    """A model whose estimates sit in the middle: labels 4 come out around 3.3, labels 3 around 2.9."""
    model = JudgeModel(intercept=0.0, weights={"x": 1.0})
    estimates = [1.2, 1.3, 2.0, 2.1, 2.6, 2.8, 2.9, 3.0, 3.25, 3.3, 3.35, 3.4]
    labels = [1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4]
    return model, Examples([{"x": e} for e in estimates], labels, labels)


def test_fitted_cuts_agree_better_than_rounding_and_leave_the_cut_into_two() -> None:
    model, data = _compressed()
    fitted = fit_cuts(model, data)
    estimates = [model.predict(row) for row in data.rows]
    rounded = qwk(data.first, [model.score(e) for e in estimates])
    agreed = qwk(data.first, [fitted.score(e) for e in estimates])
    assert agreed > rounded
    assert agreed == pytest.approx(1.0)
    assert fitted.cuts[0] == ROUNDING_CUTS[0]
    assert fitted.cuts[0] < fitted.cuts[1] < fitted.cuts[2] <= 3.25


def test_cuts_out_of_order_are_refused_with_the_file_named(tmp_path: Path) -> None:
    (tmp_path / "judge_model.yaml").write_text("intercept: 1.0\nweights: {coverage: 1.0}\ncuts: [2.5, 1.5, 3.5]\n")
    with pytest.raises(BankError, match=r"judge_model\.yaml.*cuts must increase"):
        load_judge_model(tmp_path)


def _noise(questions: int = 6, per_question: int = 12) -> Examples:
    """Labels that no feature predicts: twelve random features, labels 1-4 at random, in groups by question."""
    rng = random.Random(3)
    rows = [{f"f{k}": rng.random() for k in range(12)} for _ in range(questions * per_question)]
    first = [rng.randint(1, 4) for _ in rows]
    second = [min(4, max(1, label + rng.choice((-1, 0, 0, 1)))) for label in first]
    groups = [f"q{i // per_question}" for i in range(len(rows))]
    return Examples(rows, first, second, groups)


def test_cross_validation_scores_each_question_with_a_model_that_never_saw_it() -> None:
    """On noise the fit agrees with its own rows by chance; a question left out of the fit does not, so agreement
    cross-validated by question falls to about nothing (it would match the fit if the left-out rows leaked in)."""
    data = _noise()
    fitted = agreement(calibrated(data, alpha=0.01), data)
    left_out = cross_validated(data, alpha=0.01)
    assert min(fitted) > 0.2
    assert max(left_out) < min(fitted) - 0.15


def test_cross_validation_finds_a_signal_every_question_shares() -> None:
    data = _noise()
    signal = Examples([{**row, "f0": float(label)} for row, label in zip(data.rows, data.first, strict=True)],
                      data.first, data.second, data.groups)
    first, second = cross_validated(signal, alpha=0.01)
    assert first == pytest.approx(1.0) and second > 0.7


def test_a_subset_keeps_rows_labels_and_questions_together() -> None:
    data = _noise(questions=2, per_question=2)
    kept = data.subset([True, False, False, True])
    assert kept.rows == [data.rows[0], data.rows[3]] and kept.groups == ["q0", "q1"]
    assert kept.first == [data.first[0], data.first[3]] and kept.second == [data.second[0], data.second[3]]


def test_the_whole_judge_is_checked_by_question_with_models_that_never_saw_it(bank: QuestionBank) -> None:
    """Each question's interviews are scored by the judge (its rules too) with a model calibrated on the other
    question's interviews only: the figures equal doing that by hand, and differ from scoring with a model fit on
    all of them (which is what a leak would give)."""
    names = [p for p in sorted(OWN.glob("*.json")) if p.name.split("__")[0] in ("smart_reply", "spam_email_filter")]
    cases = [case for case in (load_transcript(path).labelled() for path in names) if case is not None]
    judge = offline_judge(bank)
    questions = {q.id: q for q in bank.questions}
    data = examples(judge, cases, questions)
    found = judged_by_question(judge, cases, questions, data, alpha=1.0)

    def by_hand(model_for: Callable[[str], JudgeModel]) -> tuple[float, float]:
        reports = {c.transcript.id: judge.with_model(model_for(c.transcript.question_id or "")).score(
            c.transcript, questions[c.transcript.question_id or ""]) for c in cases}
        result = evaluate_judge(cases, lambda t: reports[t.id])["agreement"]
        return result["judge_vs_labels"]["pooled_qwk"], result["judge_vs_labels_b"]["pooled_qwk"]

    def left_out(question: str) -> JudgeModel:
        return calibrated(data.subset([g != question for g in data.groups]), 1.0)

    everything = calibrated(data, 1.0)
    assert found["pooled_qwk"] == by_hand(left_out)
    assert found["pooled_qwk"] != by_hand(lambda _: everything)
    assert all(-1.0 <= value <= 1.0 for pair in found.values() for value in pair)
