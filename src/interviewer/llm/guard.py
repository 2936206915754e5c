"""Checks on a model's reply before the candidate sees it. Pure functions returning every problem found, each a
`ReplyProblem` whose value says it in words (a reply can break several checks at once: none masks another)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from interviewer.text import sentences, terms


class ReplyProblem(StrEnum):
    EMPTY = "it was empty"
    TOO_LONG = "it was far longer than an interviewer's turn"
    REVEALED_HIDDEN = "it revealed hidden interview material"
    LEAKED_IN_OTHER_WORDS = "it gave away hidden interview material in other words"
    TALKED_ABOUT_INSTRUCTIONS = "it talked about its instructions instead of the interview"
    INVENTED_NUMBER = "it stated a number that is not in the scenario"
    ANSWERED_FOR_CANDIDATE = "it started answering the design for the candidate"
    DROPPED_FACT = "it dropped a fact the candidate asked for"
    DROPPED_QUESTION = "it dropped the question the interviewer had to ask"
    IGNORED_CANDIDATE = "it did not follow up on the candidate's own words"
    QUOTED_NOTHING = "it quoted none of the candidate's own sentences"


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_SOLVING = re.compile(
    r"\b(?:i would|i'd|we would|we'd|you should|you could|the best way is to|the answer is)\s+"
    r"(?:use|build|train|design|choose|pick|go with|deploy|start with)\b",
    re.IGNORECASE,
)
MAX_REPLY_CHARS = 700
MAX_ANSWER_CHARS = 2000  # an answer to a question about the report
# A sentence gives a hidden text away in other words when it has at least LEAK_WORDS of that text's content words, and
# at least LEAK_SHARE of them, that nothing known has (the scenario, the conversation, the planned move). Chosen on our
# own leak examples (evals/leak_examples.jsonl, with only the scenario known): 25 of 30 leaks found, 0 of 10 harmless
# sentences flagged, and 13 of the bank's own 906 probes and twists would be, were they not the planned move (known);
# at 0.4 and 2 words, 29 of 30 leaks, but 70 of the 906.
LEAK_WORDS = 3
LEAK_SHARE = 0.5
FOLLOW_UP_WORDS = 2  # a follow-up on the candidate's words shares at least this many content words with them


@dataclass(frozen=True)
class ReplyRules:
    """What a reply may say on this turn: the numbers in the scenario and conversation, the hidden texts (never to be
    said, `secrets` word for word, `hidden` in other words either), the content words already known to the candidate
    (theirs, the scenario's, the planned move's), and for a follow-up the candidate's words it must take up."""

    allowed_numbers: frozenset[str] = frozenset()
    secrets: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    known: frozenset[str] = frozenset()
    follows_up: str = ""
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


def check_sentence(sentence: str, rules: ReplyRules) -> list[ReplyProblem]:
    """Every reason this sentence may not be shown; empty when it may."""
    lowered = sentence.lower()
    found = {
        ReplyProblem.REVEALED_HIDDEN: any(secret.lower() in lowered for secret in rules.secrets if secret),
        ReplyProblem.LEAKED_IN_OTHER_WORDS: bool(paraphrased(sentence, rules)),
        ReplyProblem.TALKED_ABOUT_INSTRUCTIONS: any(phrase in lowered for phrase in _SCAFFOLDING),
        ReplyProblem.INVENTED_NUMBER: bool(numbers(sentence) - rules.allowed_numbers),
        ReplyProblem.ANSWERED_FOR_CANDIDATE: bool(_SOLVING.search(sentence)),
    }
    return [problem for problem, broken in found.items() if broken]


def paraphrased(sentence: str, rules: ReplyRules) -> list[str]:
    """The hidden texts the sentence gives away in other words: enough of each one's content words that nothing known
    to the candidate has (`LEAK_WORDS`, `LEAK_SHARE`)."""
    said = terms(sentence)
    found = []
    for hidden in rules.hidden:
        telling = terms(hidden) - rules.known
        if len(telling) >= LEAK_WORDS and len(said & telling) >= max(LEAK_WORDS, math.ceil(LEAK_SHARE * len(telling))):
            found.append(hidden)
    return found


def check_reply(reply: str, plan: str, rules: ReplyRules) -> list[ReplyProblem]:
    """Every problem of the whole reply, in `ReplyProblem`'s order: empty or overlong, any sentence not clean, a fact
    or the question of the plan dropped, a follow-up that left the candidate's words."""
    text = reply.strip()
    if not text:
        return [ReplyProblem.EMPTY]
    found = {problem for said in sentences(text) for problem in check_sentence(said, rules)}
    found |= {ReplyProblem.TOO_LONG} if len(text) > max(MAX_REPLY_CHARS, 3 * len(plan)) else set()
    found |= {ReplyProblem.DROPPED_FACT} if numbers(plan) - numbers(text) else set()
    found |= {ReplyProblem.DROPPED_QUESTION} if plan.rstrip().endswith("?") and "?" not in text else set()
    if rules.follows_up and len(terms(text) & terms(rules.follows_up)) < FOLLOW_UP_WORDS:
        found.add(ReplyProblem.IGNORED_CANDIDATE)
    return [problem for problem in ReplyProblem if problem in found]


def check_answer(answer: str, rules: ReplyRules, quotes: Iterable[str]) -> list[ReplyProblem]:
    """Every problem of a model's answer to a question about a report: empty or overlong, a number the material does
    not have, talk about its instructions, or none of the candidate's sentences quoted (where there were any). Advice
    is expected here, and the points are no longer hidden: those checks do not apply."""
    text = answer.strip()
    if not text:
        return [ReplyProblem.EMPTY]
    found: set[ReplyProblem] = set()
    for said in sentences(text):
        found |= {ReplyProblem.INVENTED_NUMBER} if numbers(said) - rules.allowed_numbers else set()
        found |= {ReplyProblem.TALKED_ABOUT_INSTRUCTIONS} if any(p in said.lower() for p in _SCAFFOLDING) else set()
    found |= {ReplyProblem.TOO_LONG} if len(text) > MAX_ANSWER_CHARS else set()
    given = [quote.rstrip("…") for quote in quotes]
    found |= {ReplyProblem.QUOTED_NOTHING} if given and not any(q in text for q in given) else set()
    return [problem for problem in ReplyProblem if problem in found]
