"""Independent oracles for the interviewer evals: plain text tests written for the evals alone.

Nothing here calls the policy, the judge or the reply guard (`find_facts`, `stated_choices`, `check_sentence`...):
an eval that asked the code under test whether it behaved would pass by construction. Each test is deliberately
simple, so that what it accepts can be read off the code:

- a fact counts as given when every number of its answer and most of its content words are in the reply: more than
  two thirds, the lowest share at which no fact on any sheet is found in another fact's answer (a test checks it);
- a question is a sentence ending in "?";
- an assumption is asked for when the reply uses the word (assume, assumption, assuming);
- a design choice is one of `DESIGN_CHOICES`' terms, stated and not rejected ("rather than X" does not count);
- a probe of a choice is a question in the reply that asks why / at what cost, or takes up the candidate's words;
- answering for the candidate is a declarative sentence that recommends a design (`_ANSWERING`);
- a leak is an expected point or red-flag explanation repeated (case-insensitively), or a declarative sentence that
  means an expected point (embedding similarity at or above a threshold chosen on written examples).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from interviewer.domain import ExpectedPoint, Fact, Question, Similarity

_WORD = re.compile(r"[a-z][a-z'-]*")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_STOP = frozenset(
    "a an the of to in on at by for from with and or but nor is are was were be been being it its this that these "
    "those as we you they he she i our your their my me us them can could would should will may might must do does "
    "did has have had not no so if then than there here about into over per each any some all most more very just "
    "only also up out what which who whom how when where why".split()
)


def words(text: str) -> set[str]:
    """Lower-case content words with a plural 's' dropped: 'Reviews' and 'review' are the same word."""
    found = set()
    for raw in _WORD.findall(text.lower()):
        word = raw.strip("'-")
        if len(word) < 3 or word in _STOP:
            continue
        found.add(word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word)
    return found


def numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def fact_given(answer: str, reply: str) -> bool:
    """Every number of the fact's answer, and more than two thirds of its content words, appear in the reply."""
    if not numbers(answer) <= numbers(reply):
        return False
    needed = words(answer)
    if not needed:
        return bool(numbers(answer))
    return 3 * len(needed & words(reply)) > 2 * len(needed)


def facts_given(facts: Iterable[Fact], reply: str) -> tuple[str, ...]:
    return tuple(f.id for f in facts if fact_given(f.answer, reply))


def questions_in(text: str) -> list[str]:
    return [s for s in sentences(text) if s.endswith("?")]


# In the blind set's interviews, a question the candidate follows with two statements or more in the same paragraph
# ("Is ML needed? The rules are a fair baseline. But ...") is one they put to themselves: the interviewers who wrote
# them answered 1 of 11 (that one with a fact about something else).
POSED_AFTER = 2


# A question about how to go on, not about the scenario: "Shall we move on to serving?", "Want me to go deeper?"
_ABOUT_GOING_ON = re.compile(
    r"^(?:\w+,?\s+)?(?:(?:shall|should)\s+(?:i|we)|(?:do|would)\s+you\s+(?:want|like)\s+me\s+to|want\s+me\s+to)\s+"
    r"(?:\w+\s+)?(?:go|move|dive|jump|turn|talk|walk|continue|proceed)\b",
    re.IGNORECASE,
)


# Likewise a question asked among statements in a paragraph that whole paragraphs of statements (two or more, and no
# question) follow: the blind set's interviewers answered none of the 7 such questions.
def questions_put(text: str) -> list[str]:
    """The questions put to the interviewer: those not followed by `POSED_AFTER` statements in their paragraph, and not
    in a paragraph of statements that later paragraphs of statements follow; a question about how to go on with the
    interview asks for nothing about the scenario."""
    paragraphs = [sentences(p) for p in text.split("\n") if p.strip()]
    put = []
    for number, said in enumerate(paragraphs):
        if _thinking_aloud(said, paragraphs[number + 1 :]):
            continue
        put += [s for i, s in enumerate(said) if s.endswith("?") and not _discussed(_after_the_run(said, i))
                and not _ABOUT_GOING_ON.match(s)]
    return put


