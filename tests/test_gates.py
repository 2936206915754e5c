"""The eval gate runs in `make test`: the app's offline judge on both splits, against evals/gates.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewer.bootstrap import build_service
from interviewer.config import Settings
from interviewer.evals.gates import judge_failures, load_gates
from interviewer.evals.runner import evaluate_judge
from interviewer.evals.simulate import SimulatedRun, order_rate, simulate
from interviewer.transcripts import load_labelled

EVALS = Path(__file__).resolve().parents[1] / "evals"


@pytest.mark.parametrize("split", ["dev", "test"])
def test_the_offline_judge_meets_the_gate(split: str, tmp_path: Path) -> None:
    cases, skipped = load_labelled(EVALS / "transcripts" / split)
    assert not skipped and len(cases) >= (15 if split == "test" else 20)
    metrics = evaluate_judge(cases, build_service(Settings(data_dir=tmp_path)).score)
    assert judge_failures(metrics, load_gates(EVALS / "gates.toml")["judge"][split]) == []


def test_the_gate_reports_each_shortfall() -> None:
    metrics = {"qwk_mean": 0.5, "baselines": {"random": {"qwk_mean": 0.0}, "length": {"qwk_mean": 0.4}}}
    failures = judge_failures(metrics, {"qwk_mean_min": 0.6, "beat_baselines_by": 0.3})
    assert failures == ["qwk_mean 0.500 < 0.6", "beats the length baseline by 0.100 < 0.3"]


def test_the_labelled_set_covers_the_archetypes_and_questions() -> None:
    cases, _ = load_labelled(EVALS / "transcripts")
    assert len(cases) >= 40 and len({c.transcript.question_id for c in cases}) >= 10
    sources = " ".join(path.read_text() for path in (EVALS / "transcripts").rglob("*.json"))
    for archetype in ("strong", "average", "weak", "bluffing", "off-topic", "silent", "partial", "injection"):
        assert f"({archetype})" in sources, archetype


def test_simulated_candidates_come_out_in_order_on_every_question(tmp_path: Path) -> None:
    gate = load_gates(EVALS / "gates.toml")["simulate"]
    service = build_service(Settings(data_dir=tmp_path))
    runs = simulate(service, service.questions()[: int(gate["questions"])])
    assert len(runs) >= 5
    assert order_rate(runs) >= gate["order_min"], [r for r in runs if not r.ordered]


def test_a_broken_order_is_detected() -> None:
    swapped = SimulatedRun("q", {"strong": 2.0, "average": 3.0, "weak": 1.5, "bluffer": 1.2, "silent": 1.0})
    tied = SimulatedRun("q", {"strong": 4.0, "average": 3.0, "weak": 2.0, "bluffer": 1.0, "silent": 1.0})
    assert not swapped.ordered and not tied.ordered and order_rate([swapped, tied]) == 0.0
