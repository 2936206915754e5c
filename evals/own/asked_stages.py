"""How often the judge's reader knows which stage the interviewer was asking about, in transcripts without stage tags.

Run: python evals/own/asked_stages.py
`asked_stages.jsonl` holds one label per interviewer turn of evals/own/transcripts and evals/own/heldout (1,059 turns):
the stage the turn asks the candidate to talk about, or "none" (greetings, facts given, acknowledgements, closing).
Four helpers wrote them, each for a quarter of the transcripts, from the stage definitions alone: they saw no code, no
cue list and nothing of evals/blind. A candidate message is read right when the stage the reader has the interviewer
on when it is sent (`Reading.asked_at`) is the stage of the last labelled turn before it that asks about one.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from interviewer.config import Settings
from interviewer.domain import Stage, TurnKind
from interviewer.questions import load_bank
from interviewer.reading import Reader
from interviewer.retrieval.similarity import EmbeddingSimilarity
from interviewer.transcripts import load_labelled

HERE = Path(__file__).parent


def main() -> None:
    settings = Settings()
    bank = load_bank(settings.knowledge_dir)
    reader = Reader(bank.flow, EmbeddingSimilarity(cache_dir=settings.data_dir / "embeddings"))
    labels = {(row["id"], row["turn"]): row["stage"] for row in map(json.loads, (HERE / "asked_stages.jsonl").open())}
    tally: Counter[str] = Counter()
    for folder in ("transcripts", "heldout"):
        cases, _ = load_labelled(HERE / folder)
        for case in cases:
            transcript = case.transcript
            read = reader.read(transcript, bank.get(transcript.question_id), []).asked_at
            labelled: Stage | None = None
            message = 0
            for number, turn in enumerate(transcript.turns):
                if turn.role == "interviewer" and labels.get((transcript.id, number), "none") != "none":
                    labelled = Stage(labels[(transcript.id, number)])
                elif turn.role == "candidate" and turn.kind is TurnKind.MESSAGE:
                    if labelled is not None:
                        tally["messages"] += 1
                        tally["right"] += read[message] is labelled
                        tally["unread"] += read[message] is None
                    message += 1
    print(json.dumps({
        "messages": tally["messages"],
        "asked_stage_right": round(tally["right"] / tally["messages"], 3),
        "no_stage_read": round(tally["unread"] / tally["messages"], 3),
    }))


if __name__ == "__main__":
    main()
