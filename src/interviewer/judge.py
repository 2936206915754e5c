"""The offline judge: scores a transcript stage by stage on the anchored 1-4 scale, finds red flags.

1 = nothing relevant said, 2 = named without reasons (or under half the expected points), 3 = at least half the
points with reasons, 4 = at least 80% of the points, two reasoned statements and a number. `None` when the interview
never reached the stage. The anchors are written out in knowledge/rubric.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from interviewer.domain import (
    STAGES,
    Citation,
    ExpectedPoint,
    FlagRule,
    Flow,
    Level,
    Question,
    RedFlag,
    Report,
    Similarity,
    Stage,
    StageScore,
    Transcript,
    TurnKind,
    Verdict,
)
from interviewer.text import has_number, is_question, matches_any, quote, sentences, terms

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
VERDICT_CUTOFFS = (1.75, 2.5, 3.25)
LEVEL_OFFSET: Mapping[Level, float] = {"E4": -0.25, "E5": 0.0, "E6": 0.25}
REASON_CUES = (
    "because", "since", "so that", "trade off", "tradeoff", "instead of", "rather than", "versus", "vs",
    "otherwise", "which means", "downside", "cost", "risk", "at the expense",
)
MAX_EVIDENCE = 3
SEMANTIC_THRESHOLD = 0.5
SEMANTIC_MARGIN = 0.05
HALF = 0.5
MOST = 0.8
MIN_REASONED_WORDS = 8
LIST_ITEMS = 4
LIST_ITEM_WORDS = 2.5
SUBSTANTIAL_SENTENCES = 8
_JUDGE_DIRECTED = re.compile(
    r"\b(?:grader|grading|judge|evaluator|rubric|score me|rate me|full marks|perfect score|out of 4|"
    r"give me (?:a |an )?(?:\d|full|top|perfect|maximum|high)|\d\s*/\s*4|"
    r"ignore (?:all |your |the |any )?(?:previous|prior|above|earlier) instructions)",
    re.IGNORECASE,
)


class Judge(Protocol):
    def score(self, transcript: Transcript, question: Question | None) -> Report: ...


@dataclass(frozen=True)
class Evidence:
    """The candidate's sentences, with their terms computed once."""

    said: tuple[tuple[str, frozenset[str]], ...]

    @classmethod
    def of(cls, transcript: Transcript) -> Evidence:
        """Candidate statements; their own questions and anything addressed to the judge are not evidence."""
        said = [
            s
            for turn in transcript.candidate_turns()
            for s in sentences(turn)
            if not is_question(s) and not _JUDGE_DIRECTED.search(s)
        ]
        return cls(tuple((s, terms(s)) for s in said))

    def matching(self, cues: Sequence[str]) -> list[str]:
        return [s for s, t in self.said if matches_any(t, cues)]


def is_term_list(sentence: str) -> bool:
    """'Precision, recall, AUC, LightGBM, Kafka': many short comma-separated items and no clause."""
    items = [item.split() for item in re.split(r"[,;/]| and ", sentence) if item.strip()]
    return len(items) >= LIST_ITEMS and sum(len(i) for i in items) / len(items) <= LIST_ITEM_WORDS


def is_reasoned(sentence: str) -> bool:
    """A reason or a number, in a real sentence rather than a list of buzzwords."""
    if len(sentence.split()) < MIN_REASONED_WORDS or is_term_list(sentence):
        return False
    return has_number(sentence) or matches_any(terms(sentence), REASON_CUES) or " vs " in sentence.lower()


def semantic_hits(
    evidence: Evidence, points: Sequence[ExpectedPoint], similarity: Similarity
) -> dict[str, list[str]]:
    """Sentences that mean a point without using its words: the best point by a clear margin, above a threshold."""
    said = [s for s, _ in evidence.said]
    if not said or not points:
        return {}
    targets = [p.summary for p in points] + [p.probe for p in points]
    matrix = similarity.similarities(said, targets)
    found: dict[str, list[str]] = {}
    for sentence, row in zip(said, matrix, strict=True):
        per_point = sorted(
            ((max(row[i], row[i + len(points)]), p.id) for i, p in enumerate(points)), reverse=True
        )
        best, runner_up = per_point[0], per_point[1] if len(per_point) > 1 else (0.0, "")
        if best[0] >= SEMANTIC_THRESHOLD and best[0] - runner_up[0] >= SEMANTIC_MARGIN:
            found.setdefault(best[1], []).append(sentence)
    return found


