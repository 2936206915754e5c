"""Real conversations for the benchmarks: the blind dev transcripts' candidate turns, in order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from interviewer.domain import Level
from interviewer.transcripts import load_labelled

BLIND = Path(__file__).resolve().parents[1] / "evals" / "blind" / "transcripts"


@dataclass(frozen=True)
class Conversation:
    id: str
    question_id: str
    level: Level
    messages: tuple[str, ...]


def blind_conversations(folder: Path = BLIND) -> list[Conversation]:
    cases, _ = load_labelled(folder)
    return [
        Conversation(c.transcript.id, c.transcript.question_id or "", c.transcript.level,
                     tuple(m for m in c.transcript.candidate_turns() if m.strip()))
        for c in cases
    ]


def long_conversation(conversations: Sequence[Conversation]) -> Conversation:
    """The longest interview two transcripts of one question make when one follows the other (the candidate of the
    second carries on where the first stopped): a real conversation of 60 turns and more."""
    by_question: dict[str, list[Conversation]] = defaultdict(list)
    for conversation in conversations:
        by_question[conversation.question_id].append(conversation)
    pairs = [group[:2] for group in by_question.values() if len(group) >= 2]
    first, second = max(pairs, key=lambda pair: (len(pair[0].messages) + len(pair[1].messages), pair[0].id))
    return Conversation(f"{first.id} + {second.id}", first.question_id, first.level, first.messages + second.messages)
