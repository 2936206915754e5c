"""The layer rules are import-linter contracts (pyproject.toml, `lint-imports` in `make lint`), which follow indirect
imports too. This shows they catch what the old check, direct imports by top-level package name, let through: a core
module that reaches a front door through a module of our own."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(src: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), "--config", str(REPO / "pyproject.toml"), "--no-cache"],
                          cwd=src, env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"}, capture_output=True,
                          text=True, timeout=300, check=False)


def test_the_contracts_hold_on_the_code() -> None:
    done = _lint(REPO / "src")
    assert done.returncode == 0, done.stdout[-3000:]
    assert "0 broken" in done.stdout


def test_a_core_module_reaching_a_front_door_indirectly_breaks_a_contract(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(REPO / "src" / "interviewer", src / "interviewer", ignore=shutil.ignore_patterns("__pycache__"))
    (src / "interviewer" / "helpers.py").write_text("from interviewer import web  # noqa\n")
    policy = src / "interviewer" / "policy.py"
    policy.write_text(policy.read_text() + "\nfrom interviewer import helpers  # noqa\n")
    done = _lint(src)
    assert done.returncode != 0
    assert "The pure core imports no framework" in done.stdout and "BROKEN" in done.stdout
    assert "interviewer.policy -> interviewer.helpers" in done.stdout, done.stdout[-3000:]


def test_the_product_reaching_the_eval_harness_breaks_a_contract(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(REPO / "src" / "interviewer", src / "interviewer", ignore=shutil.ignore_patterns("__pycache__"))
    service = src / "interviewer" / "service.py"
    service.write_text(service.read_text() + "\nfrom interviewer.evals import metrics  # noqa\n")
    done = _lint(src)
    assert done.returncode != 0 and "The product runs without the eval harness" in done.stdout


def test_front_doors_ask_the_service_and_never_reach_into_its_bank() -> None:
    reaching = []
    for name in ("ui", "cli", "api", "web"):
        path = REPO / "src" / "interviewer" / f"{name}.py"
        reaching += [f"{name}.py:{node.lineno}" for node in ast.walk(ast.parse(path.read_text()))
                     if isinstance(node, ast.Attribute) and node.attr == "bank"]
    assert reaching == []
