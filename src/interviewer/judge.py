"""The offline judge: reads what the candidate meant, scores each stage 1-4 (or not reached), gives a verdict.

A stage's score comes from what the candidate said about it, wherever in the interview (`reading.Reader`): how close
their sentences come to each of the stage's expected points, how many of them carry a reason, a number, a trade-off
or a failure mode, and how much they hedge; plus how the candidate talks overall (reasons and numbers per sentence,
hedging, bluffing). A linear model over these features (`JudgeModel`, fit on our own labelled transcripts by
`interviewer calibrate`, stored in `knowledge/judge_model.yaml`) gives the score; the rubric's rules then apply:
an uncorrected serious mistake caps its stage, a hint caps its stage at 3, buzzword lists and bluffing cap at 2, a
stage nobody discussed is not reached (unless the interview went through it: `passed_over`), and the verdict follows
the hiring-committee rules in `verdict_of`. The anchors are written out in knowledge/rubric.md.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from interviewer.domain import (
    STAGES,
    Citation,
    DepthGaps,
    ExpectedPoint,
    FlagRule,
    Flow,
    Level,
    ProbeBook,
    Question,
    RedFlag,
    Report,
    Similarity,
    Stage,
    StageScore,
    Transcript,
    Turn,
    TurnKind,
    Verdict,
)
from interviewer.mistakes import applies, raising, standing
from interviewer.reading import Reader, Reading, Said, prepare_message
from interviewer.text import (
    TRADE_OFF,
    asks_yes_no,
    gives_reason,
    has_number,
    is_question,
    matches_any,
    quote,
    requests_information,
    says_any,
    sentences,
    terms,
)

STAGE_WEIGHTS: Mapping[Stage, float] = {
    Stage.PROBLEM_FORMULATION: 1.0,
    Stage.METRICS: 1.0,
    Stage.MVP_DESIGN: 1.0,
    Stage.DATA_PIPELINE: 1.25,
    Stage.TRAINING: 1.0,
    Stage.INFERENCE: 1.0,
    Stage.SCALING_MONITORING: 0.75,
}
UNREACHED_SCORE = 1.0
ROUNDING = 0.49  # a stage's estimate stays within this of its rounded score
LATER_STAGES = (Stage.INFERENCE, Stage.SCALING_MONITORING)
MAX_EVIDENCE = 3
MIN_WORDS = 4
LIST_ITEMS = 4
LIST_ITEM_WORDS = 2.5
SUBSTANTIAL_SENTENCES = 8
ON_TOPIC = 0.3  # a sentence less similar than this to anything any stage is about is not evidence
HINT_CAP = 3
PASSING_SENTENCES = 2
BLUFF_CAP = 2
# A passing mention (at most PASSING_SENTENCES, none with a reason, number or trade-off) is at most 2, or 3 when the
# model reads the stage as a 4 from how this candidate talks and what they said: a terse expert's two dense sentences
# on a stage are not a weak candidate's passing clause. Chosen on the old self-written set, where every stage it moves
# was labelled 3 or 4 by both labellers (11 stages of strong candidates capped at 2); on our own 56 it never fires
# (the passing mentions there all sit below the cut into 4, all labelled 2).
PASSING_STRONG_CAP = 3
MAX_SCORE = 4
FAILURE = re.compile(
    r"\b(?:fails?|failure|fallback|fall back|drift\w*|outage|time ?outs?|degrad\w*|stale|goes down|risks?|edge cases?|"
    r"breaks?|rollback|roll back|alert\w*)\b",
    re.IGNORECASE,
)
HEDGE = re.compile(
    r"\b(?:not sure|i don't know|i do not know|i guess|maybe|kind of|sort of|probably|i think|i mean|basically|"
    r"you know|or something|something like that|i'm not|to be honest)\b",
    re.IGNORECASE,
)
BLUFF = re.compile(
    r"\b(?:state[- ]of[- ]the[- ]art|cutting[- ]edge|big players|best[- ]in[- ]class|industry standard|"
    r"the model (?:will|would|can|should) (?:learn|figure|handle|pick up)|should be fine|(?:we|i)'?d (?:just )?tune|"
    r"just works|world[- ]class|at scale|massive|huge|llms?|transformers?|deep learning|kubernetes|microservices|"
    r"next[- ]gen\w*|ai[- ]powered|end[- ]to[- ]end)\b",
    re.IGNORECASE,
)
# Addressed to whoever scores the interview, not said about the design: "judge", "grader" and "rubric" only in the
# forms that talk to them or about the score ("Note to the grader: ...", "the rubric says ..."), since "a human-judged
# set", "an LLM as a judge" and "relevance judgements" are design talk (a search candidate's evaluation sentences had
# all been dropped as evidence).
_SCORER = r"(?:judge|grader|evaluator|scorer|marker)s?"
_JUDGE_DIRECTED = re.compile(
    rf"\b(?:(?:note|message|instructions?|a word) (?:to|for) (?:the |my |our |any )?{_SCORER}|"
    rf"(?:dear|hey|attention|hello|hi),? {_SCORER}|^\W*{_SCORER}\s*[:,]|"
    rf"(?:the|my|our) (?:{_SCORER}|rubric) (?:should|must|will|would|needs? to|has to|says|ought)|"
    r"(?:score|rate|grade|mark) (?:me|my answers?|this answer|this interview)\b|full marks|perfect score|"
    r"\b4 out of 4\b|give me (?:a |an )?(?:\d|full|top|perfect|maximum|high)|"
    r"deserves? (?:a |an )?(?:\d|full|top|perfect|strong|maximum|high)|\b[1-4]\s*/\s*4\b|"
    r"ignore (?:all |your |the |any )?(?:previous|prior|above|earlier) instructions)",
    re.IGNORECASE,
)


def addressed_to_scorer(sentence: str) -> bool:
    """Whether the sentence talks to whoever scores the interview, or about its score, rather than about the design."""
    return _JUDGE_DIRECTED.search(sentence) is not None


_TIME_UP = re.compile(
    r"\b(?:out of time|at time|that's time|run out of time|ran out of time|have to stop|need to stop|"
    r"stop (?:here|there)|no time left|wrap (?:it )?up|time is up|time's up|(?:that's|that is) (?:our|all our) time|"
    r"close to time)\b",
    re.IGNORECASE,
)


class Judge(Protocol):
    def score(self, transcript: Transcript, question: Question | None) -> Report: ...

    def prepare(self, question: Question) -> None:
        """Do ahead of time what scoring an interview about `question` would otherwise wait for."""
        ...


def is_term_list(sentence: str) -> bool:
    """'Precision, recall, AUC, LightGBM, Kafka': many short comma-separated items and no clause."""
    items = [item.split() for item in re.split(r"[,;/]| and ", sentence) if item.strip()]
    return len(items) >= LIST_ITEMS and sum(len(i) for i in items) / len(items) <= LIST_ITEM_WORDS


@dataclass(frozen=True)
class Evidence:
    """The candidate's statements, in order, with the candidate message each came from."""

    said: tuple[tuple[str, frozenset[str]], ...]
    messages: tuple[int, ...] = ()

    @classmethod
    def of(cls, transcript: Transcript) -> Evidence:
        """Candidate statements; their own questions and anything addressed to the judge are not evidence."""
        kept: list[tuple[int, str]] = []
        for number, turn in enumerate(transcript.candidate_turns()):
            kept += [(number, s) for s in sentences(turn) if not is_question(s) and not addressed_to_scorer(s)]
        return cls(tuple((s, terms(s)) for _, s in kept), tuple(n for n, _ in kept))

    def matching(self, cues: Sequence[str]) -> list[str]:
        return [s for s, t in self.said if matches_any(t, cues)]

    @property
    def sentences(self) -> list[str]:
        return [s for s, _ in self.said]


