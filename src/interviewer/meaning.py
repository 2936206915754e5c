"""What a candidate means: which facts a clarifying question asks for, read by meaning rather than by cue words.

Pure: it compares texts through the `Similarity` protocol (the offline MiniLM embeddings in production, a fake in
tests). Each fact is represented by example questions written for it (`Fact.asks`, in `knowledge/asks/`); a question
asks for a fact when it is close enough in meaning to one of them (or, when nothing is, when the closest fact's cue
words are in it, or nearly all its words are among those written for that fact), and each part of a question that
asks for several things ("how many riders, and how fast must it answer?", "what volume and latency should I plan
for?") is matched on its own, a second question joined to the first more readily. A question about as close to
questions no sheet answers (the team, budgets, internal tooling, ...) as to any fact gets none, and so does one naming a
thing ("which languages ...?") that nothing written for its closest fact mentions. Nothing found means
the sheet does not cover it: the interviewer then asks for an assumption. Thresholds were chosen on our own clarifying
questions (`evals/own/clarify`, `evals/own/clarify_more`), never on the blind set.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from interviewer.domain import Fact, Question, Similarity
from interviewer.text import (
    STOPWORDS,
    WORD,
    asks_leave_only,
    asks_to_go_on,
    asks_verdict,
    asks_yes_no,
    best_cue_size,
    checks_assumption,
    is_question,
    lists_a_decision,
    requested,
    requests_information,
    says_any,
    sentences,
    starts_with_any,
    stem,
    terms,
    without_leave_to_ask,
)

# The rule, chosen on our own clarifying questions (evals/own/clarify, 816 items over the 30 questions; tests/
# test_meaning.py checks it still holds there): a fact is asked for when its score (the mean similarity of the
# question to the fact's two closest example questions) is at least SURE, or at least LIKELY and ahead of the next
# fact by MARGIN. A part of a question that asks several things is held to the PART_ rule. When neither finds a fact,
# the closest one still counts if the question uses its cue words: short, vague questions ("what's in place today?")
# sit far from every example, and on our own set this answered 6 % more single questions for 7 % more off-sheet ones
# given a neighbouring fact (single 0.848 -> 0.911, off-sheet 0.833 -> 0.767).
SURE, LIKELY, MARGIN = 0.75, 0.5, 0.12
PART_SURE, PART_LIKELY, PART_MARGIN = 0.7, 0.45, 0.1
# Two questions joined in one ("how many photos arrive per hour, and which formats must we accept from them?"): once
# either rule above has found a fact, each joined question also gets its own closest fact when it scores at least
# JOINED. The second question is often short and leans on the first ("them"), so it sits far from every example; the
# fact found first shows the message is about the sheet at all. Chosen on evals/own/clarify (0.3; 0.4 and 0.35 gave
# fewer doubles for the same precision): double 0.883 -> 0.950, off-sheet unchanged, precision 0.985 -> 0.979.
JOINED = 0.3
# Two things asked for in one clause ("what daily volume and response time should I plan for?") are read as two parts
# too (`coordinated_parts`), each held to the PART_ rule. Chosen on evals/own/clarify_more (240 harder questions written
# from the fact sheets alone, most doubles in this form): double 0.700 -> 0.892, precision 0.927 -> 0.920, off-sheet
# unchanged; evals/own/clarify unchanged.
# A part of a question that neither PART_ rule decides still asks for the closest fact when it is at most
# CUE_PART_WORDS words and uses that fact's cue words (`_named_by_cue`): "scale" in "scale and latency first, and
# what runs today?" sits far from every example by meaning. Chosen on evals/own/clarify: single 0.972 -> 0.974,
# precision 0.980 unchanged (with no limit on the part's length 0.979); evals/own/clarify_more unchanged.
# When neither meaning nor cue words decide: the closest fact still counts if it scores at least WORDED and at most
# NEW_WORDS of the question's content words are missing from everything written for that fact (its answer, cue words
# and example questions). A question put in the fact's own vocabulary is about it even when its wording sits far from
# every example. Chosen on evals/own/clarify: single 0.911 -> 0.952, double 0.950 -> 0.967, off-sheet 0.767 -> 0.756
# (1 of 90), precision 0.979 -> 0.977; the same at WORDED 0.3-0.45 (0.4 taken), 0.947 at 0.5; with NEW_WORDS 0 single
# 0.929, with 2 off-sheet fell to 0.633.
WORDED = 0.4
NEW_WORDS = 1
CUE_PART_WORDS = 6
# Last, for a whole question nothing above matched: the domain-neutral example questions shared by the facts most
# sheets have (knowledge/asks/_common.yaml), when the closest fact scores COMMON_SURE and leads the next by
# COMMON_MARGIN. Chosen on evals/own/clarify: single 0.952 -> 0.959, nothing else changed, at 0.55 (0.6-0.7: 0.954,
# 0.5: 0.964 but one more off-sheet question given a fact; the margin, 0.05 or 0.1, changed nothing). Mixed in with
# each fact's own examples instead, they pulled questions to the wrong fact: own precision 0.977 -> 0.968.
COMMON_SURE, COMMON_MARGIN = 0.55, 0.1
# First of all: a question (or a part of one) about something no sheet covers (the team, budgets, vendors, internal
# tooling, release process, hardware specifics, ...: knowledge/asks/_off_sheet.yaml) gets no fact when it comes at
# least UNANSWERED close to those questions and no more than UNANSWERED_LEAD behind its closest fact (a neighbouring
# fact otherwise answers it: "how many microphones?" got the traffic volume). Its other parts are still answered.
# Chosen on evals/own/clarify and clarify_more: off-sheet 0.756 -> 0.778 and 0.411 -> 0.456, nothing else changed (a
# lead of 0.2 gave the same; 0 or a floor of 0.6 fixed fewer; a floor of 0.5 also cost a double, none cost more).
UNANSWERED, UNANSWERED_LEAD = 0.55, 0.1
# The same for a text that names one of the things no sheet covers (the `topics` of knowledge/asks/_off_sheet.yaml:
# "team", "budget", "vendor", "launch", ...) while nothing written for its closest fact mentions it, unless that fact
# scores at least TOPIC_BELOW ("what would count as success for the finance team?" still asks for the goal). Such a
# text often sits far from every off-sheet example ("do we have budget to buy outside data?" came nearest the data
# history). Chosen on evals/own/clarify and clarify_more: off-sheet 0.844 -> 0.844 and 0.500 -> 0.511, nothing else
# changed at 0.6 (0.55 the same; 0.65 and above lost a single question in clarify_more, "how many devices would a
# new model ship to?").
TOPIC_BELOW = 0.6
# A fact given earlier is said again ("As I said, ...") only for a question that names it this closely on its own: the
# closeness 95 % of the single questions in evals/own/clarify and clarify_more reach for their fact (32nd lowest of
# 636). Found for a follow-up only through the sentence before it ("Do we have numbers?") or only loosely ("Is the
# 10 MB per device or per language?"), the reminder answers another question; the candidate is asked to assume.
REPEAT_SURE = 0.55
CLOSEST = 2
MAX_FACTS = 3
# A question that names the thing it wants ("which languages are the documents in?", "how many agents does each team
# have?") is not about a fact none of whose written words (answer, cue words, example questions) is that thing, however
# close in meaning the rest of it comes: the sheet's document count does not say which languages they are in. Chosen on
# our own off-sheet questions, which are mostly such neighbours of a fact: evals/own/clarify off-sheet 0.778 -> 0.844,
# evals/own/clarify_more 0.456 -> 0.500, single and double unchanged (one single gained, one lost). Extending it to
# yes/no questions ("is there a budget ...?", "do we have surveys ...?") fixed two more off-sheet questions for two
# single ones lost ("are there restrictions on what we can suggest?"): it stays with questions opening on the thing.
# The nouns that name nothing in particular at the end of `_VAGUE` (thing, information, details) were added after a
# blind dev question about "the main thing" lost its fact; on our own sets they change nothing.
# The same reading picks a fact too: where the rule for a question (or a part) finds none, it is applied again among
# the facts that mention the thing named ("what's the viewer count?" sits nearer the catalogue than the audience size,
# and only the audience size mentions viewers). Chosen on our own sets: evals/own/clarify_more double 0.892 -> 0.917,
# evals/own/clarify single 0.959 -> 0.960, nothing else changed (applied to parts alone: double 0.908).
_NAMING = re.compile(r"^(?:(?:so|and|but|also|ok|okay)\W+)*(?:how many|how much|which|"
                     r"what(?:'s| is| are| was)?(?: the| a| an)?)\s+(.*)", re.IGNORECASE)
_NOT_A_THING = frozenset(
    "be being done going shown running happening used doing would could should make made makes".split()
)  # "what would make this a success?", "what's being done today?": the word after the opener is no thing asked for
_VAGUE = frozenset(stem(w) for w in (
    "kind kinds sort type types share fraction percentage proportion number amount typical average actual exactly "
    "specifically much many big often long rough roughly current currently daily weekly monthly yearly annual peak "
    "ultimate overall total expected main primary exact approximate specific real thing things stuff information info "
    "detail details way ways"
).split())  # words that say how much or which of something, or name nothing in particular ("the main thing")
_ROLES = re.compile(r"\b(?:candidates?|interview(?:ers?|ees?|s)?)\b", re.IGNORECASE)
MIN_PART_WORDS = 3
# A question the candidate goes straight on to answer themselves opens its next sentence with one of these: they are
# thinking aloud and have made their assumption.
SELF_ANSWERS = ("i think", "i'd guess", "i would guess", "i guess", "i assume", "i'd assume", "i would assume",
                "i'll assume", "i'm assuming", "let's assume", "let's say", "my guess", "probably", "presumably",
                "not really", "i suspect", "i believe")
# A yes/no question they discuss themselves and answer at once with one of these ("Is ML needed? Partly not. ...") is
# the design question they set themselves: no fact is given for it (a fact matched to it read to raters of every round
# since 31 as volunteered, "responds to a rhetorical question").
# (An answer in `SELF_ANSWERS`, "Not really.", takes their assumption instead.)
ANSWERED_AT_ONCE = ("yes", "no", "yeah", "nope", "partly", "mostly", "largely", "not quite", "not entirely",
                    "not always", "sometimes", "definitely", "absolutely", "of course")
# A short question right after the candidate states an assumption asks whether it holds ("I'm assuming counters are
# allowed. Is that fine?"): theirs, as when they answer a question themselves.
ASSUMING = ("i assume", "i'm assuming", "i am assuming", "i'll assume", "i will assume", "i'd assume", "assuming")
CHECK_WORDS = 4
_BACK = frozenset("it that this so right correct fair ok okay fine true".split())


def _checks(question: str) -> bool:
    """A short yes/no question that points back at what was just said ("Is it?", "Is that fine?", "Right?"); "What does
    it do?" asks about it instead."""
    words = WORD.findall(question.lower())
    yes_no = asks_yes_no(question) or len(words) == 1
    return yes_no and len(words) <= CHECK_WORDS and bool(_BACK.intersection(words))

