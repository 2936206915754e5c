from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import KNOWLEDGE

from interviewer.domain import Stage
from interviewer.retrieval.adapters import KnowledgeRetriever
from interviewer.retrieval.chunks import Chunk
from interviewer.retrieval.embed import MiniLMEmbedder
from interviewer.retrieval.hybrid import Mode, reciprocal_rank_fusion
from interviewer.retrieval.knowledge import KnowledgeBase
from interviewer.retrieval.store import chroma_client


@pytest.fixture(scope="session")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder()


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> KnowledgeBase:
    base = KnowledgeBase(chroma_client(tmp_path_factory.mktemp("index")), embedder)
    base.index_notes(KNOWLEDGE)
    return base


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("my classifier is 99.9 percent accurate but hardly any examples are positive", "class-imbalance-metrics"),
        ("people mostly click whatever is shown at the top", "position-bias"),
        ("chargebacks only show up a month after the payment", "label-delay"),
        ("features computed differently offline and in the live service", "train-serve-skew"),
    ],
)
def test_paraphrased_questions_find_the_right_note(knowledge: KnowledgeBase, query: str, note: str) -> None:
    assert note in [p.note_id for p in knowledge.retriever().search(query, k=5)]


def test_stage_filter_returns_only_that_stage(knowledge: KnowledgeBase) -> None:
    passages = knowledge.retriever().search("what should I measure", k=8, stage=Stage.TRAINING)
    notes = {p.note_id for p in passages}
    assert passages
    for path in (KNOWLEDGE / "notes").glob("*.md"):
        if path.stem in notes:
            assert "training" in path.read_text().split("stages:")[1].split("\n")[0]


def test_modes_differ_and_all_return_k(knowledge: KnowledgeBase) -> None:
    query = "how often should the model be retrained"
    results = {m: [p.chunk_id for p in knowledge.retriever(m).search(query, k=5)] for m in Mode}
    assert all(len(ids) == 5 for ids in results.values())
    assert results[Mode.DENSE] != results[Mode.BM25]


def test_empty_query_returns_nothing(knowledge: KnowledgeBase) -> None:
    assert knowledge.retriever().search("   ") == []


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    a, b, c = (Chunk(i, "s", "h", "t", "n") for i in "abc")
    fused = [chunk.chunk_id for chunk, _ in reciprocal_rank_fusion([[a, b, c], [b, c, a]])]
    assert fused[0] == "b"


def test_langchain_retriever_returns_documents_with_citations(knowledge: KnowledgeBase) -> None:
    documents = KnowledgeRetriever(source=knowledge.retriever(), k=3).invoke("cold start for new users")
    assert len(documents) == 3
    assert {"chunk_id", "source", "heading"} <= set(documents[0].metadata)
    assert any("cold-start" in d.metadata["source"] for d in documents)


@pytest.fixture
def copied_knowledge(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE / "notes", target / "notes")
    return target


def test_reindexing_is_incremental(tmp_path: Path, copied_knowledge: Path, embedder: MiniLMEmbedder) -> None:
    base = KnowledgeBase(chroma_client(tmp_path / "data"), embedder)
    first = base.index_notes(copied_knowledge)
    assert first.added > 100 and first.updated == first.removed == 0
    again = base.index_notes(copied_knowledge)
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, first.added)

    note = copied_knowledge / "notes" / "leakage.md"
    note.write_text(note.read_text().replace("Guarding against it", "Guarding against leaks"))
    (copied_knowledge / "notes" / "calibration.md").unlink()
    changed = base.index_notes(copied_knowledge)
    assert changed.added == 0 and changed.updated == 1 and changed.removed == 3  # two sections and its asks
    assert all(p.note_id != "calibration" for p in base.retriever().search("calibrated probabilities", k=10))


def test_user_material_is_ingested_searchable_and_removed(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.md").write_text("# Shadow traffic\n\nMirror live requests to the candidate model first.\n")
    (folder / "story.txt").write_text("Our zebra-stripe detector failed on rainy days.\n")
    (folder / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    (folder / "empty.md").write_text("")
    (folder / "huge.txt").write_bytes(b"a" * (5 * 1024 * 1024 + 1))
    (folder / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (folder / "archive.zip").write_bytes(b"PK\x03\x04")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    base = KnowledgeBase(chroma_client(tmp_path / "data"), embedder)
    result, found = base.index_material([folder])
    reasons = {path.name: reason for path, reason in found.skipped}
    assert found.files == 2 and result.added == 2
    assert reasons["blob.txt"] == "binary file" and reasons["empty.md"] == "empty file"
    assert reasons["huge.txt"].startswith("too large") and reasons["latin1.txt"].startswith("not UTF-8")
    assert reasons["archive.zip"].startswith("unsupported type") and reasons["broken.pdf"].startswith("unreadable PDF")
    hits = base.retriever().search("zebra stripe detector rain", k=3)
    assert hits[0].source == str((folder / "story.txt").resolve())
    (folder / "story.txt").unlink()
    removed, _ = base.index_material([folder])
    assert removed.removed == 1


def _pdf(text: str) -> bytes:
    """A minimal one-page PDF showing `text` in Helvetica, with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 712 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_a_text_pdf_is_ingested_and_searchable(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    path = tmp_path / "talk.pdf"
    path.write_bytes(_pdf("Quokka inference runs on a solar powered edge box"))
    base = KnowledgeBase(chroma_client(tmp_path / "data"), embedder)
    result, found = base.index_material([path])
    assert found.files == 1 and result.added == 1 and found.skipped == []
    assert base.retriever().search("quokka solar edge box", k=1)[0].source == str(path.resolve())


@pytest.fixture
def network_blocked(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Any connection to a non-loopback address fails and is recorded."""
    attempts: list[object] = []
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and (host.startswith("127.") or host in ("::1", "localhost")):
            real_connect(self, address)  # type: ignore[arg-type]
            return
        attempts.append(address)
        raise OSError(f"network blocked in this test: {address}")

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield attempts


def test_indexing_and_search_make_no_network_call(network_blocked: list[object], tmp_path: Path) -> None:
    base = KnowledgeBase(chroma_client(tmp_path / "data"), MiniLMEmbedder())
    base.index_notes(KNOWLEDGE)
    assert base.retriever().search("position bias", k=3)
    assert network_blocked == []
