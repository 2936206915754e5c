"""evals/blind is an unchanged copy of the shared blind dev set, readable by the evals, and never learnt from."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from interviewer.questions import QuestionBank
from interviewer.transcripts import load_clarify_items, load_labelled

ROOT = Path(__file__).resolve().parents[1]
BLIND = ROOT / "evals" / "blind"
SHARED = ROOT.parent / "shared" / "evalsets" / "blind-dev"
RUN = 8  # words in a row that count as repeating the blind set's wording


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/evalsets/blind-dev is not beside this checkout")
def test_the_blind_set_is_an_unchanged_copy_of_the_shared_one() -> None:
    ours, theirs = _files(BLIND), _files(SHARED)
    assert sorted(ours) == sorted(theirs)
    changed = [name for name in theirs if ours[name] != theirs[name]]
    assert changed == [], f"evals/blind differs from {SHARED}: {changed}"


def test_the_blind_set_loads_and_fits_the_bank(bank: QuestionBank) -> None:
    cases, skipped = load_labelled(BLIND / "transcripts")
    assert skipped == [] and len(cases) == 32 and all(c.labels_b is not None for c in cases)
    items = load_clarify_items(BLIND / "clarify")
    assert len(items) == 432
    for item in items:
        question = bank.get(item.question_id)
        assert question is not None, item.question_id
        assert set(item.fact_ids) <= {f.id for f in question.facts}, item


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _runs(text: str) -> set[str]:
    found = _words(text)
    return {" ".join(found[i : i + RUN]) for i in range(len(found) - RUN + 1)}


def test_knowledge_and_code_do_not_repeat_the_blind_wording() -> None:
    """Candidates' words and the clarifying questions must not leak into what the system learns from."""
    blind: set[str] = set()
    for path in (BLIND / "transcripts").glob("*.json"):
        turns = json.loads(path.read_text())["turns"]
        blind |= {r for t in turns if t["role"] == "candidate" for r in _runs(t["content"])}
    questions = {" ".join(_words(json.loads(line)["text"])) for p in (BLIND / "clarify").glob("*.jsonl")
                 for line in p.read_text().splitlines() if line.strip()}
    blind |= {r for q in questions for r in _runs(q)}
    offenders = []
    for folder in ("knowledge", "src", "evals/leak_examples.jsonl"):
        for path in [ROOT / folder] if (ROOT / folder).is_file() else (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in {".md", ".yaml", ".yml", ".py", ".jsonl", ".txt"}:
                text = path.read_text(encoding="utf-8")
                flat = " ".join(_words(text))
                if _runs(text) & blind or any(q and q in flat for q in questions if len(q.split()) >= 5):
                    offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
