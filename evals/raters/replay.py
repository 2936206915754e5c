"""Replay the candidate turns of four blind interviews through this checkout's interviewer (offline, as users run
it) and write each conversation as Markdown for the raters: `python evals/raters/replay.py OUT_DIR [NAME ...]` (NAME:
a blind transcript's file name without `.json`; the four below when none is given).

Then `pack.py` shuffles two such folders (before and after a change) into unlabelled packs for two raters.
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from interviewer.bootstrap import build_service
from interviewer.config import Settings
from interviewer.service import InterviewService

ROOT = Path(__file__).resolve().parents[2]
INTERVIEWS = (
    "ecommerce_homepage_recs__weak_junior",
    "machine_translation__red_flag",
    "fake_reviews__solid_mid",
    "receipt_ocr__bluffer",
)


@dataclass(frozen=True)
class Replayed:
    service: InterviewService
    session_id: str
    opening: str
    exchanges: tuple[tuple[str, str], ...]  # (candidate message, interviewer reply)


def replay(service_dir: Path, name: str) -> Replayed:
    """The blind interview `name`'s candidate messages sent in order to a fresh service storing in `service_dir`."""
    service = build_service(Settings(data_dir=service_dir))
    data = json.loads((ROOT / "evals" / "blind" / "transcripts" / f"{name}.json").read_text())
    started = service.start(data["question_id"], data.get("level", "E5"))
    messages = [t["content"] for t in data["turns"] if t["role"] == "candidate" and t["content"].strip()]
    exchanges = tuple((message, service.reply(started.session.id, message).message) for message in messages)
    return Replayed(service, started.session.id, started.message, exchanges)


def conversation(service_dir: Path, name: str) -> str:
    replayed = replay(service_dir, name)
    lines = ["# Conversation", "", f"**Interviewer (opening):** {replayed.opening}", ""]
    for number, (message, reply) in enumerate(replayed.exchanges, 1):
        lines += [f"## Exchange {number}", "", f"**Candidate:** {message}", "", f"**Interviewer:** {reply}", ""]
    return "\n".join(lines)


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name in sys.argv[2:] or INTERVIEWS:
            (out / f"{name}.md").write_text(conversation(Path(tmp), name))


if __name__ == "__main__":
    main()
