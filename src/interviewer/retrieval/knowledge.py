"""The knowledge base: our notes and the user's own material in Chroma, searched through one hybrid retriever."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from chromadb.api import ClientAPI

from interviewer.retrieval.adapters import MiniLMChromaFunction
from interviewer.retrieval.chunks import Chunk, markdown_chunks
from interviewer.retrieval.embed import MiniLMEmbedder
from interviewer.retrieval.hybrid import HybridRetriever, Mode
from interviewer.retrieval.ingest import Ingested, ingest
from interviewer.retrieval.store import KNOWLEDGE_COLLECTION, USER_COLLECTION, ChunkStore, SyncResult


def note_chunks(knowledge_dir: Path) -> list[Chunk]:
    notes = sorted((knowledge_dir / "notes").glob("*.md"))
    return [c for f in notes for c in markdown_chunks(f"knowledge/notes/{f.name}", f.read_text(encoding="utf-8"))]


def _under(source: str, root: str) -> bool:
    return source == root or source.startswith(root.rstrip("/") + "/")


class KnowledgeBase:
    def __init__(self, client: ClientAPI, embedder: MiniLMEmbedder | None = None) -> None:
        embedding = MiniLMChromaFunction(embedder)
        self.notes = ChunkStore(client, KNOWLEDGE_COLLECTION, embedding)
        self.user = ChunkStore(client, USER_COLLECTION, embedding)

    def index_notes(self, knowledge_dir: Path) -> SyncResult:
        return self.notes.sync(note_chunks(knowledge_dir), owns=lambda source: True)

    def index_material(self, paths: Sequence[Path]) -> tuple[SyncResult, Ingested]:
        """Ingest the user's files; files gone from an indexed folder are removed from the index."""
        found = ingest(paths)
        roots = [str(p.resolve()) for p in paths]
        result = self.user.sync(found.chunks, owns=lambda source: any(_under(source, root) for root in roots))
        return result, found

    def retriever(self, mode: Mode = Mode.HYBRID) -> HybridRetriever:
        return HybridRetriever([self.notes, self.user], mode)
