"""Summarise the two raters' judgements of replayed interviewer replies, before and after, per rater.

Run: python evals/raters/summary.py evals/raters/round2   (reads the round's key.json and rater*.jsonl)
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

FLAGS = ("re_ask", "wrong_refusal", "leak")


def main() -> None:
    where = Path(sys.argv[1])
    key = json.loads((where / "key.json").read_text())
    print("| rater | version | replies | re-asks | unfitting | wrong refusals | leaks | naturalness |")
    print("|---|---|---|---|---|---|---|---|")
    for path in sorted(where.glob("rater*.jsonl")):
        by_version: dict[str, list[dict[str, object]]] = defaultdict(list)
        for line in path.read_text().splitlines():
            if line.strip():
                rating = json.loads(line)
                by_version[key[rating["file"]][0]].append(rating)
        for version in ("before", "after"):  # a round that rates one version only (a fresh look) has no "before"
            rows = by_version[version]
            n = len(rows)
            if not n:
                continue
            share = {flag: sum(bool(r[flag]) for r in rows) / n for flag in FLAGS}
            unfit = sum(not r["relevant"] for r in rows) / n
            nat = sum(int(str(r["naturalness"])) for r in rows) / n
            print(f"| {path.stem} | {version} | {n} | {share['re_ask']:.1%} | {unfit:.1%} | "
                  f"{share['wrong_refusal']:.1%} | {share['leak']:.1%} | {nat:.2f} |")


if __name__ == "__main__":
    main()