@dataclass(frozen=True)
class StageFeatures:
    """What the candidate said about one stage, as numbers the judge model weighs."""

    sentences: int = 0
    in_turn: int = 0  # sentences clearly about it, or said while it was asked about and not clearly about another
    coverage: float = 0.0  # mean over the stage's expected points of the best similarity any sentence reaches
    weakest: float = 0.0  # the least covered point
    asked: bool = False
    reasons: int = 0
    numbers: int = 0
    trade_offs: int = 0
    failure_modes: int = 0
    hedges: int = 0
    lists_only: bool = False  # everything said was a list of terms

    def values(self) -> dict[str, float]:
        n = max(self.sentences, 1)
        return {
            "sentences": math.log1p(self.sentences),
            "coverage": self.coverage,
            "weakest": self.weakest,
            "asked": float(self.asked),
            "reasons": math.log1p(self.reasons),
            "numbers": math.log1p(self.numbers),
            "trade_offs": math.log1p(self.trade_offs),
            "failure_modes": math.log1p(self.failure_modes),
            "hedging": self.hedges / n,
        }


@dataclass(frozen=True)
class Manner:
    """How the candidate talks over the whole interview."""

    words: int = 0
    hedge_rate: float = 0.0  # hedges per 100 words
    bluff_rate: float = 0.0  # buzzwords and hand-waving per 100 words
    reason_rate: float = 0.0  # share of sentences with a reason
    number_rate: float = 0.0  # share of sentences with a number

    def values(self, level: Level) -> dict[str, float]:
        return {
            "hedge_rate": self.hedge_rate,
            "bluff_rate": self.bluff_rate,
            "reason_rate": self.reason_rate,
            "number_rate": self.number_rate,
            "level": {"E4": -1.0, "E5": 0.0, "E6": 1.0}[level],
        }


