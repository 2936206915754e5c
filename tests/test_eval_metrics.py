from __future__ import annotations

from pathlib import Path

from interviewer.domain import STAGES, Report, StageScore, Transcript, Turn, Verdict
from interviewer.evals.baselines import length_scores, random_scores
from interviewer.evals.metrics import FIELDS, Rating, agreement
from interviewer.evals.runner import evaluate_judge, markdown_table
from interviewer.evaluation import LabelledCase, Labels
from interviewer.judge import overall_score
from interviewer.transcripts import load_labelled

HIGH = dict.fromkeys(STAGES, 4)
LOW: dict = {stage: (1 if i < 3 else None) for i, stage in enumerate(STAGES)}
MID = dict.fromkeys(STAGES, 2)
BLIND = Path(__file__).resolve().parents[1] / "evals" / "blind" / "transcripts"


def _rating(stages: dict, verdict: Verdict) -> Rating:
    return Rating.of_labels(Labels(stages, verdict))


def test_perfect_agreement_scores_one_everywhere() -> None:
    ratings = [_rating(HIGH, Verdict.STRONG_HIRE), _rating(LOW, Verdict.STRONG_NO_HIRE), _rating(MID, Verdict.NO_HIRE)]
    metrics = agreement([(r, r) for r in ratings])
    assert all(metrics[key] == 1.0 for key in FIELDS), metrics
    assert metrics["mae_overall"] == 0.0
    assert all(s == {"qwk": 1.0, "exact": 1.0, "adjacent": 1.0} for s in metrics["stages"].values())


def test_reversed_predictions_score_badly_and_verdict_steps_count() -> None:
    high, low, mid = _rating(HIGH, Verdict.STRONG_HIRE), _rating(LOW, Verdict.STRONG_NO_HIRE), _rating(
        MID, Verdict.NO_HIRE)
    metrics = agreement([(high, low), (low, high), (mid, mid)])
    assert metrics["pooled_qwk"] < 0 and metrics["stage_qwk_mean"] < 0 and metrics["spearman_overall"] < 0
    assert metrics["verdict_exact"] == round(1 / 3, 3) and metrics["verdict_within_one"] == round(1 / 3, 3)
    matrix = metrics["confusion"]["matrix"]
    assert sum(map(sum, matrix)) == 3 and len(matrix) == 4
    one_step = agreement([(high, _rating(HIGH, Verdict.HIRE))])
    assert one_step["verdict_exact"] == 0.0 and one_step["verdict_within_one"] == 1.0


def test_pooled_kappa_counts_not_reached_as_zero() -> None:
    reached = _rating(dict.fromkeys(STAGES, 1), Verdict.STRONG_NO_HIRE)
    unreached = _rating(dict.fromkeys(STAGES), Verdict.STRONG_NO_HIRE)
    other = _rating(dict.fromkeys(STAGES, 4), Verdict.STRONG_HIRE)
    metrics = agreement([(reached, unreached), (other, other)])
    assert metrics["exact"] == 0.5 and metrics["pooled_qwk"] < 1.0


def test_baselines_are_deterministic_and_ignore_content() -> None:
    short = Transcript("a", (Turn("candidate", "precision recall because imbalance"),), "q")
    long = Transcript("b", (Turn("candidate", "hiking " * 5000),), "q")
    everything = frozenset(STAGES)
    assert random_scores(short) == random_scores(short) and random_scores(short) != random_scores(long)
    assert set(length_scores(short, everything).values()) == {1}
    assert set(length_scores(long, everything).values()) == {4}
    assert length_scores(long, frozenset(STAGES[:2])) == {s: (4 if s in STAGES[:2] else None) for s in STAGES}


def _report(stages: dict, verdict: Verdict) -> Report:
    scores = {s: StageScore(stages.get(s)) for s in STAGES}
    return Report("q", scores, overall_score(scores), verdict, "E5")


def test_the_judge_task_compares_the_judge_with_each_labeller_and_the_labellers_with_each_other() -> None:
    cases, _ = load_labelled(BLIND)
    assert len(cases) == 32 and all(c.labels_b is not None for c in cases)
    first = {c.transcript.id: c.labels for c in cases}
    metrics = evaluate_judge(cases, lambda t: _report(dict(first[t.id].stages), first[t.id].verdict))
    agreed = metrics["agreement"]
    assert agreed["judge_vs_labels"]["pooled_qwk"] == 1.0  # this "judge" copies the first labeller
    assert agreed["judge_vs_labels_b"] == agreed["labels_vs_labels_b"]
    assert 0.9 < agreed["labels_vs_labels_b"]["pooled_qwk"] < 1.0
    assert set(metrics["baselines"]) == {"random", "length"}
    for baseline in metrics["baselines"].values():
        assert set(FIELDS) <= set(baseline) and set(FIELDS) <= set(baseline["vs_labels_b"])
    row = metrics["rows"][0]
    assert set(row) >= {"id", "judge", "labels", "labels_b"} and len(row["judge"]["stages"]) == 7
    table = markdown_table(metrics)
    assert "| pooled_qwk | 1.000 |" in table and cases[0].transcript.id in table


def test_a_set_without_second_labels_reports_none_for_those_comparisons() -> None:
    case = LabelledCase(Transcript("t", (Turn("candidate", "hello"),), "q"), Labels(MID, Verdict.NO_HIRE))
    metrics = evaluate_judge([case], lambda t: _report(MID, Verdict.NO_HIRE))
    assert metrics["agreement"]["judge_vs_labels_b"] is None and metrics["agreement"]["labels_vs_labels_b"] is None
    assert "| pooled_qwk | 1.000 | – | – |" in markdown_table(metrics)