_PARAGRAPH = re.compile(r"\n\s*")
POSED_AFTER = 2
CONTEXT_WORDS = 10  # a question this short ("What does it do?") is read with the sentence before it
_PARTS = re.compile(r",\s*(?:and|or)?\s*|;\s*|\s+\b(?:and|or)\b\s+(?=(?:what|how|which|who|when|where|why|is|are|do|"
                    r"does|can|will|would|should|any|roughly|about)\b)|\?\s*", re.IGNORECASE)
_ASKING = r"(?:what|how|which|who|when|where|why|is|are|do|does|did|can|could|will|would|should|have|has)\b"
_JOINS = re.compile(rf",?\s+and\s+(?={_ASKING})|;\s*|\?\s*", re.IGNORECASE)
_STARTS_ASKING = re.compile(_ASKING, re.IGNORECASE)


# A question that goes on after a dash with another ("Who decides what is harmful today, dash, is there a moderation
# team?"); a statement before the dash ("we would score every item in the city, dash, how long do we have?") is not an
# ask of its own.
_DASH = re.compile(rf"\s*[\u2013\u2014]\s*(?={_ASKING})|\s+--?\s+(?={_ASKING})", re.IGNORECASE)


def question_parts(text: str) -> list[str]:
    """The separate asks in a question: split at commas, semicolons and 'and' before a new question word, and at a
    dash before one where what comes before the dash asks too (`_DASH`)."""
    pieces = _DASH.split(text)
    asks = pieces if len(pieces) > 1 and all(_STARTS_ASKING.match(p.strip()) for p in pieces) else [text]
    parts = [p.strip(" ?.,") for ask in asks for p in _PARTS.split(ask)]
    return [p for p in parts if len(p.split()) >= MIN_PART_WORDS]