def _thinking_aloud(paragraph: Sequence[str], later: Sequence[Sequence[str]]) -> bool:
    mixed = any(s.endswith("?") for s in paragraph) and not all(s.endswith("?") for s in paragraph)
    later_said = [s for p in later for s in p]
    return mixed and any(len(p) >= POSED_AFTER for p in later) and not any(s.endswith("?") for s in later_said)


def _after_the_run(said: Sequence[str], at: int) -> Sequence[str]:
    """The `POSED_AFTER` sentences after the run of questions that the one `at` belongs to: a list of questions the
    candidate then discusses ("Two decisions. Per review: should it count? Per seller: are they a ring? The first must
    be fast. The second can wait.") is theirs, each of them, as a single one so discussed is."""
    end = at + 1
    while end < len(said) and said[end].endswith("?"):
        end += 1
    return said[end : end + POSED_AFTER]


def _discussed(following: Sequence[str]) -> bool:
    return len(following) == POSED_AFTER and not any(s.endswith("?") for s in following)


def statements_in(text: str) -> list[str]:
    return [s for s in sentences(text) if not s.endswith("?")]


_ASSUMPTION = re.compile(r"\bassum(?:e|es|ed|ing|ption|ptions)\b", re.IGNORECASE)


def asks_for_assumption(reply: str) -> bool:
    return bool(_ASSUMPTION.search(reply))


# Common ML design choices a candidate may state, by family. Written for the eval, independently of the policy's
# probe book: an interviewer is expected to ask about any of them, not only about the ones it has a line for.
DESIGN_CHOICES: dict[str, tuple[str, ...]] = {
    "tree_ensemble": ("gradient boosted", "gradient boosting", "gbdt", "gbm", "xgboost", "lightgbm", "catboost",
                      "random forest", "boosted trees", "lambdamart"),
    "linear": ("logistic regression", "linear model", "linear regression", "naive bayes"),
    "neural": ("neural network", "neural net", "deep learning", "transformer", "bert", "lstm", "rnn", "cnn",
               "convolutional", "deep model", "mlp"),
    "two_tower": ("two-tower", "two tower", "dual encoder", "bi-encoder"),
    "factorisation": ("matrix factorization", "matrix factorisation", "collaborative filtering"),
    "nearest_neighbour": ("nearest neighbor", "nearest neighbour", "faiss", "hnsw", "ann index", "vector index"),
    "graph_model": ("graph neural", "gnn", "label propagation", "community detection"),
    "rules": ("rule-based", "rules engine", "heuristic", "heuristics"),
    "streaming": ("kafka", "flink", "stream processing", "streaming pipeline"),
    "batch": ("batch job", "nightly job", "precompute", "precomputed", "batch inference", "batch scoring"),
    "feature_store": ("feature store",),
    "cache": ("cache", "caching", "cached"),
    "sampling": ("downsample", "downsampling", "negative sampling", "oversample", "oversampling", "smote"),
    "distillation": ("distill", "distillation", "distilled", "quantize", "quantization", "quantise", "pruning"),
    "bandit": ("bandit", "thompson sampling", "epsilon-greedy"),
    "ensemble": ("ensemble", "stacking"),
    "fine_tuning": ("fine-tune", "fine tune", "fine-tuning", "fine tuning", "pretrained", "pre-trained"),
}
_REJECTING = re.compile(r"\b(?:not|no|never|without|avoid|instead of|rather than|over|skip|against)\s+(?:\w+\s+){0,2}$")
# Right after the term: the candidate plays it down ("caching is less useful here", "AUC only as a sanity check").
_PLAYED_DOWN = re.compile(
    r"^\W*(?:\w+\s+){0,2}?(?:less useful|of little use|little value|(?:only\s+)?as an? (?:secondary|sanity))\b"
)


