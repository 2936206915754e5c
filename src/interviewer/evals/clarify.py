"""The clarify task: one fresh session per clarifying question, judged by the fact-presence oracle, not the policy.

Per kind: `single` and `double` recall (every asked fact given), `off_sheet` and `statement` "no fact given" rates,
and `precision`: the share of replies to on-sheet questions that give no fact beyond those asked. `misses` lists every
item that fell short on any of them, with the reply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from interviewer.domain import Question
from interviewer.evals.oracles import asks_for_assumption, facts_given
from interviewer.evaluation import ClarifyItem, ClarifyKind
from interviewer.service import InterviewService

ASKING = (ClarifyKind.SINGLE, ClarifyKind.DOUBLE)


class ClarifyDataError(ValueError):
    """An item names a question or a fact the bank does not have."""


@dataclass(frozen=True)
class ClarifyResult:
    item: ClarifyItem
    reply: str
    given: tuple[str, ...]  # the fact ids the reply gives, by the presence oracle
    fell_back: bool = False  # the model's reply failed and the offline one was used

    @property
    def answered(self) -> bool:
        """What the kind asks for: every asked fact given, or (off-sheet, statement) none at all."""
        if self.item.kind in ASKING:
            return set(self.item.fact_ids) <= set(self.given)
        return not self.given

    @property
    def precise(self) -> bool:
        return set(self.given) <= set(self.item.fact_ids)

    def to_dict(self) -> dict[str, object]:
        return {"question_id": self.item.question_id, "kind": self.item.kind.value, "text": self.item.text,
                "expected": list(self.item.fact_ids), "given": list(self.given), "reply": self.reply}


def _question(service: InterviewService, item: ClarifyItem) -> Question:
    question = service.bank.get(item.question_id)
    if question is None:
        raise ClarifyDataError(f"unknown question id {item.question_id!r} in a clarify item")
    unknown = set(item.fact_ids) - {f.id for f in question.facts}
    if unknown:
        raise ClarifyDataError(f"{item.question_id} has no fact(s) {sorted(unknown)} (item {item.text!r})")
    return question


def ask_each(service: InterviewService, items: Sequence[ClarifyItem]) -> list[ClarifyResult]:
    """Each item in a session of its own (nothing said before it), so every reply depends on that text alone."""
    results = []
    for item in items:
        question = _question(service, item)
        session_id = service.start(question.id).session.id
        reply = service.reply(session_id, item.text)
        given = facts_given(question.facts, reply.message)
        results.append(ClarifyResult(item, reply.message, given, reply.notice is not None))
    return results


def _rate(results: Sequence[ClarifyResult], kinds: Sequence[ClarifyKind], passed: str) -> float | None:
    chosen = [r for r in results if r.item.kind in kinds]
    return round(sum(getattr(r, passed) for r in chosen) / len(chosen), 3) if chosen else None


def clarify_metrics(results: Sequence[ClarifyResult]) -> dict[str, object]:
    off_sheet = [r for r in results if r.item.kind is ClarifyKind.OFF_SHEET]
    return {
        "n": len(results),
        "counts": {kind.value: sum(r.item.kind is kind for r in results) for kind in ClarifyKind},
        **{kind.value: _rate(results, [kind], "answered") for kind in ClarifyKind},
        "precision": _rate(results, ASKING, "precise"),
        "off_sheet_asks_assumption": (
            round(sum(asks_for_assumption(r.reply) for r in off_sheet) / len(off_sheet), 3) if off_sheet else None
        ),
        "fallback_replies": sum(r.fell_back for r in results),
        "misses": [r.to_dict() for r in results if not (r.answered and r.precise)],
    }


def markdown(metrics: dict[str, object]) -> str:
    counts = metrics["counts"]
    assert isinstance(counts, dict)
    rows = [
        ("single: right fact given", "single"),
        ("double: both facts given", "double"),
        ("off_sheet: no fact given", "off_sheet"),
        ("statement: no fact given", "statement"),
        ("precision: no unasked fact (single + double)", "precision"),
        ("off_sheet: asks for an assumption", "off_sheet_asks_assumption"),
    ]
    lines = [f"{metrics['n']} items", "", "| measure | rate | items |", "|---|---|---|"]
    for label, key in rows:
        value = metrics[key]
        n = counts.get(key, counts["single"] + counts["double"] if key == "precision" else counts["off_sheet"])
        lines.append(f"| {label} | {'n/a' if value is None else f'{value:.3f}'} | {n} |")
    misses = metrics["misses"]
    assert isinstance(misses, list)
    lines += ["", f"{len(misses)} misses (every one is in the JSON report, with the reply); "
              f"{metrics['fallback_replies']} replies fell back to the offline interviewer"]
    return "\n".join(lines)
