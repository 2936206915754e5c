"""Hybrid search: dense (Chroma) and lexical (BM25) rankings fused by reciprocal rank, filterable by stage."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from functools import lru_cache

import bm25s
import numpy as np

from interviewer.domain import Passage, Stage
from interviewer.retrieval.chunks import Chunk
from interviewer.retrieval.store import ChunkStore
from interviewer.text import stem, terms

RRF_K = 60
CANDIDATES = 30


class Mode(StrEnum):
    HYBRID = "hybrid"
    DENSE = "dense"
    BM25 = "bm25"


def tokens(text: str) -> list[str]:
    return sorted(terms(text)) or [stem(w) for w in text.lower().split()]


class LexicalIndex:
    """BM25 over the given chunks, scoring the whole (small) corpus so a stage filter never starves the result."""

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        self._chunks = list(chunks)
        self._bm25 = bm25s.BM25()
        if self._chunks:
            self._bm25.index([tokens(c.text) for c in self._chunks], show_progress=False)

    def search(self, query: str, k: int, stage: Stage | None = None) -> list[tuple[Chunk, float]]:
        if not self._chunks:
            return []
        scores = np.asarray(self._bm25.get_scores(tokens(query)))
        ranked = [i for i in np.argsort(-scores) if scores[i] > 0]
        hits = [(self._chunks[i], float(scores[i])) for i in ranked if stage is None or stage in self._chunks[i].stages]
        return hits[:k]


def reciprocal_rank_fusion(rankings: Sequence[Sequence[Chunk]], k: int = RRF_K) -> list[tuple[Chunk, float]]:
    scores: dict[str, float] = {}
    chunks: dict[str, Chunk] = {}
    for ranking in rankings:
        for rank, chunk in enumerate(ranking, 1):
            scores[chunk.chunk_id] = scores.get(chunk.chunk_id, 0.0) + 1.0 / (k + rank)
            chunks[chunk.chunk_id] = chunk
    order = sorted(scores, key=lambda cid: -scores[cid])
    return [(chunks[cid], scores[cid]) for cid in order]


def _passage(chunk: Chunk, score: float) -> Passage:
    return Passage(chunk.chunk_id, chunk.source, chunk.heading, chunk.text, chunk.note_id, round(score, 6))


SEARCHES_REMEMBERED = 4096


class HybridRetriever:
    """The one retrieval function the interviewer and the feedback call; searches every store it is given.

    It answers from the stores as they were when it was made (the lexical index is built then), so answers are
    remembered: the interviewer grounds its replies on the same few topics turn after turn."""

    def __init__(self, stores: Sequence[ChunkStore], mode: Mode = Mode.HYBRID) -> None:
        self._stores = list(stores)
        self._lexical = LexicalIndex([c for s in self._stores for c in s.all_chunks()])
        self._mode = mode
        self._answers = lru_cache(maxsize=SEARCHES_REMEMBERED)(self._search)

    def search(self, query: str, k: int = 5, stage: Stage | None = None) -> list[Passage]:
        return list(self._answers(query, k, stage))

    def _search(self, query: str, k: int, stage: Stage | None) -> tuple[Passage, ...]:
        if not query.strip():
            return ()
        dense = sorted((hit for s in self._stores for hit in s.dense(query, CANDIDATES, stage)), key=lambda h: -h[1])
        lexical = self._lexical.search(query, CANDIDATES, stage)
        if self._mode is Mode.DENSE:
            fused = dense
        elif self._mode is Mode.BM25:
            fused = lexical
        else:
            fused = reciprocal_rank_fusion([[c for c, _ in dense], [c for c, _ in lexical]])
        return tuple(_passage(c, score) for c, score in fused[:k])
