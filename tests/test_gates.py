"""The eval gates run in `make test`: the app's offline judge, interviewer and clarifying answers on the blind dev set,
and the self-written transcripts as a regression test, against evals/gates.toml."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import pytest
from tests.personas import SimulatedRun, order_rate, simulate

from interviewer.config import Settings
from interviewer.evals import clarify, replay
from interviewer.evals.backends import BackendChoice
from interviewer.evals.baselines import LENGTH_STEPS, fit_length_steps
from interviewer.evals.behaviour import check_interviewer
from interviewer.evals.gates import gate_failures, load_gates, lookup
from interviewer.evals.harness import EvalEnv, eval_env
from interviewer.evals.oracles import LeakFinder
from interviewer.evals.runner import evaluate_judge, reached
from interviewer.retrieval.similarity import EmbeddingSimilarity
from interviewer.transcripts import load_clarify_items, load_labelled

ROOT = Path(__file__).resolve().parents[1]
GATES = load_gates(ROOT / "evals" / "gates.toml")


@pytest.fixture(scope="module")
def env() -> Iterator[EvalEnv]:
    """The service `interviewer eval` runs offline: throwaway database, fixed clock."""
    with TemporaryDirectory() as data, eval_env(Settings(data_dir=Path(data)), BackendChoice()) as built:
        yield built


def _cases(gate: dict[str, Any]) -> list:
    cases, skipped = load_labelled(ROOT / gate["transcripts"])
    assert not skipped and cases
    return cases


@pytest.mark.parametrize("split", ["blind", "own", "own_heldout", "own_dev", "own_test"])
def test_the_offline_judge_meets_the_gate(split: str, env: EvalEnv) -> None:
    gate = GATES["judge"][split]
    metrics = evaluate_judge(_cases(gate), env.service.score)
    assert gate_failures(metrics, gate) == []


def test_the_length_baseline_is_fit_on_the_blind_set(env: EvalEnv) -> None:
    """The shipped word-count steps are the best fit on blind dev, given the stages the judge found reached."""
    cases = _cases(GATES["judge"]["blind"])
    reach = [reached(env.service.score(case.transcript)) for case in cases]
    assert fit_length_steps(cases, reach) == LENGTH_STEPS


def test_clarifying_answers_meet_the_gate(env: EvalEnv) -> None:
    gate = GATES["clarify"]["blind"]
    items = load_clarify_items(ROOT / gate["items"])
    assert len(items) >= 400
    assert gate_failures(clarify.clarify_metrics(clarify.ask_each(env.service, items)), gate) == []


def test_replayed_candidates_meet_the_gate(env: EvalEnv) -> None:
    gate = GATES["replay"]["blind"]
    metrics = replay.replay_metrics(replay.replay_all(env.service, _cases(gate)))
    assert metrics["n"] == 32
    assert gate_failures(metrics, gate) == []


def test_interviewer_behaviour_meets_the_gate(env: EvalEnv) -> None:
    gate = GATES["interviewer"]["blind"]
    transcripts = [case.transcript for case in _cases(gate)]
    tally = check_interviewer(env.service, transcripts, LeakFinder(EmbeddingSimilarity()))
    assert gate_failures({"checks": tally.rates()}, gate) == []
    failed = sum(tally.total[c] - tally.passed[c] for c in tally.total)
    assert len(tally.violations) >= failed  # every failed opportunity lists at least one violation


def test_the_gate_reports_each_shortfall() -> None:
    metrics = {
        "agreement": {"judge_vs_labels": {"pooled_qwk": 0.5}},
        "baselines": {"random": {"pooled_qwk": 0.0}, "length": {"pooled_qwk": 0.45}},
        "single": 0.9,
    }
    gate = {
        "min": {"agreement.judge_vs_labels.pooled_qwk": 0.6, "double": 0.5, "single": 0.8},
        "max": {"single": 0.85},
        "beat_baselines": {"pooled_qwk": 0.1},
    }
    assert gate_failures(metrics, gate) == [
        "agreement.judge_vs_labels.pooled_qwk 0.500 < 0.6",
        "double missing < 0.5",
        "single 0.900 > 0.85",
        "pooled_qwk beats the length baseline by 0.050 < 0.1",
    ]
    assert lookup(metrics, "agreement.judge_vs_labels") is None and lookup(metrics, "single") == 0.9


def test_the_own_transcripts_cover_the_archetypes_and_questions() -> None:
    cases, _ = load_labelled(ROOT / "evals" / "transcripts")
    assert len(cases) >= 40 and len({c.transcript.question_id for c in cases}) >= 10
    sources = " ".join(path.read_text() for path in (ROOT / "evals" / "transcripts").rglob("*.json"))
    for archetype in ("strong", "average", "weak", "bluffing", "off-topic", "silent", "partial", "injection"):
        assert f"({archetype})" in sources, archetype


def test_cue_built_personas_still_come_out_in_order(env: EvalEnv) -> None:
    """A regression test of the scoring rules only: these personas are built from the cue lists, so they pass the
    judge by construction and say nothing about agreement with people (the replay task does)."""
    runs = simulate(env.service, env.service.questions()[:8])
    assert order_rate(runs) == 1.0, [r for r in runs if not r.ordered]


def test_a_broken_order_is_detected() -> None:
    swapped = SimulatedRun("q", {"strong": 2.0, "average": 3.0, "weak": 1.5, "bluffer": 1.2, "silent": 1.0})
    tied = SimulatedRun("q", {"strong": 3.0, "average": 3.0, "weak": 2.0, "bluffer": 1.0, "silent": 1.0})
    bluff_above_weak = SimulatedRun("q", {"strong": 4.0, "average": 3.0, "weak": 1.0, "bluffer": 1.5, "silent": 1.0})
    assert not swapped.ordered and not tied.ordered and not bluff_above_weak.ordered
    assert order_rate([swapped, tied, bluff_above_weak]) == 0.0
    assert SimulatedRun("q", {"strong": 4.0, "average": 2.0, "weak": 1.0, "bluffer": 1.0, "silent": 1.0}).ordered


def test_the_shipped_judge_model_is_the_fit_on_our_own_transcripts(isolated_env: Path) -> None:
    """knowledge/judge_model.yaml is exactly what `interviewer calibrate` fits on evals/own (never on evals/blind)."""
    from typer.testing import CliRunner  # noqa: PLC0415 - only this test drives the CLI

    from interviewer.cli import app  # noqa: PLC0415
    from interviewer.questions import load_judge_model  # noqa: PLC0415

    runner = CliRunner()
    result = runner.invoke(app, ["calibrate", "--cv", "--transcripts", str(ROOT / "evals" / "own" / "transcripts")])
    assert result.exit_code == 0, result.output
    fitted, end = json.JSONDecoder().raw_decode(result.stdout, result.stdout.index("{"))
    model_line, judge_line = result.stdout[end:].strip().splitlines()
    pooled = json.loads(model_line)["pooled_qwk"]
    assert 0.3 < min(pooled["by_question"]) < min(pooled["fit"]) <= 1.0  # questions left out agree less, not nothing
    whole = json.loads(judge_line)["judge_by_question"]  # the rules on top lift agreement; verdicts are counted too
    assert min(pooled["by_question"]) < min(whole["pooled_qwk"]) <= 1.0 and 0.5 < min(whole["verdict_exact"]) <= 1.0
    shipped = load_judge_model(ROOT / "knowledge")
    assert fitted["intercept"] == shipped.intercept and fitted["weights"] == dict(shipped.weights)
    assert tuple(fitted["cuts"]) == shipped.cuts
    assert fitted["n"] >= 350
    refused = runner.invoke(app, ["calibrate", "--transcripts", str(ROOT / "evals" / "blind" / "transcripts")])
    assert refused.exit_code == 2 and "never fit on the blind set" in refused.output
    held_out = runner.invoke(app, ["calibrate", "--transcripts", str(ROOT / "evals" / "own" / "heldout")])
    assert held_out.exit_code == 2 and "held-out" in held_out.output
