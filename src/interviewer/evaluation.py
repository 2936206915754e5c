"""Eval data types: labelled transcripts and retrieval queries, and the retrieval metrics."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from interviewer.domain import Passage, Stage, Transcript, Verdict


@dataclass(frozen=True)
class LabelledCase:
    transcript: Transcript
    stages: Mapping[Stage, int | None]
    verdict: Verdict


@dataclass(frozen=True)
class RetrievalQuery:
    id: str
    query: str
    relevant: frozenset[str]


def retrieval_metrics(
    queries: Sequence[RetrievalQuery], search: Callable[[str], Sequence[Passage]], k: int = 5
) -> dict[str, float]:
    """recall@k: share of each query's relevant notes found among the top k chunks, averaged over queries.
    MRR: mean of 1/rank of the first chunk from a relevant note (0 when none is in the top k)."""
    recalls: list[float] = []
    reciprocal: list[float] = []
    for q in queries:
        notes = [p.note_id for p in search(q.query)[:k]]
        recalls.append(len(q.relevant & set(notes)) / len(q.relevant))
        first = next((rank for rank, note in enumerate(notes, 1) if note in q.relevant), None)
        reciprocal.append(1.0 / first if first else 0.0)
    n = max(len(queries), 1)
    return {f"recall_at_{k}": round(sum(recalls) / n, 3), "mrr": round(sum(reciprocal) / n, 3)}