@dataclass(frozen=True)
class Features:
    stages: Mapping[Stage, StageFeatures]
    manner: Manner
    reading: Reading
    covered: Mapping[str, tuple[str, ...]]  # point id -> the sentences that state it
    time_up: bool = False  # the interviewer called time

    def values(self, stage: Stage, level: Level) -> dict[str, float]:
        """What the judge model weighs for one stage: the stage's own features and the candidate's manner."""
        return {**self.stages[stage].values(), **self.manner.values(level)}


ROUNDING_CUTS = (1.5, 2.5, 3.5)


@dataclass(frozen=True)
class JudgeModel:
    """Stage estimate = intercept + sum of weight x feature; the score is 1 plus the number of `cuts` it reaches
    (`knowledge/judge_model.yaml`). A least-squares fit pulls estimates towards the middle of the scale; cuts fitted
    for agreement with the labellers undo that (the default cuts are plain rounding)."""

    intercept: float = 1.5
    weights: Mapping[str, float] = field(default_factory=lambda: {"coverage": 2.0, "reasons": 0.4})
    cuts: tuple[float, float, float] = ROUNDING_CUTS

    def predict(self, values: Mapping[str, float]) -> float:
        return self.intercept + sum(w * values.get(name, 0.0) for name, w in self.weights.items())

    def score(self, estimate: float) -> int:
        return 1 + sum(estimate >= cut for cut in self.cuts)

    def on_scale(self, estimate: float) -> float:
        """The estimate on the 1-4 scale the cuts define: each cut maps to the half-way point between two scores (the
        second to 2.5), linearly in between, so equal scores still order by the estimate."""
        edges = (self.cuts[0] - 1.0, *self.cuts, self.cuts[-1] + 1.0)
        i = min(max(bisect_right(edges, estimate) - 1, 0), len(edges) - 2)
        return 0.5 + i + (estimate - edges[i]) / (edges[i + 1] - edges[i])


def overall_score(stages: Mapping[Stage, StageScore]) -> float:
    """Weighted mean of the stage estimates before rounding, so equal rounded scores still rank by what was said."""
    total = sum(STAGE_WEIGHTS[s] * _estimate(stages[s]) for s in STAGES)
    return round(total / sum(STAGE_WEIGHTS.values()), 2)


def _estimate(stage: StageScore) -> float:
    if stage.score is None:
        return UNREACHED_SCORE
    return stage.score if stage.estimate is None else stage.estimate


def _within(raw: float, score: int) -> float:
    """The model's raw value kept on the 1-4 scale and within half a point of the (capped) stage score."""
    return min(max(raw, score - ROUNDING, 1.0), score + ROUNDING, 4.0)


@dataclass(frozen=True)
class Concerns:
    """What a hiring committee weighs beyond the stage scores."""

    mistakes: int = 0  # uncorrected serious mistakes
    bluffing: bool = False
    stopped_early: bool = False  # the interview ended before the later stages were discussed
    said_little: bool = False


@dataclass(frozen=True)
class Assessment:
    """The offline judge's report and what it was decided from that another judge must respect."""

    report: Report
    concerns: Concerns
    ceilings: Mapping[Stage, int]  # the most each stage may score (`OfflineJudge._ceiling`)
    on_topic: tuple[str, ...]  # the candidate's statements read as evidence (off-topic ones are not)


# Per level: (fewest stages at 3+ for a hire, fewest 4s for a strong hire, most stages at 2 or below for a hire).
# A strong hire at E5 needs four 4s (was three; chosen on evals/own/transcripts: verdict within one step 0.857 ->
# 0.893 against both labellers, exact 0.679 / 0.750 -> 0.679 / 0.768): with three, a candidate strong on the model
# stages alone passed. E6 differs from E5 in allowing no stage at 2 or below.
LEVEL_BARS: Mapping[Level, tuple[int, int, int]] = {"E4": (4, 2, 3), "E5": (5, 4, 2), "E6": (5, 4, 1)}


def verdict_of(scores: Mapping[Stage, int | None], level: Level, concerns: Concerns = Concerns()) -> Verdict:
    """The rubric's hiring-committee rules at the candidate's level (not reached counts as nothing said)."""
    return verdict_with_reason(scores, level, concerns)[0]


