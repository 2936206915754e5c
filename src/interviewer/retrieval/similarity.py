"""Semantic similarity for the judge, from the same offline MiniLM embeddings as retrieval."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from interviewer.retrieval.embed import MiniLMEmbedder


class EmbeddingSimilarity:
    """Cosine similarity of L2-normalised embeddings; the embedder is created on first use."""

    def __init__(self, embedder: Callable[[], MiniLMEmbedder] = MiniLMEmbedder) -> None:
        self._make = embedder
        self._embedder: MiniLMEmbedder | None = None

    def similarities(self, sentences: Sequence[str], targets: Sequence[str]) -> list[list[float]]:
        if self._embedder is None:
            self._embedder = self._make()
        matrix = self._embedder.embed(list(sentences)) @ self._embedder.embed(list(targets)).T
        return [[float(x) for x in row] for row in matrix]