_HEDGE = r"^(?:(?:roughly|approximately|about|so|and|just|also|and roughly|so roughly)\s+)?"  # "roughly how many"
_OPENER = re.compile(_HEDGE + r"(?:what|which)(?:'s| is| are| was)?(?: kind of| sort of| sorts of| kinds of)?\b|"
                     + _HEDGE + r"how (?:many|much)\b", re.IGNORECASE)
_PREPOSITION = re.compile(r"\b(?:of|on|in|for|about|with|from|to|per|by|at|between|among)\b", re.IGNORECASE)
_AND = re.compile(rf"\s+and\s+(?!{_ASKING})", re.IGNORECASE)


def coordinated_parts(text: str) -> list[str]:
    """Two things asked for in one clause ("what daily volume and response time should I plan for?"): the clause up
    to 'and', and the question's opening words with what follows 'and' ("what response time should I plan for").
    Empty unless the question has one such 'and'."""
    question = text.strip(" ?.")
    pieces = _AND.split(question)
    if len(pieces) != 2:
        return []
    opener = _OPENER.match(question)
    left, right = pieces
    if opener is None or _PREPOSITION.search(left[opener.end():]):
        return []  # "how much data on plays and skips": the 'and' joins what a phrase is about, not two asks
    found = [p for p in (left, f"{opener.group(0)} {right}") if len(p.split()) >= MIN_PART_WORDS - 1]
    return found if len(found) == 2 else []


def joined_questions(text: str) -> list[str]:
    """Separate questions asked in one ("what formats do the photos come in, and who uploads them?"): parts joined by
    'and' before a question word, a semicolon or a question mark, each starting with a question word. Alternatives
    ("do they act alone, or in groups?") are one question. Empty unless there are at least two."""
    parts = [p.strip(" ?.,") for p in _JOINS.split(text)]
    found = [p for p in parts if len(p.split()) >= MIN_PART_WORDS and _STARTS_ASKING.match(p)]
    return found if len(found) > 1 else []