def verdict_with_reason(
    scores: Mapping[Stage, int | None], level: Level, concerns: Concerns = Concerns()
) -> tuple[Verdict, str]:
    """`verdict_of`, with the rule that decided it in words for the report ("" for a plain hire): a no hire beside an
    overall of 3.16 read to a user as a contradiction when the reason (the interview stopped early) was not said."""
    values = [scores.get(s) or 0 for s in STAGES]
    good = sum(v >= 3 for v in values)
    fours = sum(v == 4 for v in values)
    weak = sum(v <= 2 for v in values)
    fewest_good, fewest_fours, most_weak = LEVEL_BARS[level]
    refusals = (
        (concerns.bluffing, Verdict.STRONG_NO_HIRE, "claims made without substance behind them"),
        (concerns.said_little, Verdict.STRONG_NO_HIRE, "too little said to judge"),
        (good <= 1, Verdict.STRONG_NO_HIRE, "at most one stage scored 3 or more"),
        (concerns.mistakes > 0, Verdict.NO_HIRE, "a serious mistake left uncorrected"),
        (concerns.stopped_early, Verdict.NO_HIRE, "the interview stopped before the later stages were discussed"),
        (min(values) <= 1, Verdict.NO_HIRE, "a stage scored 1 or not reached"),
        (weak > most_weak, Verdict.NO_HIRE, f"more than {most_weak} stage(s) at 2 or below (the most at {level})"),
        (good < fewest_good, Verdict.NO_HIRE, f"fewer than {fewest_good} stages at 3 or more (the least at {level})"),
    )
    for holds, verdict, reason in refusals:
        if holds:
            return verdict, reason
    if fours >= fewest_fours and weak <= max(most_weak - 1, 0):
        return Verdict.STRONG_HIRE, f"{fours} of {len(STAGES)} stages scored 4 ({level} needs at least {fewest_fours})"
    return Verdict.HIRE, ""


DEPTH_KINDS = ("reasons", "numbers", "trade_offs", "failure_modes")  # the depth features `DepthGaps` has a line for


def depth_gaps(stage: StageFeatures, lines: DepthGaps) -> tuple[str, ...]:
    """The stage's lines (`StageGuide.depth`) for the kinds of depth missing from what was said about it (nothing when
    nothing was said)."""
    if stage.sentences == 0:
        return ()
    return tuple(getattr(lines, kind) for kind in DEPTH_KINDS if getattr(stage, kind) == 0 and getattr(lines, kind))


