"""Reading a conversation by meaning: which stage each candidate sentence is about, and which expected points it states.

Pure: texts are compared through the `Similarity` protocol. An expected point is represented by its summary and by
sentences written for it (`ExpectedPoint.says`, in `knowledge/says/`); a stage by what the interviewer asks there
(opener, hints, probes) and by what candidates say there (its points' phrasings). A candidate sentence belongs to
the stage of the points it states, wherever in the conversation it was said; otherwise to the stage its content is
clearly about; otherwise to the stage the interviewer was asking about when it was said, unless its content is closer
to another stage (a candidate who answers "what problem are we solving?" with a model architecture is talking about
the design, not the problem).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from interviewer.domain import STAGES, ExpectedPoint, Flow, Question, Similarity, Stage, Transcript, TurnKind
from interviewer.text import is_question, matches_any, sentences, terms

POINT_THRESHOLD = 0.62  # similarity to a point's closest phrasing at which a sentence states it
POINT_LIKELY = 0.5  # ... or this much, when the point is clearly the sentence's closest one (by POINT_MARGIN)
POINT_MARGIN = 0.04
POINT_SPREAD = 0.1  # a sentence states a second point only when it is about as close to it as to its closest one
POINT_LEXICAL_THRESHOLD = 0.45  # a cue-word match also needs this much similarity (cue words alone are noisy)
# A point's follow-up question is asked about a sentence only when at least this similar to it: 90 % of the points'
# own phrasings (knowledge/says) are, against 65 % of other points' phrasings in the same question.
FOLLOW_UP_FIT = 0.15
STAGE_THRESHOLD = 0.5  # similarity at which a sentence is taken to be about a stage by its content
STAGE_MARGIN = 0.05
# A sentence that states no point and is not clearly about one stage stays with the stage being asked about unless its
# content is closer to another stage by this much. Chosen on evals/own/transcripts against 0, 0.03, 0.05 and 0.08
# (pooled kappa, refitted each time: 0.711 / 0.727 with the asked stage always kept and sentences said before any
# stage was asked left out, as before; 0.722 / 0.732 at 0.015; 0.717-0.719 for the others).
ASKED_MARGIN = 0.015
ASKED_THRESHOLD = 0.45  # similarity at which an interviewer's question is about a stage
# A point's follow-up (`ExpectedPoint.deeper`) is answered already when one of the candidate's sentences comes at least
# BEYOND_FLOOR close to one of the ways of answering it written for it (`beyond`, knowledge/beyond) and nearer to them
# by BEYOND_MARGIN than to every way of only stating a point of the question (`says`). On the same topic, a sentence
# that answers the follow-up and one that only states the point read alike; what tells them apart is which set it is
# nearer. Chosen on what we wrote, each sentence compared with the others (5 answers and 5-6 statements per point, 420
# points): 48 % of the answers found; 10 % of the point's own statements and 1.1 % of other points' statements taken
# for answers. Against the point's own statements alone, other points' were taken 9.5-13 % of the time (a message of
# six sentences would then lose its follow-up every other time); a margin of 0.05: 32 %, 5 % and 0.4 %.
BEYOND_FLOOR, BEYOND_MARGIN = 0.45, 0.0
# A question comes this close to one asked before (in other words) only when it nearly restates it: closer than 95 % of
# the pairs of distinct questions written for the same problem (the points' probes and follow-ups in
# knowledge/questions, 0.517). Round 62: the one point follow-up raters marked as asked again came 0.57 close to one
# asked six replies before; the four others 0.13-0.35.
ASKED_ALREADY = 0.52
MIN_WORDS = 4  # shorter sentences ("Sure.", "Makes sense.") are not evidence


@dataclass(frozen=True)
class Said:
    """One candidate sentence and what it was read as."""

    text: str
    message: int  # which candidate message (0-based)
    asked: Stage | None  # the stage the interviewer was asking about when it was said
    stages: tuple[Stage, ...]  # the stages it counts for, the one it is most about first
    points: tuple[str, ...] = ()  # expected points it states, the closest first
    clear: bool = False  # it states a point, or its content is clearly about its stage (not a best guess)


@dataclass(frozen=True)
class Reading:
    said: tuple[Said, ...]
    asked: frozenset[Stage]  # stages the interviewer asked about
    messages: int = 0
    asked_at: tuple[Stage | None, ...] = ()  # per candidate message, the stage the interviewer was asking about
    interviewer_lines: tuple[str, ...] = field(default=())

    def about(self, stage: Stage) -> list[Said]:
        return [s for s in self.said if stage in s.stages]

    def points_stated(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for s in self.said:
            for point in s.points:
                found.setdefault(point, []).append(s.text)
        return found


PREPARE_QUESTION = "Roughly how much traffic should I plan for?"


def prepare_message(question: Question) -> str:
    """A message that reads like a candidate's: one on-topic statement and one clarifying question. Reading it
    embeds every reference text the interviewer and the judge compare a candidate's words with."""
    statement = f"{question.expected[0].summary}." if question.expected else ""
    return f"{statement} {PREPARE_QUESTION}".strip()