@dataclass(frozen=True)
class Asked:
    """One question of a message, and the statement just before it when the question is short enough to lean on it
    ("I assume there is a system today. What does it do?")."""

    question: str
    context: str = ""
    # the next sentence answers it ("Do tickets hold several issues? I'd guess they do."), or it checks the assumption
    # stated just before it (`ASSUMING`, `CHECK_WORDS`)
    self_answered: bool = False
    # a yes/no question the candidate goes on to discuss in the same paragraph ("Is a GPU needed at all? At this
    # volume a CPU pool ... ."; the next `POSED_AFTER` sentences all statements): posed to themselves, unless it asks
    # for a fact not given yet. One sentence after it is often why they ask ("Do we log returns? That decides ...").
    # Any question is posed when its paragraph holds statements too and whole paragraphs of statements, and no
    # question, follow it (thinking aloud); a paragraph of questions alone is put to the interviewer.
    posed: bool = False
    # a posed question the next sentence answers at once with a yes or a no (`ANSWERED_AT_ONCE`), or one put under a
    # label that names what it decides for (`text.lists_a_decision`: "Per payment: should it be held?"): a question of
    # their design, not for the interviewer
    their_own: bool = False
    # a statement that asks for information on the way (`requests_information`): answered when the sheet has it, and
    # with a request to state an assumption only where it asks a question of its own (`text.asks_whether`: "I'd want
    # to know whether there's an editorial team"); otherwise it may only be thinking aloud ("I'd like to understand it
    # better")
    indirect: bool = False

    @property
    def whole(self) -> str:
        return f"{self.context} {self.question}".strip()


def asked_in(message: str) -> list[Asked]:
    """The message's questions, each with its context (see `Asked`)."""
    paragraphs = [sentences(p) for p in _PARAGRAPH.split(message)]
    parts = [s for paragraph in paragraphs for s in paragraph]
    goes_on, aloud = _going_on(paragraphs)
    found = []
    for i, sentence in enumerate(parts):
        if requests_information(sentence):
            found += [Asked(part, indirect=True) for part in requested(sentence)]
            continue
        if not is_question(sentence) or asks_leave_only(sentence) or asks_to_go_on(sentence):  # asks nothing yet
            continue
        before = parts[i - 1] if i > 0 and not is_question(parts[i - 1]) else ""
        after = parts[i + 1] if i + 1 < len(parts) and not is_question(parts[i + 1]) else ""
        short = len(sentence.split()) <= CONTEXT_WORDS
        asking = without_leave_to_ask(sentence)  # "Can I ask what drives the label?" asks "what drives the label?"
        checked = (_checks(asking) and says_any(before, ASSUMING)) or checks_assumption(asking)  # "I assume so. Is it?"
        posed = i in aloud or (i in goes_on and asks_yes_no(asking))
        self_answered = starts_with_any(after, SELF_ANSWERS) or checked
        answered_at_once = asks_yes_no(asking) and starts_with_any(after, ANSWERED_AT_ONCE)
        their_own = posed and not self_answered and (lists_a_decision(asking) or answered_at_once)
        found.append(Asked(asking, before if short else "", self_answered=self_answered, posed=posed,
                           their_own=their_own))
    return found


def _going_on(paragraphs: Sequence[Sequence[str]]) -> tuple[set[int], set[int]]:
    """Positions (in the whole message) of the sentences followed by `POSED_AFTER` statements in their paragraph
    (`_goes_on`), and of those in a paragraph that mixes questions and statements and is followed by whole paragraphs
    of statements (`_statements_after`): any question of the second kind is posed."""
    goes_on: set[int] = set()
    aloud: set[int] = set()
    at = 0
    for number, paragraph in enumerate(paragraphs):
        goes_on.update(at + k for k in range(len(paragraph)) if _goes_on(paragraph, k))
        if not all(map(is_question, paragraph)) and _statements_after(paragraphs[number + 1 :]):
            aloud.update(range(at, at + len(paragraph)))
        at += len(paragraph)
    return goes_on, aloud


def _statements_after(later: Sequence[Sequence[str]]) -> bool:
    """The message goes on after a paragraph with at least one whole paragraph of `POSED_AFTER` statements and no
    question: a question left behind in an earlier paragraph was the candidate thinking aloud ("Later I'd check the
    invites are worth it: do people chat afterwards?" and then a paragraph of offline metrics)."""
    said = [s for paragraph in later for s in paragraph]
    return any(len(p) >= POSED_AFTER for p in later) and not any(map(is_question, said))


def _goes_on(paragraph: Sequence[str], at: int) -> bool:
    """The paragraph goes on with `POSED_AFTER` statements after this sentence and any questions right after it (a run
    of questions the candidate then discusses: "Per review: should it count? And per seller: are they a ring? The
    review call has to ... ")."""
    end = at + 1
    while end < len(paragraph) and is_question(paragraph[end]):
        end += 1
    after = paragraph[end : end + POSED_AFTER]
    return len(after) == POSED_AFTER and not any(map(is_question, after))


@dataclass(frozen=True)
class FactScore:
    fact: Fact
    score: float


_LIST_BREAK = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", re.IGNORECASE)
MAX_ITEM_WORDS = 6


def listed_parts(text: str) -> list[str]:
    """The things a terse question lists without asking in words ("Volume, latency target, and labels?"): it opens on
    no question word and is nothing but short noun phrases joined by commas or 'and'. Empty for any other question."""
    question = text.strip(" ?.")
    if _STARTS_ASKING.match(question) or "?" in question:
        return []
    items = [item.strip() for item in _LIST_BREAK.split(question) if item.strip()]
    if len(items) < 2 or any(len(item.split()) > MAX_ITEM_WORDS for item in items):
        return []
    return items