def named_choices(statement: str) -> set[str]:
    """The families of design choices a statement names and does not reject (nor play down anywhere in the sentence)."""
    found = set()
    for sentence in statements_in(statement):
        lowered = sentence.lower()
        for family, terms in DESIGN_CHOICES.items():
            matches = [m for term in terms for m in re.finditer(rf"(?<![a-z]){re.escape(term)}(?![a-z])", lowered)]
            if any(_PLAYED_DOWN.search(lowered[m.end():]) for m in matches):
                continue
            if any(not _REJECTING.search(lowered[: m.start()]) for m in matches):
                found.add(family)
    return found


# A reason or a weighing in the sentence that names a choice ("boosted trees, because the features are tabular", "a
# cache rather than recomputing", "it costs moderator time, but ..."): the candidate has said why already.
_EXPLAINED = re.compile(
    r"\b(?:because|since|so that|rather than|instead of|trade-?offs?|cheaper|simpler|easier|costs?|worth|unless|"
    r"to avoid|otherwise|but)\b",
    re.IGNORECASE,
)


def explained_choices(statement: str) -> set[str]:
    """The families of design choices named (`named_choices`) in a sentence that also gives a reason or weighs them:
    a question about why or at what cost asks again for what the candidate just said."""
    return {family for sentence in statements_in(statement) if _EXPLAINED.search(sentence)
            for family in named_choices(sentence)}


_TRADE_OFF = re.compile(
    r"\b(?:why|trade-?offs?|instead|rather|versus|vs|over|alternatives?|compared?|cost|costs|give up|buy|worth|"
    r"risk|downside|outgrow|stale|fresh|fail|break|when would|what if|what happens)\b",
    re.IGNORECASE,
)
_GENERIC = frozenset("model models would using use think data system approach first then because something".split())
STEM = 5  # words that share their first five letters are taken as the same word: cache, cached, caching


def _stems(text: str) -> set[str]:
    return {w[:STEM] for w in words(text) if len(w) >= 4 and w not in _GENERIC}


_POINTS_BACK = re.compile(r"\b(?:that|this|it|those|these)\b", re.IGNORECASE)


def asked_about(text: str) -> list[str]:
    """The reply's questions, each with what it is about: a question that points back ("What would have to be true
    for that to pay off?") is read with the sentence before it when that sentence quotes the candidate."""
    parts = sentences(text)
    return [f"{parts[i - 1]} {q}" if i and '"' in parts[i - 1] and _POINTS_BACK.search(q) else q
            for i, q in enumerate(parts) if q.endswith("?")]


def probes_choice(reply: str, statement: str, families: Iterable[str] = ()) -> bool:
    """A question in the reply that asks for a reason or a cost, or takes up the choice or the candidate's words."""
    named = _stems(" ".join(term for family in families for term in DESIGN_CHOICES.get(family, ())))
    said = named | {stem for stem in _stems(statement) if len(stem) == STEM}
    return any(_TRADE_OFF.search(q) or _stems(q) & said for q in asked_about(reply))


# A statement that asks for information on the way ("I'm curious what runs today", "I'd want to understand the scale,
# the latency and the current system first"), or a list announced as questions ("Some questions first: traffic,
# latency budget, what exists"): the blind set's interviewers answered such requests.
_REQUEST_FOR_INFORMATION = re.compile(r"\b(?:want|like|need|love) to (?:understand|know|find out)\b|\bcurious\b|"
                                      r"\bwonder(?:ing)?\b|\bquestions\b[^:.]{0,24}:", re.IGNORECASE)


def requests_in(text: str) -> list[str]:
    """Statements (no question mark) that ask for information."""
    return [s for s in sentences(text) if not s.endswith("?") and _REQUEST_FOR_INFORMATION.search(s)]


def asks_in(message: str) -> int:
    """How many things a message asks for: each question, and each statement asking for information, counts its
    comma-, dash- or and-separated parts."""
    asking = questions_in(message) + requests_in(message)
    return sum(max(1, len([p for p in re.split(r",|;|\s[-\u2013\u2014]+\s|\band\b|\bor\b", q) if p.strip(" ?.")]))
               for q in asking)


