"""Replay the candidate turns of four blind interviews through this checkout's interviewer (offline, as users run
it) and write each conversation as Markdown for the raters: `python evals/raters/replay.py OUT_DIR [NAME ...]` (NAME:
a blind transcript's file name without `.json`; the four below when none is given).

Then `pack.py` shuffles two such folders (before and after a change) into unlabelled packs for two raters.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from interviewer.bootstrap import build_service
from interviewer.config import Settings

ROOT = Path(__file__).resolve().parents[2]
INTERVIEWS = (
    "ecommerce_homepage_recs__weak_junior",
    "machine_translation__red_flag",
    "fake_reviews__solid_mid",
    "receipt_ocr__bluffer",
)


def conversation(service_dir: Path, name: str) -> str:
    service = build_service(Settings(data_dir=service_dir))
    data = json.loads((ROOT / "evals" / "blind" / "transcripts" / f"{name}.json").read_text())
    started = service.start(data["question_id"], data.get("level", "E5"))
    lines = ["# Conversation", "", f"**Interviewer (opening):** {started.message}", ""]
    messages = [t["content"] for t in data["turns"] if t["role"] == "candidate" and t["content"].strip()]
    for number, message in enumerate(messages, 1):
        reply = service.reply(started.session.id, message)
        lines += [f"## Exchange {number}", "", f"**Candidate:** {message}", "", f"**Interviewer:** {reply.message}", ""]
    return "\n".join(lines)


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name in sys.argv[2:] or INTERVIEWS:
            (out / f"{name}.md").write_text(conversation(Path(tmp), name))


if __name__ == "__main__":
    main()
