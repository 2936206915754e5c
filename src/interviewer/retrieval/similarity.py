"""Semantic similarity for the interviewer and the judge, from the same offline MiniLM embeddings as retrieval.

Vectors are cached by text, process-wide (every service in a process shares the model and the cache), and the
reference texts a question is compared against (fact asks, point phrasings) are also kept on disk when a cache
folder is given, so a restarted server or a CLI run does not embed them again.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import numpy as np

from interviewer.retrieval.embed import DIMENSIONS, MODEL_ID, MiniLMEmbedder, Vectors

MEMORY_VECTORS = 40_000  # about 60 MB of float32 vectors


@lru_cache(maxsize=1)
def shared_embedder() -> MiniLMEmbedder:
    """One model per process: loading it costs about half a second and 90 MB."""
    return MiniLMEmbedder()


class VectorCache:
    """Text -> unit vector, least recently used evicted; thread-safe."""

    def __init__(self, capacity: int = MEMORY_VECTORS) -> None:
        self._vectors: OrderedDict[str, Vectors] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()

    def get(self, texts: Sequence[str]) -> dict[str, Vectors]:
        with self._lock:
            found = {t: self._vectors[t] for t in texts if t in self._vectors}
            for text in found:
                self._vectors.move_to_end(text)
            return found

    def clear(self) -> None:
        with self._lock:
            self._vectors.clear()

    def put(self, vectors: dict[str, Vectors]) -> None:
        with self._lock:
            self._vectors.update(vectors)
            while len(self._vectors) > self._capacity:
                self._vectors.popitem(last=False)


class EmbeddingTurns:
    """One batch at a time (a batch uses every core, and concurrent sessions need the same texts); a candidate's
    sentences go before the next chunk of reference texts, so preparing a question never holds up a turn long."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._busy = False
        self._urgent_waiting = 0

    @contextmanager
    def turn(self, urgent: bool) -> Iterator[None]:
        with self._changed:
            self._urgent_waiting += urgent
            while self._busy or (not urgent and self._urgent_waiting):
                self._changed.wait()
            self._urgent_waiting -= urgent
            self._busy = True
        try:
            yield
        finally:
            with self._changed:
                self._busy = False
                self._changed.notify_all()


REFERENCE_CHUNK = 32  # reference texts embedded per turn: about a quarter of a second on 2 cores
_MEMORY = VectorCache()
_EMBEDDING = EmbeddingTurns()


def forget_vectors() -> None:
    """Empty the process-wide cache (benchmarks that measure embedding from cold, in one process)."""
    _MEMORY.clear()


class EmbeddingSimilarity:
    """Cosine similarity of L2-normalised embeddings; the embedder is created on first use."""

    def __init__(
        self,
        embedder: Callable[[], MiniLMEmbedder] = shared_embedder,
        cache_dir: Path | None = None,
        memory: VectorCache = _MEMORY,
    ) -> None:
        """`memory`: the process-wide cache unless a caller needs one of its own (a test that counts embeddings)."""
        self._make = embedder
        self._embedder: MiniLMEmbedder | None = None
        self._cache_dir = cache_dir
        self._memory = memory

    def similarities(self, sentences: Sequence[str], targets: Sequence[str]) -> list[list[float]]:
        matrix = self.vectors(sentences) @ self.vectors(targets, keep=True).T
        rows: list[list[float]] = matrix.astype(np.float64).tolist()
        return rows

    def vectors(self, texts: Sequence[str], keep: bool = False) -> Vectors:
        """Unit vectors for `texts`, in order; `keep` also stores the whole batch on disk (reference texts)."""
        known = self._memory.get(texts)
        if keep and len(known) < len(set(texts)):
            known.update(self._from_disk(texts))
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        step = REFERENCE_CHUNK if keep else max(1, len(missing))
        for start in range(0, len(missing), step):
            known.update(self._embed_once(missing[start : start + step], urgent=not keep))
        if missing and keep:
            self._to_disk(texts, known)
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([known[t] for t in texts])

    def warm(self, texts: Sequence[str]) -> None:
        """Embed `texts` ahead of need (the sentences of a message still being typed), behind any turn's own
        sentences, so the turn that brings them finds them in memory."""
        known = self._memory.get(texts)
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            self._embed_once(missing, urgent=False)

    def _embed_once(self, texts: list[str], urgent: bool) -> dict[str, Vectors]:
        """Vectors for `texts`, embedding only those no other thread has embedded meanwhile."""
        with _EMBEDDING.turn(urgent):
            found = self._memory.get(texts)
            missing = [t for t in texts if t not in found]
            if missing:
                fresh = dict(zip(missing, self._embed(missing), strict=True))
                self._memory.put(fresh)
                found.update(fresh)
        return found

    def _embed(self, texts: list[str]) -> Vectors:
        if self._embedder is None:
            self._embedder = self._make()
        return self._embedder.embed(texts)

    def _batch_file(self, texts: Sequence[str]) -> Path | None:
        if self._cache_dir is None:
            return None
        digest = hashlib.sha256("\n".join([MODEL_ID, *texts]).encode("utf-8")).hexdigest()[:32]
        return self._cache_dir / f"{digest}.npy"

    def _from_disk(self, texts: Sequence[str]) -> dict[str, Vectors]:
        path = self._batch_file(texts)
        if path is None or not path.is_file():
            return {}
        try:
            matrix = np.load(path)
        except (OSError, ValueError):
            return {}
        if matrix.shape != (len(texts), DIMENSIONS):
            return {}
        loaded = dict(zip(texts, matrix, strict=True))
        self._memory.put(loaded)
        return loaded

    def _to_disk(self, texts: Sequence[str], known: dict[str, Vectors]) -> None:
        path = self._batch_file(texts)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".partial.npy")
            np.save(partial, np.stack([known[t] for t in texts]))
            partial.replace(path)
        except OSError:
            return  # a cache that cannot be written only costs time