def _stage_asks(flow: Flow, question: Question | None, stage: Stage) -> list[str]:
    guide = flow.guide(stage)
    return [guide.opener, *guide.hints, *[p.probe for p in guide.generic_points]]


def _stage_says(flow: Flow, question: Question | None, stage: Stage) -> list[str]:
    points = [*flow.guide(stage).generic_points, *(question.points_for(stage) if question else ())]
    return [text for p in points for text in (p.summary, *p.says)]


class Reader:
    """Reads transcripts for one flow; without a `Similarity` only cue words are used."""

    def __init__(self, flow: Flow, similarity: Similarity | None = None) -> None:
        self._flow = flow
        self._similarity = similarity

    def asks_again(self, question: str, asked: Sequence[str]) -> bool:
        """Whether `question` comes `ASKED_ALREADY` close to one of the questions `asked` before (False without a
        `Similarity`)."""
        if self._similarity is None or not asked:
            return False
        return max(self._similarity.similarities([question], list(asked))[0]) >= ASKED_ALREADY

    def keep(self, targets: Sequence[str]) -> None:
        """Embed reference texts the replies compare with (and keep them), ahead of the turn that first needs them."""
        if self._similarity is not None and targets:
            self._similarity.similarities([], list(dict.fromkeys(targets)))

    def read(
        self, transcript: Transcript, question: Question | None, candidate_sentences: Sequence[tuple[int, str]]
    ) -> Reading:
        """`candidate_sentences`: (message index, sentence) of what counts as the candidate's statements."""
        asked_by_message, asked_any = self._asked_stages(transcript, question)
        texts = [text for _, text in candidate_sentences]
        points = self.points(question, texts) if question else [() for _ in texts]
        content = self._content_stages(question, texts)
        said = []
        for (message, text), stated, closeness in zip(candidate_sentences, points, content, strict=True):
            asked = asked_by_message[message] if message < len(asked_by_message) else None
            stages = _stages_of(question, stated, stage_by_content(closeness, asked))
            clear = bool(stated) or _clearly(closeness, STAGE_THRESHOLD, STAGE_MARGIN) is not None
            said.append(Said(text, message, asked, stages, stated, clear))
        return Reading(tuple(said), asked_any, len(asked_by_message), asked_at=tuple(asked_by_message))

    def points(self, question: Question, texts: Sequence[str], likely: bool = False) -> list[tuple[str, ...]]:
        """For each text, the expected points it states, the closest first (by meaning, or by a cue word backed by
        meaning; without a `Similarity`, in the question's order); `likely`
        also counts a point that is clearly the closest one at a lower similarity (for what was covered, not for
        which stage a sentence belongs to)."""
        expected = list(question.expected)
        if not texts or not expected:
            return [() for _ in texts]
        if self._similarity is None:
            return [tuple(p.id for p in expected if matches_any(terms(t), p.cues)) for t in texts]
        targets = [(p, phrase) for p in expected for phrase in (p.summary, *p.says)]
        matrix = self._similarity.similarities(list(texts), [phrase for _, phrase in targets])
        found = []
        for text, row in zip(texts, matrix, strict=True):
            best = _best_per_point(targets, row)
            ranked = sorted(best.values(), reverse=True)
            clear = ranked[0] if likely and (len(ranked) < 2 or ranked[0] - ranked[1] >= POINT_MARGIN) else 2.0
            text_terms = terms(text)
            stated = [
                p.id for p in expected
                if best[p.id] >= ranked[0] - POINT_SPREAD
                and (best[p.id] >= POINT_THRESHOLD
                     or (best[p.id] >= POINT_LIKELY and best[p.id] == clear)
                     or (best[p.id] >= POINT_LEXICAL_THRESHOLD and matches_any(text_terms, p.cues)))
            ]
            found.append(tuple(sorted(stated, key=lambda point: -best[point])))
        return found

    def point_to_follow_up(self, question: Question, text: str) -> ExpectedPoint | None:
        """The expected point whose follow-up (`ExpectedPoint.deeper`) suits this text: its closest point when clearly
        close (POINT_LIKELY) and that point's follow-up is about what the text says (FOLLOW_UP_FIT), else None (a
        follow-up on a point read from loose words, or on another side of the point, asks about something not said);
        without a `Similarity`, the first point whose cue words it says."""
        if self._similarity is None:
            return next((p for p in question.expected if matches_any(terms(text), p.cues)), None)
        points = [p for p in question.expected if p.deeper]
        if not points:
            return None
        nearness = self.closeness(points, [text])
        fits = dict(zip([p.id for p in points], self._similarity.similarities([text], [p.deeper for p in points])[0],
                        strict=True))  # every follow-up at once: one batch of reference texts, embedded and kept once
        closest = max(points, key=lambda p: nearness[p.id])
        return closest if nearness[closest.id] >= POINT_LIKELY and fits[closest.id] >= FOLLOW_UP_FIT else None

    def answered(
        self, beyond: Sequence[str], stating: Sequence[str], texts: Sequence[str], margin: float = BEYOND_MARGIN
    ) -> bool:
        """Whether any of these candidate sentences already answers a follow-up: it comes `BEYOND_FLOOR` close to one
        of the ways of answering it (`beyond`), and nearer to them by `margin` than to every way of only stating
        something (`stating`). False without a `Similarity` or either side."""
        said = [t for t in texts if len(t.split()) >= MIN_WORDS]
        if self._similarity is None or not beyond or not said:
            return False
        matrix = self._similarity.similarities(said, [*beyond, *stating])
        return any(
            max(row[: len(beyond)]) >= BEYOND_FLOOR
            and max(row[: len(beyond)]) - max(row[len(beyond) :], default=-1.0) >= margin
            for row in matrix
        )

    def closeness(self, points: Sequence[ExpectedPoint], texts: Sequence[str]) -> dict[str, float]:
        """How near each point comes to anything in `texts` (its highest similarity to any of them, by any of its
        phrasings): a topic the candidate touched, rightly or not, comes near; one never talked about stays far. Every
        point is 0 without a `Similarity` or texts."""
        if self._similarity is None or not texts or not points:
            return {p.id: 0.0 for p in points}
        targets = [(p, phrase) for p in points for phrase in (p.summary, *p.says)]
        matrix = self._similarity.similarities(list(texts), [phrase for _, phrase in targets])
        nearest = {p.id: -1.0 for p in points}
        for row in matrix:
            for point_id, value in _best_per_point(targets, row).items():
                nearest[point_id] = max(nearest[point_id], value)
        return nearest

    def _content_stages(self, question: Question | None, texts: Sequence[str]) -> list[dict[Stage, float]]:
        """Per text: how close it comes to what is said in each stage (empty without a `Similarity`)."""
        if self._similarity is None or not texts:
            return [{} for _ in texts]
        targets = [(stage, text) for stage in STAGES for text in _stage_says(self._flow, question, stage)]
        matrix = self._similarity.similarities(list(texts), [text for _, text in targets])
        return [_best_per_stage(targets, row) for row in matrix]

    def clear_stages(self, question: Question | None, texts: Sequence[str]) -> list[Stage | None]:
        """For each text, the stage its content is clearly about (None when no stage clearly leads, or without a
        `Similarity`)."""
        if self._similarity is None or not texts:
            return [None for _ in texts]
        content = self._content_stages(question, texts)
        return [_clearly(closeness, STAGE_THRESHOLD, STAGE_MARGIN) for closeness in content]

    def _asked_stages(
        self, transcript: Transcript, question: Question | None
    ) -> tuple[list[Stage | None], frozenset[Stage]]:
        """For each candidate message, the stage the interviewer was on when it was sent; and every stage asked before
        the candidate's last message (a question in a reply after it, never taken up, did not reach its stage)."""
        tagged = any(t.stage is not None for t in transcript.turns)
        current: Stage | None = None
        asked: list[Stage | None] = []
        prompts = [t for t in transcript.turns if t.role == "interviewer" and t.kind is not TurnKind.NOTICE]
        by_prompt = {} if tagged else self._classify_prompts(question, [t.content for t in prompts])
        for turn in transcript.turns:
            if turn.role == "interviewer" and turn.kind is not TurnKind.NOTICE:
                current = turn.stage if tagged else by_prompt.get(turn.content, current)
            elif turn.role == "candidate" and turn.kind is TurnKind.MESSAGE:
                asked.append(current)
        last = max((i for i, t in enumerate(transcript.turns) if t.role == "candidate"), default=-1)
        taken_up = [t for t in transcript.turns[:last] if t.role == "interviewer" and t.kind is not TurnKind.NOTICE]
        every = {t.stage if tagged else by_prompt.get(t.content) for t in taken_up}
        return asked, frozenset(s for s in every if s is not None)

    def _classify_prompts(self, question: Question | None, prompts: Sequence[str]) -> dict[str, Stage]:
        """An interviewer turn is about the stage its questions are closest to (or whose cue words they use)."""
        questions = [[s for s in sentences(p) if is_question(s)] for p in prompts]
        found: dict[str, Stage] = {}
        if self._similarity is None:
            for prompt, asked in zip(prompts, questions, strict=True):
                stage = next((st for st in STAGES for q in asked if matches_any(terms(q), self._flow.guide(st).cues)),
                             None)
                if stage is not None:
                    found[prompt] = stage
            return found
        flat = [(prompt, q) for prompt, asked in zip(prompts, questions, strict=True) for q in asked]
        if not flat:
            return found
        targets = [(stage, text) for stage in STAGES for text in _stage_asks(self._flow, question, stage)]
        matrix = self._similarity.similarities([q for _, q in flat], [text for _, text in targets])
        for (prompt, _), row in zip(flat, matrix, strict=True):
            stage = _clear_best(targets, row, ASKED_THRESHOLD)
            if stage is not None:
                found[prompt] = stage  # the last question of a turn decides where the conversation goes
        return found


