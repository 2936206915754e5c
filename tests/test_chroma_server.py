"""The same retrieval code against a real Chroma server (the `chroma run` command chromadb installs) on loopback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import free_port, wait_until_up

from interviewer.bootstrap import build_knowledge
from interviewer.config import Settings
from interviewer.domain import Stage
from interviewer.retrieval.knowledge import KnowledgeBase

pytestmark = pytest.mark.live



@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    command = shutil.which("chroma", path=str(Path(sys.executable).parent))
    assert command, "the `chroma` command from chromadb is not installed"
    port = free_port()
    log = tmp_path_factory.mktemp("chroma-log") / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [command, "run", "--path", str(tmp_path_factory.mktemp("chroma-server")), "--host", "127.0.0.1",
             "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/api/v2/heartbeat", server, timeout_s=60)
    except pytest.fail.Exception:
        pytest.fail(f"chroma server did not start:\n{log.read_text()[-2000:]}")
    yield url
    server.terminate()
    server.wait(10)


@pytest.fixture(scope="module")
def served(chroma_url: str, tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return build_knowledge(Settings(data_dir=tmp_path_factory.mktemp("unused"), chroma_url=chroma_url))


def test_notes_are_indexed_on_the_server_and_searchable(served: KnowledgeBase) -> None:
    assert len(served.notes.hashes()) > 100
    assert "position-bias" in [p.note_id for p in served.retriever().search("clicks depend on rank", k=5)]


def test_stage_filter_and_noop_reindex_on_the_server(served: KnowledgeBase, chroma_url: str, tmp_path: Path) -> None:
    passages = served.retriever().search("how to split data", k=5, stage=Stage.TRAINING)
    assert passages and "data-splits" in [p.note_id for p in passages]
    again = build_knowledge(Settings(data_dir=tmp_path, chroma_url=chroma_url)).notes.hashes()
    assert again == served.notes.hashes()
    assert not (tmp_path / "chroma").exists()
