"""Shuffle the replays of two versions into unlabelled packs for independent raters.

Run: python evals/raters/pack.py BEFORE_DIR AFTER_DIR ROUND_DIR [SEED]
Writes ROUND_DIR/pack/<letter><n>.md (one conversation each, in shuffled order) and ROUND_DIR/key.json
({file: [version, interview]}), which the raters never see.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path


def main() -> None:
    before, after, round_dir = (Path(a) for a in sys.argv[1:4])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 14
    items = [(version, path) for version, folder in (("before", before), ("after", after))
             for path in sorted(folder.glob("*.md"))]
    random.Random(seed).shuffle(items)
    pack = round_dir / "pack"
    pack.mkdir(parents=True, exist_ok=True)
    key: dict[str, list[str]] = {}
    for number, (version, path) in enumerate(items, 1):
        name = f"C{number}.md"
        (pack / name).write_text(path.read_text())
        key[name] = [version, path.stem]
    (round_dir / "key.json").write_text(json.dumps(key, indent=1) + "\n")


if __name__ == "__main__":
    main()
