"""Pure view helpers for the page: domain values in, plain data and Markdown out. Tested directly."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from interviewer.domain import STAGES, Flow, Question, Stage, Turn, TurnKind

SURPRISE_ME = "__surprise__"
_BAR_CELLS = 10


def question_choices(questions: Sequence[Question]) -> list[tuple[str, str]]:
    """(label, value) pairs for the question picker, 'surprise me' first."""
    picks = sorted(questions, key=lambda q: (q.domain, q.title))
    return [("Surprise me (random question)", SURPRISE_ME)] + [(f"{q.title} ({q.domain})", q.id) for q in picks]


def chat_messages(turns: Sequence[Turn]) -> list[dict[str, str]]:
    """Stored turns as Gradio 'messages' (the candidate is the user, the interviewer the assistant)."""
    messages = []
    for turn in turns:
        role = "user" if turn.role == "candidate" else "assistant"
        content = f"💡 {turn.content}" if turn.kind is TurnKind.HINT else turn.content
        messages.append({"role": role, "content": content})
    return messages


def progress_bar(share: float) -> str:
    filled = round(max(0.0, min(1.0, share)) * _BAR_CELLS)
    return "█" * filled + "░" * (_BAR_CELLS - filled)


def stage_tracker(flow: Flow, coverage: Mapping[Stage, float], current: Stage | None) -> str:
    """The side panel: every stage with its coverage, the current one marked."""
    lines = ["| | Stage | Covered |", "|---|---|---|"]
    for index, stage in enumerate(STAGES, 1):
        marker = "▶" if stage is current else str(index)
        title = flow.guide(stage).title
        name = f"**{title}**" if stage is current else title
        share = coverage.get(stage, 0.0)
        lines.append(f"| {marker} | {name} | `{progress_bar(share)}` {share:.0%} |")
    return "\n".join(lines)

