"""Is each sentence the report quotes under a stage about that stage? Two raters judge every (stage, quote) pair of
the reports on replayed blind interviews (issue: a stage's evidence is the candidate's own sentences about it).

    python evals/raters/evidence.py pack OUT_DIR [NAME ...]   replay (all 32 blind interviews when no NAME), end each
                                                               session, write OUT_DIR/items.jsonl (shuffled, without
                                                               the version) and questions.json; the brief is
                                                               evals/raters/evidence/brief.md
    python evals/raters/evidence.py summary DIR               share of quotes rated yes / partly / no per rater and
                                                               stage (reads DIR/items.jsonl and DIR/rater*.jsonl)
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

from replay import ROOT, replay

BLIND = ROOT / "evals" / "blind" / "transcripts"
ANSWERS = ("yes", "partly", "no")
SEED = 7


def quotes(name: str, service_dir: Path) -> list[tuple[str, str]]:
    """(stage id, quote) for every quote of the report on the replayed interview `name`."""
    replayed = replay(service_dir, name)
    report = replayed.service.end(replayed.session_id)
    return [(stage.value, quote) for stage, score in report.stages.items() for quote in score.evidence]


def pack(out: Path, names: list[str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            rows += [(name, stage, quote) for stage, quote in quotes(name, Path(tmp) / name)]
    random.Random(SEED).shuffle(rows)
    items = [{"item": i, "interview": n, "stage": s, "quote": q} for i, (n, s, q) in enumerate(rows, 1)]
    (out / "items.jsonl").write_text("".join(json.dumps(item) + "\n" for item in items))
    openings = {n: json.loads((BLIND / f"{n}.json").read_text())["turns"][0]["content"] for n in names}
    (out / "questions.json").write_text(json.dumps(openings, indent=1))


def summary(where: Path) -> None:
    items = {item["item"]: item for item in map(json.loads, (where / "items.jsonl").read_text().splitlines())}
    print("| rater | quotes | yes | partly | no | no, per stage |")
    print("|---|---|---|---|---|---|")
    for path in sorted(where.glob("rater*.jsonl")):
        ratings = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        missing = set(items) - {r["item"] for r in ratings}
        if missing:
            print(f"{path.name}: {len(missing)} items not rated", file=sys.stderr)
        said = Counter(r["about"] for r in ratings)
        stages = Counter(items[r["item"]]["stage"] for r in ratings)
        wrong = Counter(items[r["item"]]["stage"] for r in ratings if r["about"] == "no")
        per_stage = ", ".join(f"{s} {wrong[s] / n:.0%}" for s, n in sorted(stages.items()))
        share = {a: said[a] / max(len(ratings), 1) for a in ANSWERS}
        print(f"| {path.stem} | {len(ratings)} | {share['yes']:.1%} | {share['partly']:.1%} | {share['no']:.1%} | "
              f"{per_stage} |")


def main() -> None:
    command, where = sys.argv[1], Path(sys.argv[2])
    if command == "pack":
        pack(where, sys.argv[3:] or sorted(p.stem for p in BLIND.glob("*.json")))
    else:
        summary(where)


if __name__ == "__main__":
    main()