def _best_per_point(targets: Sequence[tuple[ExpectedPoint, str]], row: Sequence[float]) -> dict[str, float]:
    best: dict[str, float] = {}
    for (point, _), value in zip(targets, row, strict=True):
        best[point.id] = max(value, best.get(point.id, -1.0))
    return best


def _best_per_stage(targets: Sequence[tuple[Stage, str]], row: Sequence[float]) -> dict[Stage, float]:
    best: dict[Stage, float] = {}
    for (stage, _), value in zip(targets, row, strict=True):
        best[stage] = max(value, best.get(stage, -1.0))
    return best


def stage_by_content(closeness: Mapping[Stage, float], asked: Stage | None) -> Stage | None:
    """The stage a sentence that states no point counts for: the one its content is clearly about; else the one asked
    about, unless another is closer by `ASKED_MARGIN`; else (nothing asked) its closest one."""
    clear = _clearly(closeness, STAGE_THRESHOLD, STAGE_MARGIN)
    if clear is not None or not closeness:
        return clear or asked
    closest = max(closeness, key=lambda stage: closeness[stage])
    if asked is None or closeness[closest] - closeness.get(asked, -1.0) >= ASKED_MARGIN:
        return closest
    return asked


def _clear_best(
    targets: Sequence[tuple[Stage, str]], row: Sequence[float], threshold: float, margin: float = STAGE_MARGIN
) -> Stage | None:
    return _clearly(_best_per_stage(targets, row), threshold, margin)


def _clearly(best: Mapping[Stage, float], threshold: float, margin: float) -> Stage | None:
    ranked = sorted(best.items(), key=lambda kv: -kv[1])
    if not ranked:
        return None
    if ranked[0][1] < threshold or (len(ranked) > 1 and ranked[0][1] - ranked[1][1] < margin):
        return None
    return ranked[0][0]


def _stages_of(question: Question | None, points: Sequence[str], otherwise: Stage | None) -> tuple[Stage, ...]:
    """The stages of the points a sentence states, that of its closest point first; else `otherwise`."""
    if points and question is not None:
        stage_of = {p.id: p.stage for p in question.expected}
        return tuple(dict.fromkeys(stage_of[point] for point in points))
    return (otherwise,) if otherwise is not None else ()