_ANSWERING = re.compile(
    r"\b(?:you|we|i)\s*(?:should|could|would|'d|might want to|need to|ought to|will want to|'ll want to)\s+"
    r"(?:probably\s+|just\s+|simply\s+)?(?:use|build|train|pick|choose|go with|start with|deploy|try|frame|treat|"
    r"split|serve|apply|combine|model it|optimi[sz]e for|fine-tune)\b"
    r"|^(?:just\s+)?(?:use|try|pick|choose|train|build|deploy|go with|start with|apply|combine|split|frame|treat)\s+"
    r"|\b(?:the|a)\s+(?:best|right|correct|standard|usual|ideal|expected)\s+(?:approach|answer|way|choice|model|design|"
    r"solution|metric)\s+(?:is|would be|here is)\b"
    r"|\bi\s+(?:recommend|suggest|would recommend|would suggest)\b|\bmy recommendation\b|\bwhat you want is\b",
    re.IGNORECASE,
)


_REQUEST = re.compile(r"^(?:tell|walk|give|explain|describe|say|show|sketch|talk|take)\b", re.IGNORECASE)


def answering_sentences(reply: str) -> list[str]:
    """Declarative sentences that recommend a design: what the candidate should have worked out. A request to the
    candidate ("Tell me the number you would use") is not one."""
    return [s for s in statements_in(reply) if _ANSWERING.search(s) and not _REQUEST.search(s)]


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9%/ ]+", " ", text.lower()).split())


# The lowest similarity at which a declarative reply sentence counts as restating an expected point: just above the
# most similar non-leaking line among evals/leak_examples.jsonl and the knowledge's own probes (tests/test_behaviour.py
# derives it again with `leak_threshold`).
LEAK_THRESHOLD = 0.57
MIN_LEAK_WORDS = 5


@dataclass(frozen=True)
class LeakFinder:
    """Verbatim (any case) leaks of hidden material, and paraphrased statements of expected points."""

    similarity: Similarity
    threshold: float = LEAK_THRESHOLD

    def leaks(self, question: Question, reply: str) -> list[str]:
        """One line per leak found: every hidden text repeated, every sentence that restates a point."""
        found = [f"repeats {h.kind} {h.text!r}" for h in question.hidden() if _normal(h.text) in _normal(reply)]
        found += [
            f"restates point {point.id} ({score:.2f}): {sentence!r}"
            for sentence, point, score in self.closest_points(question, reply)
            if score >= self.threshold
        ]
        return found

    def closest_points(self, question: Question, reply: str) -> list[tuple[str, ExpectedPoint, float]]:
        """Each declarative sentence that could leak, with the expected point it is most similar to."""
        candidates = [s for s in statements_in(reply) if self._checkable(question, s)]
        if not candidates or not question.expected:
            return []
        scores = self.similarity.similarities(candidates, [p.summary for p in question.expected])
        closest = []
        for sentence, row in zip(candidates, scores, strict=True):
            best = max(range(len(row)), key=row.__getitem__)
            closest.append((sentence, question.expected[best], row[best]))
        return closest

    @staticmethod
    def _checkable(question: Question, sentence: str) -> bool:
        """Long enough to state something, and not the sheet's own material (a fact or a curveball)."""
        if len(sentence.split()) < MIN_LEAK_WORDS:
            return False
        said = _normal(sentence)
        curveballs = [_normal(part) for c in question.curveballs for part in sentences(c.prompt)]
        if any(part and (part in said or said in part) for part in curveballs):
            return False
        return not is_fact(question, sentence)


def is_fact(question: Question, sentence: str) -> bool:
    return any(fact_given(f.answer, sentence) for f in question.facts)


def leak_threshold(leak_scores: Sequence[float], clean_scores: Sequence[float]) -> tuple[float, float]:
    """(threshold, share of leaks caught): the lowest two-decimal value above every clean line's similarity."""
    threshold = (int(max(clean_scores, default=0.0) * 100) + 1) / 100
    caught = sum(score >= threshold for score in leak_scores) / len(leak_scores) if leak_scores else 0.0
    return threshold, round(caught, 3)
