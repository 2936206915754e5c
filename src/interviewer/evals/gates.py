"""The eval gate: thresholds from evals/gates.toml, checked against the metrics of a run."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def load_gates(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def judge_failures(metrics: Mapping[str, Any], gate: Mapping[str, Any]) -> list[str]:
    """Every way the run falls short of the gate, as readable lines (empty when it passes)."""
    failures = []
    qwk = float(metrics.get("qwk_mean", 0.0))
    if qwk < gate["qwk_mean_min"]:
        failures.append(f"qwk_mean {qwk:.3f} < {gate['qwk_mean_min']}")
    for name, baseline in metrics.get("baselines", {}).items():
        margin = qwk - float(baseline["qwk_mean"])
        if margin < gate["beat_baselines_by"]:
            failures.append(f"beats the {name} baseline by {margin:.3f} < {gate['beat_baselines_by']}")
    return failures
