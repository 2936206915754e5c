"""Checks on a model's reply before the candidate sees it. Pure functions; each failure names its reason."""

from __future__ import annotations

import re
from collections.abc import Iterable

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_SOLVING = re.compile(
    r"\b(?:i would|i'd|we would|we'd|you should|you could|the best way is to|the answer is)\s+"
    r"(?:use|build|train|design|choose|pick|go with|deploy|start with)\b",
    re.IGNORECASE,
)
MAX_REPLY_CHARS = 700
_SCAFFOLDING = (
    "next move", "the candidate just said", "interview plan", "background for you", "the interviewer",
    # narrating the conversation about the candidate, instead of talking to them (a recorded SmolLM2 reply)
    "the candidate is", "the candidate has", "the candidate said", "the candidate asked", "the candidate wants",
    "the candidate mentioned",
    "as an ai", "language model", "my instructions", "system prompt",
)


def numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}


def check_sentence(sentence: str, allowed_numbers: set[str], secrets: Iterable[str]) -> str | None:
    """The reason a sentence may not be shown, or None."""
    lowered = sentence.lower()
    if any(secret.lower() in lowered for secret in secrets if secret):
        return "it revealed hidden interview material"
    if any(phrase in lowered for phrase in _SCAFFOLDING):
        return "it talked about its instructions instead of the interview"
    invented = sorted(numbers(sentence) - allowed_numbers)
    if invented:
        return f"it stated a number that is not in the scenario ({invented[0]})"
    if _SOLVING.search(sentence):
        return "it started answering the design for the candidate"
    return None


def check_reply(reply: str, plan: str, allowed_numbers: set[str], secrets: Iterable[str]) -> str | None:
    """Whole-reply checks: not empty or overlong, every sentence clean, no fact or question of the plan dropped."""
    text = reply.strip()
    if not text:
        return "it was empty"
    if len(text) > max(MAX_REPLY_CHARS, 3 * len(plan)):
        return "it was far longer than an interviewer's turn"
    sentences = re.split(r"(?<=[.!?])\s+", text)
    problem = next((r for s in sentences if (r := check_sentence(s, allowed_numbers, secrets))), None)
    if problem:
        return problem
    dropped = sorted(numbers(plan) - numbers(text))
    if dropped:
        return f"it dropped a fact the candidate asked for ({dropped[0]})"
    if plan.rstrip().endswith("?") and "?" not in text:
        return "it dropped the question the interviewer had to ask"
    return None
