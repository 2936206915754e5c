"""The prompt for one LLM turn, kept under a token budget however long the interview gets.

System prompt (a file in the package) + scenario + stage + grounding snippets + a summary of the interview so far +
the most recent turns verbatim + the next move. When over budget: older turns go first, then snippets shrink, then the
candidate's last message is shortened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Protocol

from interviewer.domain import Question, Stage, Turn, TurnKind
from interviewer.llm.base import ChatMessage

RECENT_TURNS = 6
TURN_TOKENS = 250
SNIPPET_TOKENS = 120
REPHRASE = "say this in your own words, keep its numbers exactly"
# A probe of what the candidate just said: the model asks it about their words (the checks require some of them).
FOLLOW_UP = (
    "a follow-up on what the candidate just said: ask it as one specific question about their words, quoting a few "
    "of them; ask only what this asks, hint at no answer, keep its numbers exactly"
)


class Counter(Protocol):
    def count(self, text: str) -> int: ...

    def truncate(self, text: str, limit: int) -> str: ...


def system_prompt(name: str = "interviewer") -> str:
    return files("interviewer").joinpath(f"prompts/{name}.md").read_text(encoding="utf-8")


@dataclass(frozen=True)
class TurnContext:
    question: Question
    stage_title: str
    summary: str
    turns: Sequence[Turn]
    message: str
    plan: str
    snippets: Sequence[str] = ()
    follows_up: str = ""  # the candidate's words the move follows up on ("" for any other move)


def _line(turn: Turn, counter: Counter) -> str:
    who = "Candidate" if turn.role == "candidate" else "Interviewer"
    return f"{who}: {counter.truncate(turn.content, TURN_TOKENS)}"


def build_messages(context: TurnContext, counter: Counter, budget: int) -> list[ChatMessage]:
    system = system_prompt()
    recent = [t for t in context.turns if t.kind is not TurnKind.NOTICE][-RECENT_TURNS:]
    snippets = [counter.truncate(s, SNIPPET_TOKENS) for s in context.snippets]
    message = context.message
    while True:
        user = _user(context, [_line(t, counter) for t in recent], snippets, message)
        if counter.count(system) + counter.count(user) <= budget:
            return [ChatMessage("system", system), ChatMessage("user", user)]
        if recent:
            recent = recent[1:]
        elif snippets:
            snippets = snippets[:-1]
        else:
            message = counter.truncate(message, max(20, counter.count(message) // 2))
            if counter.count(message) <= 21:
                return [ChatMessage("system", system), ChatMessage("user", user)]


def _user(context: TurnContext, lines: list[str], snippets: list[str], message: str) -> str:
    parts = [
        f"Scenario: {context.question.title}. {context.question.prompt}",
        f"Current stage of the interview: {context.stage_title}.",
        f"So far: {context.summary}",
    ]
    if snippets:
        parts.append("Background for you (do not quote it):\n" + "\n".join(f"- {s}" for s in snippets))
    if lines:
        parts.append("Recent conversation:\n" + "\n".join(lines))
    parts.append(f'The candidate just said: """{message}"""')
    parts.append(f"NEXT MOVE ({FOLLOW_UP if context.follows_up else REPHRASE}): {context.plan}")
    return "\n\n".join(parts)


def summarise(stage_titles: dict[Stage, str], coverage: dict[Stage, float], choices: Sequence[str]) -> str:
    """A fixed-size account of the interview so far, in place of the older turns."""
    covered = ", ".join(f"{stage_titles[s]} {share:.0%}" for s, share in coverage.items() if share > 0) or "nothing yet"
    stated = ", ".join(choices[-6:]) or "none yet"
    return f"coverage by stage: {covered}. Design choices the candidate has made: {stated}."
