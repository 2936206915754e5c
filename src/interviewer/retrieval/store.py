"""Chunks in a Chroma collection: persistent on disk by default, a Chroma server when a URL is configured.

`sync` is incremental: chunks whose content hash is unchanged are not re-embedded, and chunks of files that are gone
are deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlparse

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.api.types import Embedding, Where
from chromadb.config import Settings as ChromaSettings

from interviewer.domain import STAGES, Stage
from interviewer.retrieval.adapters import MiniLMChromaFunction
from interviewer.retrieval.chunks import Chunk

KNOWLEDGE_COLLECTION = "knowledge"
USER_COLLECTION = "user_material"
_BATCH = 256
QUERY_VECTORS = 4096  # query embeddings remembered: the interviewer's queries repeat turn after turn


def chroma_client(data_dir: Path, url: str | None = None) -> ClientAPI:
    settings = ChromaSettings(anonymized_telemetry=False)
    if url:
        parsed = urlparse(url)
        port = parsed.port or (443 if parsed.scheme == "https" else 8000)
        return chromadb.HttpClient(
            host=parsed.hostname or "127.0.0.1", port=port, ssl=parsed.scheme == "https", settings=settings
        )
    path = data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


@dataclass(frozen=True)
class SyncResult:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0


def _metadata(chunk: Chunk) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "chunk_id": chunk.chunk_id,
        "source": chunk.source,
        "heading": chunk.heading,
        "note_id": chunk.note_id,
        "content_hash": chunk.content_hash,
        "stages": ",".join(chunk.stages),
    }
    meta.update({f"stage_{s.value}": True for s in chunk.stages})
    return meta


def _chunk(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    stages = tuple(Stage(s) for s in str(meta.get("stages", "")).split(",") if s)
    return Chunk(chunk_id, str(meta["source"]), str(meta["heading"]), text, str(meta["note_id"]), stages)


@lru_cache(maxsize=QUERY_VECTORS)
def _query_vector(embedding: MiniLMChromaFunction, query: str) -> Embedding:
    """A query's vector, shared by every store of the same embedding (the notes and the user's uploads)."""
    return embedding([query])[0]


class ChunkStore:
    def __init__(self, client: ClientAPI, name: str, embedding: MiniLMChromaFunction) -> None:
        self._collection: Collection = client.get_or_create_collection(
            name, embedding_function=embedding, configuration={"hnsw": {"space": "cosine"}}  # type: ignore[arg-type]
        )
        self._embedding = embedding

    def _query_vector(self, query: str) -> Embedding:
        return _query_vector(self._embedding, query)

    def hashes(self) -> dict[str, tuple[str, str]]:
        """chunk id -> (source, content hash) for everything stored."""
        got = self._collection.get(include=["metadatas"])
        metas = cast(list[dict[str, Any]], got["metadatas"] or [])
        return {i: (str(m["source"]), str(m["content_hash"])) for i, m in zip(got["ids"], metas, strict=True)}

    def sync(self, chunks: Sequence[Chunk], owns: Callable[[str], bool]) -> SyncResult:
        """Make the store hold `chunks` for every source `owns` accepts; other sources are left alone."""
        stored = self.hashes()
        wanted = {c.chunk_id: c for c in chunks}
        changed = [c for c in chunks if stored.get(c.chunk_id, ("", ""))[1] != c.content_hash]
        stale = [i for i, (source, _) in stored.items() if owns(source) and i not in wanted]
        for start in range(0, len(changed), _BATCH):
            batch = changed[start : start + _BATCH]
            self._collection.upsert(
                ids=[c.chunk_id for c in batch],
                documents=[c.text for c in batch],
                metadatas=[_metadata(c) for c in batch],
            )
        if stale:
            self._collection.delete(ids=stale)
        updated = sum(1 for c in changed if c.chunk_id in stored)
        return SyncResult(len(changed) - updated, updated, len(stale), len(chunks) - len(changed))

    def all_chunks(self) -> list[Chunk]:
        got = self._collection.get(include=["documents", "metadatas"])
        docs = got["documents"] or []
        metas = cast(list[dict[str, Any]], got["metadatas"] or [])
        return [_chunk(i, d, m) for i, d, m in zip(got["ids"], docs, metas, strict=True)]

    def dense(self, query: str, k: int, stage: Stage | None = None) -> list[tuple[Chunk, float]]:
        where = cast(Where, {f"stage_{stage.value}": True}) if stage else None
        got = self._collection.query(  # asking for more than it holds returns what it holds (no count() per query)
            query_embeddings=[self._query_vector(query)],
            n_results=k,
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        ids, docs = got["ids"][0], (got["documents"] or [[]])[0]
        metas = cast(list[dict[str, Any]], (got["metadatas"] or [[]])[0])
        distances = (got["distances"] or [[]])[0]
        return [(_chunk(i, d, m), 1.0 - float(dist)) for i, d, m, dist in zip(ids, docs, metas, distances, strict=True)]


__all__ = ["KNOWLEDGE_COLLECTION", "STAGES", "USER_COLLECTION", "ChunkStore", "SyncResult", "chroma_client"]