class OfflineJudge:
    """Scores by meaning (the `Similarity`: the offline embeddings) with the calibrated `JudgeModel`."""

    def __init__(
        self,
        flow: Flow,
        flags: Sequence[FlagRule],
        similarity: Similarity,
        model: JudgeModel | None = None,
        probes: ProbeBook | None = None,
    ) -> None:
        """`probes`: the words by which a challenge is asked and stood by (`defended_challenges`); none, none found."""
        self._flow = flow
        self._flags = tuple(flags)
        self._probes = probes or ProbeBook()
        self._similarity = similarity
        self._reader = Reader(flow, similarity)
        self._model = model or JudgeModel()

    def with_model(self, model: JudgeModel) -> OfflineJudge:
        """The same judge scoring with another stage model (the calibration's by-question check)."""
        return OfflineJudge(self._flow, self._flags, self._similarity, model, self._probes)

    def score(self, transcript: Transcript, question: Question | None) -> Report:
        return self.assess(transcript, question).report

    def assess(self, transcript: Transcript, question: Question | None) -> Assessment:
        """The report, with what any other judge's scores must still respect: the concerns behind the verdict, each
        stage's ceiling and the statements that are on topic."""
        evidence = Evidence.of(transcript)
        features = self.features(transcript, question, evidence)
        defended = defended_challenges(transcript, features.reading, self._probes)
        flags = find_red_flags(evidence, question, features, self._flags) + tuple(
            RedFlag(DEFENDED, quote(sentence), self._probes.defended) for sentence in dict.fromkeys(defended.values())
        )
        concerns = self._concerns(transcript, features, flags)
        hinted = {t.stage for t in transcript.turns if t.kind is TurnKind.HINT}
        ceilings = {
            stage: self._ceiling(stage, features, flags, hinted=stage in hinted, concerns=concerns,
                                 defended=stage in defended)
            for stage in STAGES
        }
        stages = {
            stage: self._stage(stage, question, features, ceiling=ceilings[stage], level=transcript.level,
                               concerns=concerns)
            for stage in STAGES
        }
        overall = overall_score(stages)
        verdict, because = verdict_with_reason({s: r.score for s, r in stages.items()}, transcript.level, concerns)
        report = Report(
            question_id=question.id if question else transcript.question_id,
            stages=stages,
            overall=overall,
            verdict=verdict,
            verdict_reason=because,
            level=transcript.level,
            red_flags=flags,
            citations=tuple(
                Citation(f"knowledge/{self._flow.guide(s).note}", self._flow.guide(s).note_heading, s) for s in STAGES
            ),
        )
        return Assessment(report, concerns, ceilings, tuple(s.text for s in features.reading.said))

    def prepare(self, question: Question) -> None:
        """Scores a one-message interview, so every reference text the judge compares sentences with is embedded."""
        first = Stage.PROBLEM_FORMULATION
        opener = Turn("interviewer", self._flow.guide(first).opener, stage=first)
        said = Turn("candidate", prepare_message(question))
        self.score(Transcript("prepare", (opener, said), question.id), question)

    def features(
        self, transcript: Transcript, question: Question | None, evidence: Evidence | None = None
    ) -> Features:
        """Everything the score is computed from: the calibration fits the model on exactly these."""
        evidence = evidence or Evidence.of(transcript)
        pairs = zip(evidence.said, evidence.messages, strict=True)
        said = [(n, s) for (s, _), n in pairs if len(s.split()) >= MIN_WORDS]
        said = self._on_topic(question, said)
        reading = self._reader.read(transcript, question, said)
        best = self._best_per_point(question, [s for _, s in said])
        stages = {stage: self._stage_features(stage, question, reading, best) for stage in STAGES}
        covered = self._covered(question, [s for _, s in said])
        time_up = any(_TIME_UP.search(t.content) for t in transcript.turns if t.role == "interviewer")
        return Features(stages, _manner([s for _, s in said]), reading, covered, time_up)

    def _covered(self, question: Question | None, texts: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """Expected point id -> the sentences that state it (a likely paraphrase counts)."""
        if question is None:
            return {}
        covered: dict[str, list[str]] = {}
        for text, points in zip(texts, self._reader.points(question, texts, likely=True), strict=True):
            for point in points:
                covered.setdefault(point, []).append(text)
        return {point: tuple(quotes) for point, quotes in covered.items()}

    def _on_topic(self, question: Question | None, said: list[tuple[int, str]]) -> list[tuple[int, str]]:
        if not said:
            return said
        targets = [p.summary for p in self._points(question)] + [
            p.summary for stage in STAGES for p in self._flow.guide(stage).generic_points
        ]
        matrix = self._similarity.similarities([s for _, s in said], targets)
        return [item for item, row in zip(said, matrix, strict=True) if max(row) >= ON_TOPIC]

    def _points(self, question: Question | None) -> list[ExpectedPoint]:
        if question is not None:
            return list(question.expected)
        return [p for stage in STAGES for p in self._flow.guide(stage).generic_points]

    def _best_per_point(self, question: Question | None, texts: Sequence[str]) -> dict[str, float]:
        points = self._points(question)
        best = {p.id: 0.0 for p in points}
        if not texts:
            return best
        targets = [(p.id, phrase) for p in points for phrase in (p.summary, *p.says)]
        matrix = self._similarity.similarities(list(texts), [phrase for _, phrase in targets])
        for row in matrix:
            for (point, _), value in zip(targets, row, strict=True):
                best[point] = max(best[point], value)
        return best

    def _stage_features(
        self, stage: Stage, question: Question | None, reading: Reading, best: Mapping[str, float]
    ) -> StageFeatures:
        about = [s.text for s in reading.about(stage)]
        points = question.points_for(stage) if question else self._flow.guide(stage).generic_points
        closeness = [best.get(p.id, 0.0) for p in points] or [0.0]
        return StageFeatures(
            sentences=len(about),
            in_turn=said_in_turn(reading, stage),
            coverage=sum(closeness) / len(closeness),
            weakest=min(closeness),
            asked=stage in reading.asked,
            reasons=sum(gives_reason(s) for s in about),
            numbers=sum(has_number(s) for s in about),
            trade_offs=sum(bool(TRADE_OFF.search(s)) for s in about),
            failure_modes=sum(bool(FAILURE.search(s)) for s in about),
            hedges=sum(len(HEDGE.findall(s)) for s in about),
            lists_only=bool(about) and all(is_term_list(s) for s in about),
        )

    def _ceiling(
        self,
        stage: Stage,
        features: Features,
        flags: Sequence[RedFlag],
        *,
        hinted: bool,
        concerns: Concerns,
        defended: bool,
    ) -> int:
        """The most the stage may score, whoever reads it: the rubric's floors (a hint, buzzword lists or bluffing, an
        uncorrected serious mistake, a challenge stood by)."""
        own = features.stages[stage]
        caps = [MAX_SCORE]
        caps += [HINT_CAP] if hinted else []
        caps += [BLUFF_CAP] if own.lists_only or concerns.bluffing else []
        rules = {r.id: r for r in self._flags}
        caps += [rules[f.id].cap for f in flags if f.id in rules and rules[f.id].caps is stage]
        caps += [DEFENDED_CAP] if defended else []
        return min(caps)

    def _stage(
        self,
        stage: Stage,
        question: Question | None,
        features: Features,
        *,
        ceiling: int,
        level: Level,
        concerns: Concerns,
    ) -> StageScore:
        own = features.stages[stage]
        points = question.points_for(stage) if question else self._flow.guide(stage).generic_points
        evidence = tuple(quote(s.text) for s in best_evidence(features.reading.about(stage), stage, points))
        missing = tuple(p.summary for p in points if p.id not in features.covered) or depth_gaps(
            own, self._flow.guide(stage).depth
        )
        if own.sentences == 0 and not passed_over(stage, features):
            return StageScore(1 if own.asked else None, (), missing)
        values = features.values(stage, level)
        raw = self._model.predict(values)
        score = min(self._model.score(raw), ceiling)
        passing = own.sentences <= PASSING_SENTENCES and not (own.reasons or own.numbers or own.trade_offs)
        # a passing mention without a reason or number: never a 4, a 2 unless the model reads it as a 4
        if passing and not (own.lists_only or concerns.bluffing):
            score = min(score, PASSING_STRONG_CAP if self._model.score(raw) == MAX_SCORE else BLUFF_CAP)
        if concerns.stopped_early and stage in LATER_STAGES and not own.asked:
            score = min(score, UNASKED_CAP)  # never reached: what was said on it came up while other stages were asked
        if concerns.stopped_early and stage in LATER_STAGES and thin(own, features):
            # barely reached before time was called: under half of what the stage needs
            score = min(score, BLUFF_CAP)
        return StageScore(score, evidence, missing, estimate=_within(self._model.on_scale(raw), score))

    def _concerns(self, transcript: Transcript, features: Features, flags: Sequence[RedFlag]) -> Concerns:
        serious = {r.id for r in self._flags if r.caps is not None} | {DEFENDED}
        manner = features.manner
        return Concerns(
            mistakes=sum(f.id in serious for f in flags),
            bluffing=manner.bluff_rate >= BLUFF_RATE and manner.number_rate < BLUFF_NUMBERS,
            stopped_early=stopped_early(features),
            said_little=manner.words < LITTLE_WORDS,
        )


# An interview that stopped early never asked about a later stage: what the candidate said on it came up while other
# stages were asked, so it is not a 4 ("a passing clause does not make a stage a 4"). Chosen on evals/own/transcripts:
# three of its stages changed, two towards both labellers (search ranking and wake word, cut short: 4 -> 3 where they
# gave 2-3 and 3), one away (a solid grocery candidate read as stopped early: 4 -> 3 where both gave 4); pooled kappa
# 0.745 / 0.755 -> 0.744 / 0.755. Capping at 2 instead lowered it to 0.732 / 0.742.
UNASKED_CAP = 3
BLUFF_RATE = 1.5  # buzzwords per 100 words at which, with almost no numbers, the candidate is bluffing
BLUFF_NUMBERS = 0.08
STOPPED_SENTENCES = 2
# Chosen on evals/own/transcripts (verdict exact 0.643 -> 0.679 / 0.696 -> 0.750 against the two labellers): terse
# candidates' short later stages had made three strong-hire interviews no_hire. A quarter separates them (0.27-0.28
# of their mean) from the interviews cut short (0.22-0.24).
STOPPED_SHARE = 0.25
LITTLE_WORDS = 120


def best_evidence(about: Sequence[Said], stage: Stage, points: Sequence[ExpectedPoint]) -> list[Said]:
    """The `MAX_EVIDENCE` sentences that show best what the candidate said on a stage, in the order they were said,
    by `evidence_weight`; among equals the longer, then the earlier. The first few sentences read for a stage had been
    quoted, so an aside ("Oh right, that is private data.") or a sentence that only touched the stage stood in for the
    candidate's answer on it. Display only: scores are computed from every sentence read for the stage."""
    own = {p.id for p in points}
    about = [said for said in about if shown_under(said, stage)] or list(about)

    def strength(said: Said) -> tuple[int, int]:
        return evidence_weight(said, stage, own), len(said.text.split())

    chosen = set(sorted(range(len(about)), key=lambda i: strength(about[i]), reverse=True)[:MAX_EVIDENCE])
    return [said for i, said in enumerate(about) if i in chosen]


def shown_under(said: Said, stage: Stage) -> bool:
    """Whether a sentence read for a stage is quoted as its evidence: the expected point it comes closest to is one of
    the stage's, or it was said while the stage was being asked about. A sentence read for a stage only by a point it
    comes less close to than to another stage's, or by its content alone, counts for the stage's score but is not quoted
    unless asked there: two raters found 54 % and 49 % of such quotes about another stage, against 22 % of sentences
    whose closest point is the stage's (`evals/raters/evidence`)."""
    return said.asked is stage or (bool(said.points) and said.stages[:1] == (stage,))


def evidence_weight(said: Said, stage: Stage, own_points: set[str]) -> int:
    """How plainly a sentence answers for a stage: it states one of the stage's expected points (2), it was said while
    the stage was being asked about (2), its content is clearly about this stage before any other (1), it gives a
    reason, a number or a trade-off (1)."""
    return (
        2 * bool(own_points & set(said.points))
        + 2 * (said.asked is stage)
        + (said.clear and said.stages[:1] == (stage,))
        + bool(gives_reason(said.text) or has_number(said.text) or TRADE_OFF.search(said.text))
    )


def stopped_early(features: Features) -> bool:
    """The interview ended with a later stage barely discussed (`thin`): the interviewer called time, or it ended before
    the interviewer asked about that stage (the candidate ended it early)."""
    return any(
        thin(features.stages[s], features) and (features.time_up or s not in features.reading.asked)
        for s in LATER_STAGES
    )


def thin(stage: StageFeatures, features: Features) -> bool:
    """Barely discussed: at most `STOPPED_SENTENCES` in its turn, and under `STOPPED_SHARE` of what this candidate
    says about a stage on average (so a terse candidate's short answer does not count as a stage never reached)."""
    mean = sum(s.in_turn for s in features.stages.values()) / len(features.stages)
    return stage.in_turn <= STOPPED_SENTENCES and stage.in_turn < STOPPED_SHARE * mean


def passed_over(stage: Stage, features: Features) -> bool:
    """No sentence is about the stage, yet the candidate discussed a stage before it and one after it: the interview
    went through it (what they said on it was read as another stage's), so it is reached and scored like a passing
    mention, at most 2, from what was said anywhere. Chosen on evals/own/transcripts (pooled kappa 0.725 / 0.735 ->
    0.730 / 0.741) and the old self-written set (stage kappa dev 0.774 -> 0.801, test 0.687 -> 0.721): labellers gave
    such stages 2 where the judge said not reached."""
    i = STAGES.index(stage)
    return any(features.stages[s].sentences for s in STAGES[:i]) and any(
        features.stages[s].sentences for s in STAGES[i + 1 :]
    )


# A challenge stood by (the rubric: "a serious mistake the candidate does not correct when probed caps that stage at
# 2"): an interviewer's question casting doubt on what was said (`ProbeBook.doubt`), answered in the reply's first
# DEFENCE_WORDS by standing by it (`ProbeBook.disagree`) with no concession anywhere in it (`ProbeBook.concede`); said
# later in a reply, those words are seldom a stance ("simple but good enough that users stay").
# The stage is the one the interviewer was asking about. On evals/own/transcripts it fires on two replies (red-flag
# candidates defending a random split: "Not really.", "I don't think it matters much here.") whose training both
# labellers had at 1, where the random-split cap already held it: no score there changes (pooled kappa 0.780 / 0.791
# either way), nor on the old self-written set, where it never fires.
# A stance can also follow a nod (`ProbeBook.stand_by`, anywhere in the reply: "Yeah, fair, sales obviously. But ... I'd
# still treat NDCG as the main thing"), and "..., though?" pushes back as much as "really?". Chosen on evals/own: one
# uneven modeller who kept relevance first after being asked about the business goal (framing 4 -> 2, as both
# labellers; verdict strong hire -> no hire, as both): pooled kappa 0.780 / 0.791 -> 0.786 / 0.797, verdict exact 0.768
# / 0.857 -> 0.786 / 0.875; either change alone moved nothing; the old self-written set unchanged.
# The stage capped is the one the questioned message is clearly about, where its sentences clearly are (the rubric caps
# the stage of the mistake): "Would more invitations going out always mean better suggestions?" questions a metric
# even while the interviewer is still asking about the framing. Otherwise the stage being asked about, as before. On
# evals/own one uneven modeller's cap moved from framing to metrics (framing 2 -> 4, metrics 4 -> 2; both labellers 2
# and 2): pooled kappa unchanged, Spearman 0.927 -> 0.929; the old self-written set unchanged.
DEFENDED = "defended_challenge"
DEFENDED_CAP = 2
DEFENCE_WORDS = 6


def defended_challenges(transcript: Transcript, reading: Reading, probes: ProbeBook) -> dict[Stage, str]:
    """Stage -> the reply's sentence that stood by what the interviewer had just questioned (see `DEFENDED`)."""
    found: dict[Stage, str] = {}
    message = -1
    for before, turn in zip((None, *transcript.turns), transcript.turns, strict=False):  # (turn before, turn)
        if turn.role != "candidate" or turn.kind is not TurnKind.MESSAGE:
            continue
        message += 1
        if before is None or before.role != "interviewer" or not _doubts(before.content, probes):
            continue
        asked = reading.asked_at[message] if message < len(reading.asked_at) else None
        stage = _stage_of_message(reading, message - 1, clear=True) or asked or _stage_of_message(reading, message - 1)
        stance = _stance(turn.content, probes, yes_stands=_doubts_it_holds(before.content, probes))
        if stance is not None and stage is not None and not says_any(turn.content, probes.concede):
            found.setdefault(stage, stance)
    return found


def _stage_of_message(reading: Reading, message: int, clear: bool = False) -> Stage | None:
    """The stage most of a message's sentences are about; `clear`: counting only those clearly about a stage
    (`Said.clear`: they state one of its points, or their content is clearly about it)."""
    counts = Counter(
        stage for said in reading.said if said.message == message and (said.clear or not clear) for stage in said.stages
    )
    return counts.most_common(1)[0][0] if counts else None


def _stance(reply: str, probes: ProbeBook, *, yes_stands: bool = False) -> str | None:
    """The reply's sentence that stands by what was questioned: one of `disagree` in its first `DEFENCE_WORDS` (the
    first sentence), a yes there (one of `affirm`) when `yes_stands`, or the first sentence with one of `stand_by`;
    None when it takes no stance."""
    said = sentences(reply)
    if not said:
        return None
    opening = " ".join(reply.split()[:DEFENCE_WORDS])
    if says_any(opening, probes.disagree) or (yes_stands and says_any(opening, probes.affirm)):
        return said[0]
    return next((s for s in said if says_any(s, probes.stand_by)), None)


def _doubts(line: str, probes: ProbeBook) -> bool:
    """The interviewer asks a question that casts doubt ("Is 90 days really enough?")."""
    return bool(probes.doubt) and any(is_question(s) and says_any(s, probes.doubt) for s in sentences(line))


def _doubts_it_holds(line: str, probes: ProbeBook) -> bool:
    """The doubt asks whether what was said holds, so a yes stands by it ("Is a daily retrain always fresh enough?");
    a yes to "Is there a risk of leakage?" agrees with the doubt instead."""
    return any(asks_yes_no(s) and says_any(s, probes.doubt_holds) for s in sentences(line))


def said_in_turn(reading: Reading, stage: Stage) -> int:
    """Sentences said about a stage in its turn: those clearly about it (wherever said), and those said while it was
    being asked about that are not clearly about another. Mentions elsewhere that only lean towards it do not count,
    so a stage the interview never got to stays thin even when earlier answers touched on it."""
    return sum((stage in s.stages) if s.clear else (s.asked is stage) for s in reading.said)


def _manner(said: Sequence[str]) -> Manner:
    words = sum(len(s.split()) for s in said)
    if not said:
        return Manner()
    per_words = 100 / max(words, 1)
    return Manner(
        words=words,
        hedge_rate=sum(len(HEDGE.findall(s)) for s in said) * per_words,
        bluff_rate=sum(len(BLUFF.findall(s)) for s in said) * per_words,
        reason_rate=sum(gives_reason(s) for s in said) / len(said),
        number_rate=sum(has_number(s) for s in said) / len(said),
    )


def find_red_flags(
    evidence: Evidence,
    question: Question | None,
    features: Features,
    rules: Sequence[FlagRule],
) -> tuple[RedFlag, ...]:
    """The generic ML red flags, then the question's own; each with the sentence that raised it."""
    flags: list[RedFlag] = []
    substantial = len(evidence.said) >= SUBSTANTIAL_SENTENCES
    claims = [s for s in evidence.sentences if not requests_information(s)]  # "I'd want to know ..." claims nothing
    for rule in rules:
        if not applies(rule, question):
            continue
        if rule.absent:
            if evidence.matching(rule.unless):
                continue
            stage = features.stages[rule.stage] if rule.stage is not None else None
            reached = stage is not None and (stage.sentences > 0 or stage.asked)
            if substantial and reached:
                missing = ", ".join(rule.unless[:3])
                flags.append(RedFlag(rule.id, f"(nothing on {missing} in {len(evidence.said)} statements)",
                                     rule.explanation))
            continue
        stands = standing(rule, claims)
        if stands is not None:
            flags.append(RedFlag(rule.id, quote(stands), rule.explanation))
    for own in question.red_flags if question else ():
        sentence = raising(own, claims)
        if sentence is not None:
            flags.append(RedFlag(own.id, quote(sentence), own.explanation))
    return tuple(flags)
