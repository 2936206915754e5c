"""Eval gates: floors (and ceilings) from evals/gates.toml, checked against a run's metrics by dotted path.

A gate is a table such as `[judge.blind]` with `min` and `max` tables (`"agreement.judge_vs_labels.pooled_qwk" =
0.4`) and, for the judge, `beat_baselines`: how far `agreement.judge_vs_labels.<metric>` must exceed each baseline's.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

JUDGE_REFERENCE = "agreement.judge_vs_labels"


def load_gates(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def lookup(metrics: Mapping[str, Any], path: str) -> float | None:
    """The number at `a.b.c`, or None when any part is missing or not a number."""
    value: Any = metrics
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def gate_failures(metrics: Mapping[str, Any], gate: Mapping[str, Any]) -> list[str]:
    """Every way the run falls short of the gate, as readable lines (empty when it passes)."""
    failures = []
    for path, floor in gate.get("min", {}).items():
        value = lookup(metrics, path)
        if value is None or value < floor:
            failures.append(f"{path} {_show(value)} < {floor}")
    for path, ceiling in gate.get("max", {}).items():
        value = lookup(metrics, path)
        if value is None or value > ceiling:
            failures.append(f"{path} {_show(value)} > {ceiling}")
    for metric, margin in gate.get("beat_baselines", {}).items():
        judge = lookup(metrics, f"{JUDGE_REFERENCE}.{metric}") or 0.0
        for name in metrics.get("baselines", {}):
            gap = judge - (lookup(metrics, f"baselines.{name}.{metric}") or 0.0)
            if gap < margin:
                failures.append(f"{metric} beats the {name} baseline by {gap:.3f} < {margin}")
    return failures


def _show(value: float | None) -> str:
    return "missing" if value is None else f"{value:.3f}"