# What a part after a lead-in must open with to be read alone: a question word or an auxiliary, not "when" or "where",
# which as often open a clause ("One more: when a model is retrained, who signs it off?").
_ASKS_AFTER_COLON = re.compile(r"(?:what|which|who|whose|how|why|is|are|was|were|do|does|did|can|could|will|would|"
                               r"should|shall|has|have)\b", re.IGNORECASE)


_POINTS_BACK = re.compile(r"\b(?:these|those|this|it|they|them)\b", re.IGNORECASE)


def _after_lead_in(part: str) -> str:
    """A part without the lead-in before its colon ("A few things before framing: how many parts go by per minute"
    reads as its question), where what follows the colon asks and does not point back into the lead-in ("I'd like to
    know what I'm replacing: what's producing these predictions now")."""
    rest = part.rpartition(":")[2].strip()
    asks = _ASKS_AFTER_COLON.match(rest) and len(rest.split()) >= MIN_PART_WORDS and not _POINTS_BACK.search(rest)
    return rest if rest != part.strip() and asks else part


def _parts(asked: str) -> list[str]:
    """The parts of a question read apart: split at its joins, two things asked in one clause, or the items of a bare
    list."""
    split = question_parts(asked)
    parts = list(dict.fromkeys(_after_lead_in(p) for p in split if p != asked)) if len(split) > 1 else []
    for whole in (asked, *parts):
        parts += [p for p in coordinated_parts(whole) if p not in parts]
    return parts + [p for p in listed_parts(asked) if p not in parts]


def read_ahead(sentences: Sequence[str]) -> list[str]:
    """What reading these sentences embeds: each sentence, and for a question, the parts and joined questions
    `FactFinder.find` reads too (a message's sentences read while it is typed)."""
    units = [u for s in sentences if is_question(s) for u in (*_parts(s), *joined_questions(s))]
    return list(dict.fromkeys([*sentences, *units]))


