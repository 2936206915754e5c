"""Checks on a model's reply before the candidate sees it. Pure functions returning every problem found, each a
`ReplyProblem` whose value says it in words (a reply can break several checks at once: none masks another)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum

from interviewer.text import sentences


class ReplyProblem(StrEnum):
    EMPTY = "it was empty"
    TOO_LONG = "it was far longer than an interviewer's turn"
    REVEALED_HIDDEN = "it revealed hidden interview material"
    TALKED_ABOUT_INSTRUCTIONS = "it talked about its instructions instead of the interview"
    INVENTED_NUMBER = "it stated a number that is not in the scenario"
    ANSWERED_FOR_CANDIDATE = "it started answering the design for the candidate"
    DROPPED_FACT = "it dropped a fact the candidate asked for"
    DROPPED_QUESTION = "it dropped the question the interviewer had to ask"


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


def describe(problems: Iterable[ReplyProblem]) -> str:
    """The problems in one phrase ("it was empty and it dropped ...")."""
    return " and ".join(problem.value for problem in problems)


def check_sentence(sentence: str, allowed_numbers: set[str], secrets: Iterable[str]) -> list[ReplyProblem]:
    """Every reason this sentence may not be shown; empty when it may."""
    lowered = sentence.lower()
    found = {
        ReplyProblem.REVEALED_HIDDEN: any(secret.lower() in lowered for secret in secrets if secret),
        ReplyProblem.TALKED_ABOUT_INSTRUCTIONS: any(phrase in lowered for phrase in _SCAFFOLDING),
        ReplyProblem.INVENTED_NUMBER: bool(numbers(sentence) - allowed_numbers),
        ReplyProblem.ANSWERED_FOR_CANDIDATE: bool(_SOLVING.search(sentence)),
    }
    return [problem for problem, broken in found.items() if broken]


def check_reply(reply: str, plan: str, allowed_numbers: set[str], secrets: Iterable[str]) -> list[ReplyProblem]:
    """Every problem of the whole reply, in `ReplyProblem`'s order: empty or overlong, any sentence not clean, a fact
    or the question of the plan dropped."""
    text = reply.strip()
    if not text:
        return [ReplyProblem.EMPTY]
    found = {problem for said in sentences(text) for problem in check_sentence(said, allowed_numbers, secrets)}
    found |= {ReplyProblem.TOO_LONG} if len(text) > max(MAX_REPLY_CHARS, 3 * len(plan)) else set()
    found |= {ReplyProblem.DROPPED_FACT} if numbers(plan) - numbers(text) else set()
    found |= {ReplyProblem.DROPPED_QUESTION} if plan.rstrip().endswith("?") and "?" not in text else set()
    return [problem for problem in ReplyProblem if problem in found]
