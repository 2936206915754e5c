"""Judge agreement with human labels over recorded transcripts (the seed of the eval suite)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from interviewer.domain import STAGES, Passage, Report, Stage, Transcript, Verdict


@dataclass(frozen=True)
class LabelledCase:
    transcript: Transcript
    stages: Mapping[Stage, int | None]
    verdict: Verdict


@dataclass(frozen=True)
class CaseResult:
    case: LabelledCase
    report: Report

    def stage_pairs(self) -> list[tuple[int, int]]:
        """(label, prediction) per labelled stage; not reached counts as 0."""
        return [(self.case.stages[s] or 0, self.report.stages[s].score or 0) for s in STAGES if s in self.case.stages]


def run_judge(cases: Sequence[LabelledCase], score: Callable[[Transcript], Report]) -> list[CaseResult]:
    return [CaseResult(case, score(case.transcript)) for case in cases]


def agreement(results: Sequence[CaseResult]) -> dict[str, float | int]:
    pairs = [pair for r in results for pair in r.stage_pairs()]
    if not pairs:
        return {"n": 0, "stage_exact": 0.0, "stage_adjacent": 0.0, "verdict_accuracy": 0.0}
    return {
        "n": len(results),
        "stage_exact": round(sum(a == b for a, b in pairs) / len(pairs), 3),
        "stage_adjacent": round(sum(abs(a - b) <= 1 for a, b in pairs) / len(pairs), 3),
        "verdict_accuracy": round(sum(r.report.verdict is r.case.verdict for r in results) / len(results), 3),
    }


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