class FactFinder:
    """Facts a clarifying question asks for. Without a `Similarity`, falls back to cue words (the old behaviour)."""

    def __init__(self, similarity: Similarity | None = None) -> None:
        self._similarity = similarity

    def find(self, question: Question, asked: str) -> tuple[Fact, ...]:
        if self._similarity is None or not any(f.asks for f in question.facts):
            return () if asks_verdict(asked) else lexical_facts(question, asked)
        parts, joined = _parts(asked), joined_questions(asked)
        units = list(dict.fromkeys([asked, *parts, *joined]))
        scores = dict(zip(units, self.scores(question, units), strict=True))
        unanswered = self._unanswered(question, units, scores)
        parts = [p for p in parts if p not in unanswered]
        off_sheet = asked in unanswered  # then only its parts that are not can still ask for facts
        if off_sheet and not parts:
            return ()
        chosen = {} if off_sheet else {s.fact.id: s for s in _asked_naming(asked, scores[asked], SURE, LIKELY, MARGIN)}
        verdict = asks_verdict(asked)  # "is weekly reasonable?" wants a verdict, not the nearest fact
        for part in parts:  # a verdict's parts by meaning only ("..., given friends see each other's posts": no cue)
            for best in _asked_naming(part, scores[part], PART_SURE, PART_LIKELY, PART_MARGIN) or (
                [] if verdict else _named_by_cue(question, part, scores[part])
            ):
                chosen.setdefault(best.fact.id, best)
        if chosen:
            for best in (scores[q][0] for q in joined if scores[q][0].score >= JOINED and q not in unanswered):
                chosen.setdefault(best.fact.id, best)
        elif off_sheet or verdict:
            return ()
        else:
            chosen = {s.fact.id: s for s in _backed_by_cue(question, asked, scores[asked])}
        if not chosen:
            chosen = {s.fact.id: s for s in self._last_resort(question, asked, scores[asked])}
        ranked = sorted(chosen.values(), key=lambda s: -s.score)[:MAX_FACTS]
        order = {f.id: i for i, f in enumerate(question.facts)}
        return tuple(sorted((s.fact for s in ranked), key=lambda f: order[f.id]))

    def find_asked(self, question: Question, asked: Asked, given: frozenset[str] = frozenset()) -> tuple[Fact, ...]:
        """The facts a question asks for, read alone first: the statement before a short question is only read with it
        when the question alone finds nothing ("Errors cost us returns. Is there a hardware budget?" asks about the
        budget, not the errors), or finds only facts given before (`given`) while it points back at that statement
        ("Trending is the hard part. How fast do those things move?"); with no statement before it, it points back at
        those facts' answers ("Do we know how much more?" right after hearing that lateness hurts more)."""
        alone = self.find(question, asked.question)
        if alone and refers_back(asked.question) and all(f.id in given for f in alone):
            context = asked.context or " ".join(f.answer for f in alone)
            fresh = tuple(f for f in self.find(question, f"{context} {asked.question}") if f.id not in given)
            if fresh:
                return fresh
        found = alone if alone or not asked.context else self.find(question, asked.whole)
        return tuple(
            fact for fact in found
            if not names_something_else(asked.question, fact) and not asks_how_for_a_count(asked.question, fact)
        )

    def named_again(self, question: Question, asked: str, facts: Sequence[Fact]) -> tuple[Fact, ...]:
        """Of `facts` (given before), those `asked` names on its own (`REPEAT_SURE`); all of them without a
        `Similarity`."""
        if self._similarity is None or not facts:
            return tuple(facts)
        closeness = {s.fact.id: s.score for s in self.scores(question, [asked])[0]}
        return tuple(f for f in facts if closeness.get(f.id, 0.0) >= REPEAT_SURE)

    def closest(self, question: Question, asked: str) -> str | None:
        """The answer of the fact closest in meaning to `asked`, however far (None without a `Similarity`)."""
        if self._similarity is None or not question.facts:
            return None
        return self.scores(question, [asked])[0][0].fact.answer

    def prepare(self, question: Question, asked: str) -> None:
        """Embed (and keep) the domain-neutral example questions now (the facts' shared ones and those no sheet
        answers), comparing `asked` with them: a prepared reply seldom reaches the first."""
        common = [ask for fact in question.facts for ask in fact.common_asks] + list(question.unanswered)
        if self._similarity is not None and common:
            self._similarity.similarities([asked], common)

    def _unanswered(
        self, question: Question, texts: Sequence[str], scores: dict[str, list[FactScore]]
    ) -> frozenset[str]:
        """The texts that ask for something no sheet answers: they come at least `UNANSWERED` close to the questions
        written for that (`Question.unanswered`) and no more than `UNANSWERED_LEAD` behind their closest fact, or they
        name a topic no sheet covers (`_names_topic_off_sheet`)."""
        assert self._similarity is not None
        if not question.unanswered or not texts:
            return frozenset(text for text in texts if _names_topic_off_sheet(question, text, scores[text][0]))
        matrix = self._similarity.similarities(list(texts), list(question.unanswered))
        return frozenset(
            text for text, row in zip(texts, matrix, strict=True)
            if ((off := _closest(list(row))) >= UNANSWERED and off >= scores[text][0].score - UNANSWERED_LEAD)
            or _names_topic_off_sheet(question, text, scores[text][0])
        )

    def _last_resort(self, question: Question, asked: str, ranked: Sequence[FactScore]) -> list[FactScore]:
        """For a whole question nothing matched: the closest fact in whose own words it is asked, else the
        domain-neutral examples, else the labels for a question about how the true outcome becomes known."""
        return (_backed_by_words(asked, ranked) or self._by_common_asks(question, asked)
                or _outcome_asked(question, asked, ranked))

    def _by_common_asks(self, question: Question, asked: str) -> list[FactScore]:
        """Last: the domain-neutral example questions (`Fact.common_asks`), for a whole question nothing else matched;
        kept apart so that they never pull a question away from a fact its own examples found."""
        assert self._similarity is not None
        examples = [(fact, ask) for fact in question.facts for ask in fact.common_asks]
        if not examples:
            return []
        row = self._similarity.similarities([asked], [ask for _, ask in examples])[0]
        per_fact: dict[str, list[float]] = {}
        for (fact, _), value in zip(examples, row, strict=True):
            per_fact.setdefault(fact.id, []).append(value)
        by_id = {f.id: f for f in question.facts}
        ranked = sorted((FactScore(by_id[i], _closest(v)) for i, v in per_fact.items()), key=lambda s: -s.score)
        lead = ranked[0].score - (ranked[1].score if len(ranked) > 1 else -1.0)
        return ranked[:1] if ranked[0].score >= COMMON_SURE and lead >= COMMON_MARGIN else []

    def scores(self, question: Question, texts: Sequence[str]) -> list[list[FactScore]]:
        """For each text, every fact scored by its closest example questions, best first."""
        assert self._similarity is not None
        examples = [(fact, ask) for fact in question.facts for ask in (fact.asks or (fact.answer,))]
        matrix = self._similarity.similarities(list(texts), [ask for _, ask in examples])
        result = []
        for row in matrix:
            per_fact: dict[str, list[float]] = {}
            for (fact, _), value in zip(examples, row, strict=True):
                per_fact.setdefault(fact.id, []).append(value)
            scored = [FactScore(f, _closest(per_fact[f.id])) for f in question.facts]
            result.append(sorted(scored, key=lambda s: -s.score))
        return result


def _closest(values: list[float]) -> float:
    top = sorted(values, reverse=True)[:CLOSEST]
    return sum(top) / len(top)


def _asked(ranked: Sequence[FactScore], sure: float, likely: float, margin: float) -> list[FactScore]:
    """The best fact, when it is sure, or likely and clearly ahead of the next one."""
    if not ranked:
        return []
    best = ranked[0].score
    runner_up = ranked[1].score if len(ranked) > 1 else -1.0
    return [ranked[0]] if best >= sure or (best >= likely and best - runner_up >= margin) else []


def _asked_naming(text: str, ranked: Sequence[FactScore], sure: float, likely: float, margin: float) -> list[FactScore]:
    """`_asked`; when it finds nothing for a question that names its thing (`thing_named`), the same rule among the
    facts something written for which mentions that thing ("what's the viewer count?" is closer to the video catalogue
    than to the audience size by meaning, but only the audience size mentions viewers)."""
    found = _asked(ranked, sure, likely, margin)
    named = None if found else thing_named(text)
    if named is None:
        return found
    return _asked([s for s in ranked if named in _vocabulary(s.fact)], sure, likely, margin)


