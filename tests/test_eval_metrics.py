from __future__ import annotations

from interviewer.domain import STAGES, Transcript, Turn, Verdict
from interviewer.evals.baselines import length_scores, random_scores
from interviewer.evals.metrics import agreement, judged

HIGH = dict.fromkeys(STAGES, 4)
LOW: dict = {stage: (1 if i < 3 else None) for i, stage in enumerate(STAGES)}
MID = dict.fromkeys(STAGES, 2)


def test_perfect_agreement_scores_one_everywhere() -> None:
    rows = [judged(HIGH, Verdict.STRONG_HIRE, HIGH, "E5"), judged(LOW, Verdict.STRONG_NO_HIRE, LOW, "E5"),
            judged(MID, Verdict.NO_HIRE, MID, "E5")]
    metrics = agreement(rows)
    assert metrics["qwk_mean"] == 1.0 and metrics["spearman_overall"] == 1.0
    assert metrics["mae"] == 0.0 and metrics["verdict_accuracy"] == 1.0
    assert all(s == {"qwk": 1.0, "exact": 1.0, "adjacent": 1.0} for s in metrics["stages"].values())


def test_reversed_predictions_score_badly() -> None:
    rows = [judged(HIGH, Verdict.STRONG_HIRE, LOW, "E5"), judged(LOW, Verdict.STRONG_NO_HIRE, HIGH, "E5"),
            judged(MID, Verdict.NO_HIRE, MID, "E5")]
    metrics = agreement(rows)
    assert metrics["qwk_mean"] < 0 and metrics["spearman_overall"] < 0 and metrics["mae"] > 1.5
    matrix = metrics["confusion"]["matrix"]
    assert sum(map(sum, matrix)) == 3 and len(matrix) == 4


def test_baselines_are_deterministic_and_ignore_content() -> None:
    short = Transcript("a", (Turn("candidate", "precision recall because imbalance"),), "q")
    long = Transcript("b", (Turn("candidate", "hiking " * 500),), "q")
    assert random_scores(short) == random_scores(short) and random_scores(short) != random_scores(long)
    assert set(length_scores(short).values()) == {1} and set(length_scores(long).values()) == {4}