def stage_score(
    points: Sequence[ExpectedPoint],
    evidence: Evidence,
    reached: bool,
    hinted: bool,
    semantic: Mapping[str, list[str]] | None = None,
) -> StageScore:
    extra = semantic or {}
    hits = {p.id: list(dict.fromkeys(evidence.matching(p.cues) + extra.get(p.id, []))) for p in points}
    matched = [p for p in points if hits[p.id]]
    quotes = list(dict.fromkeys(s for p in matched for s in hits[p.id]))
    missing = tuple(p.summary for p in points if not hits[p.id])
    if not reached and not matched:
        return StageScore(None, (), missing)
    share = len(matched) / len(points)
    reasoned = [s for s in quotes if is_reasoned(s)]
    if not matched:
        score = 1
    elif share < HALF or not reasoned:
        score = 2
    elif share >= MOST and len(reasoned) >= 2 and any(has_number(s) for s in quotes):
        score = 4
    else:
        score = 3
    if hinted:
        score = min(score, 3)
    return StageScore(score, tuple(quote(s) for s in quotes[:MAX_EVIDENCE]), missing)


def overall_score(stages: Mapping[Stage, StageScore]) -> float:
    total = sum(STAGE_WEIGHTS[s] * (stages[s].score or UNREACHED_SCORE) for s in STAGES)
    return round(total / sum(STAGE_WEIGHTS.values()), 2)


def verdict_for(overall: float, level: Level) -> Verdict:
    low, mid, high = (cut + LEVEL_OFFSET[level] for cut in VERDICT_CUTOFFS)
    if overall < low:
        return Verdict.STRONG_NO_HIRE
    if overall < mid:
        return Verdict.NO_HIRE
    if overall < high:
        return Verdict.HIRE
    return Verdict.STRONG_HIRE


class OfflineJudge:
    """Lexical cues, plus semantic matches when a `Similarity` (the retrieval embeddings) is given."""

    def __init__(self, flow: Flow, flags: Sequence[FlagRule] = (), similarity: Similarity | None = None) -> None:
        self._flow = flow
        self._flags = tuple(flags)
        self._similarity = similarity

    def score(self, transcript: Transcript, question: Question | None) -> Report:
        evidence = Evidence.of(transcript)
        points = list(question.expected) if question else self._generic_points()
        semantic = semantic_hits(evidence, points, self._similarity) if self._similarity else {}
        reached = reached_stages(self._flow, transcript)
        hinted = {t.stage for t in transcript.turns if t.kind is TurnKind.HINT}
        stages = {
            stage: stage_score(self._points(stage, question), evidence, stage in reached, stage in hinted, semantic)
            for stage in STAGES
        }
        overall = overall_score(stages)
        return Report(
            question_id=question.id if question else transcript.question_id,
            stages=stages,
            overall=overall,
            verdict=verdict_for(overall, transcript.level),
            level=transcript.level,
            red_flags=find_red_flags(evidence, question, stages, self._flags),
            citations=tuple(
                Citation(f"knowledge/{self._flow.guide(s).note}", self._flow.guide(s).note_heading, s) for s in STAGES
            ),
        )

    def _generic_points(self) -> list[ExpectedPoint]:
        return [p for guide in self._flow.guides.values() for p in guide.generic_points]

    def _points(self, stage: Stage, question: Question | None) -> Sequence[ExpectedPoint]:
        return question.points_for(stage) if question else self._flow.guide(stage).generic_points


def reached_stages(flow: Flow, transcript: Transcript) -> frozenset[Stage]:
    """Tagged turns say which stages the interview visited; untagged ones count the interviewer's questions."""
    if any(t.stage is not None for t in transcript.turns):
        return frozenset(t.stage for t in transcript.turns if t.stage is not None)
    asked = [
        terms(s) for t in transcript.turns if t.role == "interviewer" for s in sentences(t.content) if is_question(s)
    ]
    return frozenset(stage for stage in STAGES if any(matches_any(a, flow.guide(stage).cues) for a in asked))


def find_red_flags(
    evidence: Evidence,
    question: Question | None,
    stages: Mapping[Stage, StageScore],
    rules: Sequence[FlagRule],
) -> tuple[RedFlag, ...]:
    """The generic ML red flags, then the question's own; each with the sentence that raised it."""
    flags: list[RedFlag] = []
    domain = question.domain if question else None
    substantial = len(evidence.said) >= SUBSTANTIAL_SENTENCES
    for rule in rules:
        if rule.domains and domain not in rule.domains:
            continue
        if evidence.matching(rule.unless):
            continue
        if rule.absent:
            reached = rule.stage is not None and stages[rule.stage].score is not None
            if substantial and reached:
                missing = ", ".join(rule.unless[:3])
                flags.append(RedFlag(rule.id, f"(nothing on {missing} in {len(evidence.said)} statements)",
                                     rule.explanation))
            continue
        found = evidence.matching(rule.when)
        if found:
            flags.append(RedFlag(rule.id, quote(found[0]), rule.explanation))
    for own in question.red_flags if question else ():
        found = evidence.matching(own.cues)
        if found:
            flags.append(RedFlag(own.id, quote(found[0]), own.explanation))
    return tuple(flags)