def _backed_by_cue(question: Question, asked: str, ranked: Sequence[FactScore]) -> list[FactScore]:
    """When meaning alone is unsure (short, vague questions: "what's in place today?"): the closest fact by meaning,
    if the question also uses that fact's cue words (words naming the interview's own roles do not count: "what would
    a perfect candidate say?" is not about candidate posts)."""
    cued = {f.id for f in lexical_facts(question, _ROLES.sub(" ", asked))}
    return [ranked[0]] if ranked and ranked[0].fact.id in cued else []


def _named_by_cue(question: Question, part: str, ranked: Sequence[FactScore]) -> list[FactScore]:
    """A part of a few words that names a fact by its cue ("scale" in "scale and latency first"): too short to read
    by meaning, so `_backed_by_cue` decides it; a longer part likely by meaning, when it also names its closest fact
    by a cue and ahead of the next by half the usual margin ("do we have a history of promotions and prices" comes
    0.69 close to the promotions, 0.07 ahead: a hair short)."""
    if len(part.split()) > CUE_PART_WORDS and not _asked(ranked, 1.0, PART_LIKELY, PART_MARGIN / 2):
        return []
    return _backed_by_cue(question, part, ranked)


# A question about how the true outcome becomes known ("how do we find out a payment really was fraud?", "would we ever
# learn that the filter got it wrong?") asks for the sheet's labels, however far its domain words pull it towards other
# facts ("fraud" towards the fraud rate, "spam" towards what filters spam today): a verb of learning with "really",
# "actually", "ever", ... before it, or followed in the same clause by "really was", "got it wrong", "turned out", ...
# The fact is the one `knowledge/asks/_common.yaml` gives the domain-neutral questions about ground truth.
OUTCOME_FACT = "labels"
_LEARN = r"(?:find out|found out|learn|learns|learned|know|tell|discover|confirm|figure out|verify|get told|hear)"
_OUTCOME = re.compile(
    rf"\b(?:really|actually|truly|ever|eventually|later)\s+{_LEARN}\b"
    rf"|\b{_LEARN}\b[^?.;]*?\b(?:really|actually|truly|in fact|in the end|turned out|turns out|after the fact"
    r"|got it wrong|got it right|was wrong|was right|were wrong|were right|was correct|were correct)\b",
    re.IGNORECASE,
)


_QUANTITY = re.compile(
    r"\b(?:how (?:many|much|often|rare|common)|what (?:share|fraction|percentage|proportion|rate))\b", re.IGNORECASE
)


def _outcome_asked(question: Question, asked: str, ranked: Sequence[FactScore]) -> list[FactScore]:
    """Last: a question about how the true outcome becomes known (`_OUTCOME`) asks for the sheet's labels fact; not
    one asking how much or how often ("do we know what share of fraud the rules actually catch?")."""
    if not _OUTCOME.search(asked) or _QUANTITY.search(asked):
        return []
    return [s for s in ranked if s.fact.id == OUTCOME_FACT][:1]


def _backed_by_words(asked: str, ranked: Sequence[FactScore]) -> list[FactScore]:
    """The closest fact, when it is close enough and the question's content words (bar `NEW_WORDS`) all appear in what
    was written for it; words naming the interview's roles are left out, as for cue words."""
    if not ranked or ranked[0].score < WORDED:
        return []
    asked_terms = terms(_ROLES.sub(" ", asked))
    unknown = asked_terms - _vocabulary(ranked[0].fact)
    return [ranked[0]] if asked_terms and len(unknown) <= NEW_WORDS else []


# A short question naming what it asks about only by pointing back ("How fast do those move?", "Is that logged?",
# "Do we know how much more?") is about the statement before it.
_POINTING = frozenset("those these that this such".split())
_PRONOUNS = frozenset("it its they them".split())
_AUXILIARIES = frozenset("is are was were do does did will would can could should".split())  # "does that happen"
_ELLIPSIS = re.compile(r"\b(?:more|less|else)\W*$", re.IGNORECASE)
# A short lead-in (up to four words) before the question proper ("Which reminds me: what is the scale?"): the
# question is what follows it.
_LEAD_IN = re.compile(
    r"^(?:\W*\w+(?:'\w+)?){1,4}\s*(?:[:;]|\s[-\u2013\u2014]+\s)\s*(?=(?:how|what|which|who|when|where|why)\b)",
    re.IGNORECASE,
)


def refers_back(question: str) -> bool:
    """Whether a question names what it asks about only by pointing back to what came before: a pronoun, a
    demonstrative followed by no thing in particular ("those things", "that one") or right after a verb ("does that
    happen"), or a trailing "more"."""
    words = WORD.findall(question.lower())
    for at, word in enumerate(words):
        following = words[at + 1] if at + 1 < len(words) else ""
        alone = not following or following in STOPWORDS or stem(following) in _VAGUE
        if word in _PRONOUNS or (word in _POINTING and (alone or (at > 0 and words[at - 1] in _AUXILIARIES))):
            return True
    return bool(_ELLIPSIS.search(question))


