"""The llama.cpp server wrapper without the model: a stand-in server module that fails the way a broken one does."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from interviewer.llm.local_server import LocalModelServer, LocalModelUnavailable

FAILING_SERVER = "import sys\nprint('error loading model: no such file', flush=True)\nsys.exit(1)\n"


def test_a_server_that_fails_is_reported_with_its_output_and_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "fake"
    (fake / "llama_cpp").mkdir(parents=True)
    (fake / "llama_cpp" / "__init__.py").write_text("")
    (fake / "llama_cpp" / "server.py").write_text(FAILING_SERVER)
    monkeypatch.syspath_prepend(str(fake))  # so the wrapper finds "llama_cpp" (the real one need not be installed)
    monkeypatch.setenv("PYTHONPATH", str(fake))  # and the child runs the stand-in
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    server = LocalModelServer(tmp_path / "missing.gguf")
    with pytest.raises(LocalModelUnavailable, match="error loading model: no such file"):
        server.start()
    assert list(temp.iterdir()) == []  # the server's log had stayed in the temp folder for good
