"""A non-editable install runs from any directory: the package is built into a wheel, installed into a folder of its
own (no link back to this checkout), and `interviewer questions` and `interviewer serve` run from another directory.
The dependencies come from the test environment; only the package itself is installed fresh."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.conftest import free_port, wait_until_up

REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = 120.0


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The folder the built wheel was installed into."""
    root = tmp_path_factory.mktemp("installed")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(root / "wheel"), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = (root / "wheel").glob("interviewer-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(root / "site"), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    yield root / "site"


def _env(site: Path, data: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(site), "INTERVIEWER_DATA_DIR": str(data)}


def test_the_installed_package_lists_its_questions_from_another_directory(installed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run(
        [sys.executable, "-c", "import interviewer.config as c; print(c.__file__); print(c.default_knowledge_dir())"],
        cwd=elsewhere, env=_env(installed, tmp_path / "data"), capture_output=True, text=True, check=True,
    ).stdout.split()
    assert [Path(p).is_relative_to(installed) for p in where] == [True, True], where
    listed = subprocess.run([sys.executable, "-m", "interviewer", "questions"], cwd=elsewhere,
                            env=_env(installed, tmp_path / "data"), capture_output=True, text=True, timeout=120,
                            check=False)
    assert listed.returncode == 0, listed.stderr
    assert "fraud_card_payments" in listed.stdout and len(listed.stdout.splitlines()) >= 16


@pytest.mark.live
def test_the_installed_package_serves_from_another_directory(installed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "interviewer", "serve", "--port", str(port)], cwd=elsewhere,
                               env=_env(installed, tmp_path / "data"), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/api/health", process, START_TIMEOUT_S)
        questions = httpx.get(f"http://127.0.0.1:{port}/api/questions", timeout=10).json()
        assert any(q["id"] == "fraud_card_payments" for q in questions)
    finally:
        process.terminate()
        process.wait(30)
