"""evals/raters/kinds.py: the kind of an interviewer reply, as the README's rater figures group them."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

RATERS = Path(__file__).resolve().parents[1] / "evals" / "raters"


def _kinds() -> ModuleType:
    spec = importlib.util.spec_from_file_location("rater_kinds", RATERS / "kinds.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_reply_is_classed_by_its_stock_question_and_its_quote() -> None:
    kinds = _kinds()
    assert kinds.kind('Take "a cache in front". What is the weakest part of that, in your view?') == kinds.KINDS[0]
    assert kinds.kind("What does that cost you, and how would you know it was worth it?") == kinds.KINDS[1]
    assert kinds.kind('You said "we retrain weekly". Who signs off on a new model?') == kinds.KINDS[2]
    assert kinds.kind("Okay. How does it run in production?") == kinds.KINDS[3]


def test_every_rating_of_a_round_is_found_and_classed_once() -> None:
    kinds = _kinds()
    round_dir = RATERS / "round28"
    said = kinds.replies(round_dir)
    ratings = [json.loads(line) for path in sorted(round_dir.glob("rater*.jsonl"))
               for line in path.read_text().splitlines() if line.strip()]
    assert ratings and all((r["file"], int(r["exchange"])) in said for r in ratings)
    assert len(said) == len(ratings) // 2
