"""Raters' judgements grouped by the kind of interviewer reply, over one or more rounds (both versions, both raters).

Run: python evals/raters/kinds.py evals/raters/round24 evals/raters/round25 evals/raters/round26 evals/raters/round27

A reply is a `stock question quoting the candidate` when it holds one of the stock questions below (the stages' deeper
questions as rounds 24-27 asked them, the idea and proposal questions of knowledge/probes.yaml) and a quotation mark,
`stock question, unquoted` when it holds one without a quote, `other quoting reply` when it quotes the candidate with
anything else (mostly the expected points' own follow-ups), and `no stock question` otherwise.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

STOCK = (
    # the stages' deeper questions of rounds 24-27 (knowledge/flow.yaml before round 28)
    "what would make that framing wrong", "where could your metric improve",
    "which part would you expect to disappoint", "labels or features behind that",
    "artefact of how the data was collected", "what happens to a request when that",
    "first week after launch, and what would make you switch",
    # knowledge/probes.yaml: idea_asks and proposal_asks
    "what would have to be true for that to pay off", "what is the weakest part of that",
    "how would you tell after launch whether it was the right call", "what would make you drop that idea",
    "what does that cost you", "where could that go wrong",
    "how would you check that it does what you expect", "which part would you check first",
)
EXCHANGE = re.compile(r"## Exchange (\d+)\n\n\*\*Candidate:\*\* .*?\n\n\*\*Interviewer:\*\* (.*?)\n", re.S)
KINDS = ("stock question quoting the candidate", "stock question, unquoted", "other quoting reply", "no stock question")


def kind(reply: str) -> str:
    stock = any(line in reply.lower() for line in STOCK)
    quoted = '"' in reply
    return KINDS[0 if stock and quoted else 1 if stock else 2 if quoted else 3]


def replies(round_dir: Path) -> dict[tuple[str, int], str]:
    found = {}
    for pack in sorted((round_dir / "pack").glob("*.md")):
        for number, reply in EXCHANGE.findall(pack.read_text()):
            found[(pack.name, int(number))] = reply
    return found


def main() -> None:
    ratings: dict[str, list[dict[str, object]]] = defaultdict(list)
    for round_dir in map(Path, sys.argv[1:]):
        said = replies(round_dir)
        for path in sorted(round_dir.glob("rater*.jsonl")):
            for line in path.read_text().splitlines():
                if line.strip():
                    rating = json.loads(line)
                    ratings[kind(said[(rating["file"], int(rating["exchange"]))])].append(rating)
    print("| kind of reply | ratings | naturalness | unfitting | re-asks |")
    print("|---|---|---|---|---|")
    for name in KINDS:
        rows = ratings[name]
        if rows:
            n = len(rows)
            nat = sum(int(str(r["naturalness"])) for r in rows) / n
            unfit = sum(not r["relevant"] for r in rows) / n
            again = sum(bool(r["re_ask"]) for r in rows) / n
            print(f"| {name} | {n} | {nat:.2f} | {unfit:.1%} | {again:.1%} |")


if __name__ == "__main__":
    main()