def thing_named(question: str) -> str | None:
    """The (stemmed) word naming what a question opening on "which", "what" or "how many" asks for: "which languages
    are the documents in?" -> "languag"; None for other questions and where no thing follows the opener ("what would
    make this a success?")."""
    opened = _NAMING.match(_LEAD_IN.sub("", question.strip(), count=1))
    words = WORD.findall(opened.group(1).lower()) if opened else []
    if not words or words[0] in STOPWORDS or words[0] in _NOT_A_THING:
        return None
    named = (stem(w) for w in words if w not in STOPWORDS and w not in _NOT_A_THING)
    return next((word for word in named if word not in _VAGUE), None)


def _names_topic_off_sheet(question: Question, text: str, closest: FactScore) -> bool:
    """The text names something no sheet covers (`Question.unanswered_topics`: "team", "budget", "vendor", ...) that
    nothing written for its closest fact mentions, and that fact is not a sure match (`TOPIC_BELOW`)."""
    named = terms(text) & question.unanswered_topics
    return closest.score < TOPIC_BELOW and bool(named - _vocabulary(closest.fact))


# A question asking how something is done ("how do we get new models onto the devices?") opens on "how" and a verb
# of doing or being, not on a quantity ("how many", "how fast", "how long").
_MANNER = re.compile(
    r"^(?:\W*\w+(?:'\w+)?\W+){0,3}?how (?:do|does|did|would|will|can|could|should|is|are|was|were)\b", re.IGNORECASE
)
_LETTERS = re.compile(r"[a-z]+", re.IGNORECASE)
BARE_QUANTITY_WORDS = 4  # "40 million speakers.", "A decision within 150 ms."


def asks_how_for_a_count(question: str, fact: Fact) -> bool:
    """The question asks how something is done, and the fact is a bare quantity (a number and at most
    `BARE_QUANTITY_WORDS` words): a count is no answer to it, however close in meaning ("how do model updates reach the
    devices?" sits near "how many devices would an update go to?")."""
    bare = any(ch.isdigit() for ch in fact.answer) and len(_LETTERS.findall(fact.answer)) <= BARE_QUANTITY_WORDS
    return bare and bool(_MANNER.search(question))


def names_something_else(question: str, fact: Fact) -> bool:
    """Whether every ask in the question names a thing (`thing_named`) that nothing written for the fact mentions."""
    asks = dict.fromkeys(
        [question, *question_parts(question), *coordinated_parts(question), *joined_questions(question)]
    )
    named = [thing_named(ask) for ask in asks]
    return all(word is not None and not _mentions(fact, word) for word in named)


# A word and one written for a fact that open on the same letters, this many or more, are one word in two forms
# ("availability" and "available", "responsiveness" and "response"); shorter words must match whole. The six-letter
# match added no fact on evals/own and one on the blind single questions.
SHARED_STEM = 6


def _mentions(fact: Fact, word: str) -> bool:
    """Whether anything written for the fact says `word`, in this form or another opening on the same `SHARED_STEM`
    letters."""
    vocabulary = _vocabulary(fact)
    if word in vocabulary:
        return True
    return len(word) >= SHARED_STEM and any(known[:SHARED_STEM] == word[:SHARED_STEM] for known in vocabulary)


@lru_cache(maxsize=1024)
def _vocabulary(fact: Fact) -> frozenset[str]:
    """Every content word written for a fact: its answer, cue words and example questions."""
    return frozenset().union(terms(fact.answer), *(terms(cue) for cue in fact.cues), *(terms(ask) for ask in fact.asks))


def lexical_facts(question: Question, asked: str) -> tuple[Fact, ...]:
    """The most specific cue match, ties kept in sheet order (the matcher used before facts had example questions)."""
    asked_terms = terms(asked)
    sizes = [(best_cue_size(asked_terms, f.cues), f) for f in question.facts]
    best = max((size for size, _ in sizes), default=0)
    return tuple(f for size, f in sizes if size and size == best)


# A figure as said ("10 MB", "500 ms", "1.5 million", "4%"): one of two digits or more, or with a decimal point, and
# the word right after it (its unit). A single digit ("2 stages") is too common to point at a fact.
_FIGURE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(%|[a-z]+)?", re.IGNORECASE)


def _figures(text: str) -> dict[str, str]:
    """The figures of a text, without thousands commas, each with its unit word ("" when none)."""
    found = {}
    for number, unit in _FIGURE.findall(text):
        value = number.replace(",", "").rstrip(".")
        if len(value.replace(".", "")) >= 2 or "." in value:
            found[value] = (unit or "").lower()
    return found


def cited_fact(asked: str, given: Sequence[Fact]) -> Fact | None:
    """The fact given before whose figure the question cites ("Does the 10 MB hold every language pack?" after "at most
    10 MB of storage"): the candidate has it and asks about it; None when no figure, or more than one fact, is cited."""
    cited = _figures(asked)
    facts = [f for f in given if cited.keys() & _figures(f.answer).keys()]
    return facts[0] if len(facts) == 1 else None


def says_more(fact: Fact, asked: str) -> bool:
    """The fact's answer speaks to what the question asks beyond the figure it cites: they share a word other than
    the figures and their units ("Was the 20 ms per keystroke or per word?" and "within 20 ms of each keystroke")."""
    figures = _figures(asked)
    cited = set(figures) | {stem(unit) for unit in figures.values() if unit}
    return bool((terms(asked) - cited) & (terms(fact.answer) - set(_figures(fact.answer))))
