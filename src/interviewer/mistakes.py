"""Serious mistakes (red-flag rules with `caps`) found in what a candidate says: one definition for the judge, which
caps the stage, and the interviewer, which challenges the claim when it is made."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from interviewer.domain import Fact, FlagRule, Question, RedFlagRule
from interviewer.text import affirms, matches_any, negates, phrase_terms, requests_information, stem, terms

RARE_SHARE = 5.0  # a positive class at or under 5% is rare: accuracy says nothing there
# Said by the sheet's own fact about how common the class is, 10% is rare enough: at 8% fake sign-ups a model that
# passes everyone scores 92% accuracy (a new user's "99 percent accuracy is a good model" was never flagged). A share
# in any other fact ("8% of queries are new") is too loose a sign, so the 5% bar stays there.
RARE_CLASS_SHARE = 10.0
_RARE_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_ONE_IN = re.compile(r"\b1 in ([\d,]+)")
RARE_ONLY = frozenset({"accuracy_on_imbalanced"})  # rules that only apply when the positive class is rare


def rare_positives(question: Question | None) -> bool:
    """The sheet says the class of interest is rare (a share of 5% or less, or 1 in 20 or fewer): in its fact about how
    common the class is, where it has one (`class_rate_facts`), else in any fact. A share said of something else ("users
    mark about 0.1% of emails", where 45% of mail is spam) does not make the class rare."""
    if question is None:
        return False
    rate_facts = class_rate_facts(question)
    bar = RARE_CLASS_SHARE if rate_facts else RARE_SHARE
    for fact in rate_facts or question.facts:
        shares = [float(m) for m in _RARE_PERCENT.findall(fact.answer)]
        ones = [int(m.replace(",", "")) for m in _ONE_IN.findall(fact.answer)]
        if any(share <= bar for share in shares) or any(n >= 100 / bar for n in ones):
            return True
    return False


def class_rate_facts(question: Question) -> tuple[Fact, ...]:
    """The sheet's facts about how common the class of interest is: ids ending in `_rate` (fraud_rate, spam_rate) or
    `prevalence`."""
    return tuple(f for f in question.facts if f.id.endswith("_rate") or f.id == "prevalence")


def applies(rule: FlagRule, question: Question | None) -> bool:
    """Whether a rule can fire for this question (its domains and outputs; the rare-class condition if it has one)."""
    domain = question.domain if question else None
    if rule.domains and domain not in rule.domains:
        return False
    if rule.outputs and (question is None or question.output not in rule.outputs):
        return False
    return rule.id not in RARE_ONLY or rare_positives(question)


def affirms_any(sentence: str, cues: Iterable[str]) -> bool:
    """The sentence states a cue without negating or dismissing it ('not accuracy' does not count), and not as a
    what-if ('so if I split randomly, the test set gets near-duplicates')."""
    sentence_terms = terms(sentence)
    return any(phrase_terms(c) <= sentence_terms and not negates(sentence, c) and not supposed(sentence, c)
               for c in cues)


_WORDS = re.compile(r"[a-z]+")
_SUPPOSERS = frozenset({"i", "we", "you"})


def supposed(sentence: str, cue: str) -> bool:
    """The cue comes after an "if I", "if we" or "if you" in the sentence: it is supposed, not proposed ("if you just
    optimise for clicks you get clickbait"; but "if it has high accuracy" is a claim). Each word of the cue is looked
    for; the cue is supposed when some word of it is met only after such an "if"."""
    words = _WORDS.findall(sentence.lower())
    ifs = [i for i, (word, then) in enumerate(itertools.pairwise(words)) if word == "if" and then in _SUPPOSERS]
    if not ifs:
        return False
    stems = [stem(w) for w in words]
    for word in _WORDS.findall(cue.lower()):
        places = [i for i, s in enumerate(stems) if s == stem(word)]
        if places and places[0] > ifs[0]:
            return True
    return False


@lru_cache(maxsize=65536)  # every turn checks the whole conversation so far against every rule
def states(rule: FlagRule, sentence: str) -> bool:
    """The sentence raises the rule: it affirms one of `when`, or it affirms a term of the first `when_together`
    group and has a term of each other group ('shuffle everything and hold out a fifth as the test set'); never a
    sentence with one of `not_with` (a random split of users into an experiment's arms is no mistake)."""
    sentence_terms = terms(sentence)
    if matches_any(sentence_terms, rule.not_with):
        return False
    if affirms_any(sentence, rule.when):
        return True
    if not rule.when_together:
        return False
    first, *others = rule.when_together
    return affirms_any(sentence, first) and all(matches_any(sentence_terms, group) for group in others)


# "If I did a time split, I'd only validate on the last few weeks": the right way as a what-if, argued against.
# So is the right way named as "the alternative" ("The alternative, computing them as of each date, means a lot of
# point-in-time joins").
_WHAT_IF = re.compile(
    r"\bif (?:i|we) (?:did|used|went with|chose|picked|switched to|were to)\b|\bthe alternative\b", re.IGNORECASE
)


def knows_better(rule: FlagRule, sentence: str) -> bool:
    """The sentence names the right way (`unless`), and not as a what-if the candidate argues against. Chosen on
    evals/own/transcripts: one red-flag candidate defending a random split of daily sales had been let off (training
    4 where both labellers gave 1; pooled kappa 0.744/0.755 -> 0.758/0.769); no blind sentence is such a what-if."""
    return matches_any(terms(sentence), rule.unless) and not _WHAT_IF.search(sentence)


# Words that, anywhere in a sentence, show it argues against what it names ("random split is not the best", "maximising
# opens has a predictable failure", "it's tempting to sort by commission").
_CRITICAL = frozenset(
    "not no never without avoid instead rather problem problems failure fails fail wrong bad leak leaks tempting "
    "hurt hurts misleading useless".split()
)
def argues_for(sentence: str, cues: Iterable[str]) -> str | None:
    """The cue of a question's own red flag (`Question.red_flags`) the sentence argues for: said as a phrase (words in
    order), not as a what-if (`supposed`), and in a sentence with no word of negation or criticism and no "n't"
    beyond those of the cue itself.
    An accusation needs this much: cue words scattered over a sentence ("one score per policy ... a post ...
    multi-label" for "one label per post") and a named approach argued against had raised 16 of the 19 such flags on
    the self-written, blind, dev and test transcripts, 11 of them for candidates labelled hire or strong hire."""
    lowered = sentence.lower().replace("\u2019", "'")
    critical = set(_WORDS.findall(lowered)) & _CRITICAL
    for cue in cues:
        own = set(_WORDS.findall(cue.lower()))  # a cue may itself say "no" ("no review needed")
        if critical - own or ("n't" in lowered and "n't" not in cue):
            continue
        if affirms(sentence, cue) and not supposed(sentence, cue):
            return cue
    return None


def raising(rule: RedFlagRule, said: Sequence[str]) -> str | None:
    """The first sentence that raises a question's own red flag (`argues_for`); a request for information claims
    nothing ("I'd want to know whether people play it in order or on shuffle" is no random split)."""
    return next((s for s in said if argues_for(s, rule.cues) is not None and not requests_information(s)), None)


@dataclass(frozen=True)
class Mistake:
    rule: FlagRule
    sentence: str


def standing(rule: FlagRule, said: Sequence[str]) -> str | None:
    """The first sentence of `said` that raises the rule, when the candidate still stands by it: the last sentence
    that raises it comes after every sentence that shows they know better (`unless`). A correction made later ends
    the mistake; knowing the right words and then choosing the mistake anyway ("a time-based split would throw away
    recent data, so a random split") does not. A sentence that does both counts as knowing better. For a rule that is
    not a serious mistake, or one `cleared_anywhere`, an `unless` said anywhere clears it.

    Chosen on evals/own/transcripts, where three red-flag candidates who argued for a random split or stood by
    accuracy after naming the alternative had been let off (pooled kappa 0.730/0.741 -> 0.740/0.750). The right way
    named only as a what-if argued against ("if I did a time split I'd only validate on a few weeks") is no correction
    either (`knows_better`)."""
    raised = [i for i, s in enumerate(said) if states(rule, s)]
    knows = [
        i for i, s in enumerate(said)
        if knows_better(rule, s) or (i in raised and matches_any(terms(s), rule.unless))
    ]
    anywhere = rule.caps is None or rule.cleared_anywhere
    if not raised or (knows and (anywhere or knows[-1] >= raised[-1])):
        return None
    return said[raised[0]]


def serious_mistakes(rules: Sequence[FlagRule], question: Question | None, said: Sequence[str]) -> list[Mistake]:
    """The serious mistakes stated in `said` (sentences) that the candidate still stands by (`standing`)."""
    found: list[Mistake] = []
    for rule in rules:
        if rule.caps is None or rule.absent or not applies(rule, question):
            continue
        sentence = standing(rule, said)
        if sentence is not None:
            found.append(Mistake(rule, sentence))
    return found
