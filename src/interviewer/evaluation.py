"""Eval data types: labelled transcripts, clarifying-question items and retrieval queries; the retrieval metrics."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from interviewer.domain import Passage, Stage, Transcript, Verdict


@dataclass(frozen=True)
class Labels:
    """One labeller's reading of a transcript: a score per stage (None = not reached) and a verdict."""

    stages: Mapping[Stage, int | None]
    verdict: Verdict


@dataclass(frozen=True)
class LabelledCase:
    """A transcript with its first labeller's labels and, in the blind set, a second labeller's."""

    transcript: Transcript
    labels: Labels
    labels_b: Labels | None = None


class ClarifyKind(StrEnum):
    SINGLE = "single"  # asks for one fact on the sheet
    DOUBLE = "double"  # asks for two facts at once
    OFF_SHEET = "off_sheet"  # nothing on the sheet answers it: no fact, ask for an assumption
    STATEMENT = "statement"  # a design statement, not a question: no fact volunteered


@dataclass(frozen=True)
class ClarifyItem:
    """A clarifying question (or statement) a candidate sends, and the fact ids a right reply gives."""

    question_id: str
    text: str
    fact_ids: tuple[str, ...]
    kind: ClarifyKind


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
