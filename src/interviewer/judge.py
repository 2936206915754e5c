"""The offline judge: scores a transcript stage by stage on the anchored 1-4 scale, finds red flags.

1 = nothing relevant said, 2 = named without reasons, 3 = at least half the expected points with reasons,
4 = most points, reasons and numbers. `None` when the interview never reached the stage.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from interviewer.domain import (
    STAGES,
    Citation,
    ExpectedPoint,
    Flow,
    Level,
    Question,
    RedFlag,
    Report,
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


class Judge(Protocol):
    def score(self, transcript: Transcript, question: Question | None) -> Report: ...


@dataclass(frozen=True)
class Evidence:
    """The candidate's sentences, with their terms computed once."""

    said: tuple[tuple[str, frozenset[str]], ...]

    @classmethod
    def of(cls, transcript: Transcript) -> Evidence:
        said = [s for turn in transcript.candidate_turns() for s in sentences(turn) if not is_question(s)]
        return cls(tuple((s, terms(s)) for s in said))

    def matching(self, cues: Sequence[str]) -> list[str]:
        return [s for s, t in self.said if matches_any(t, cues)]


def is_reasoned(sentence: str) -> bool:
    return has_number(sentence) or matches_any(terms(sentence), REASON_CUES) or " vs " in sentence.lower()


def stage_score(points: Sequence[ExpectedPoint], evidence: Evidence, reached: bool, hinted: bool) -> StageScore:
    hits = {p.id: evidence.matching(p.cues) for p in points}
    matched = [p for p in points if hits[p.id]]
    quotes = list(dict.fromkeys(s for p in matched for s in hits[p.id]))
    missing = tuple(p.summary for p in points if not hits[p.id])
    if not reached and not matched:
        return StageScore(None, (), missing)
    share = len(matched) / len(points)
    reasoned = [s for s in quotes if is_reasoned(s)]
    if not matched:
        score = 1
    elif share < 0.5 or not reasoned:
        score = 2
    elif share >= 0.66 and len(reasoned) >= 2 and any(has_number(s) for s in quotes):
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
    def __init__(self, flow: Flow) -> None:
        self._flow = flow

    def score(self, transcript: Transcript, question: Question | None) -> Report:
        evidence = Evidence.of(transcript)
        stages = {stage: self._stage(stage, transcript, question, evidence) for stage in STAGES}
        overall = overall_score(stages)
        return Report(
            question_id=question.id if question else transcript.question_id,
            stages=stages,
            overall=overall,
            verdict=verdict_for(overall, transcript.level),
            level=transcript.level,
            red_flags=find_red_flags(evidence, question, stages),
            citations=tuple(
                Citation(f"knowledge/{self._flow.guide(s).note}", self._flow.guide(s).note_heading, s) for s in STAGES
            ),
        )

    def _stage(self, stage: Stage, transcript: Transcript, question: Question | None, evidence: Evidence) -> StageScore:
        guide = self._flow.guide(stage)
        points = question.points_for(stage) if question else guide.generic_points
        hinted = any(t.kind is TurnKind.HINT and t.stage is stage for t in transcript.turns)
        return stage_score(points, evidence, self._reached(stage, transcript), hinted)

    def _reached(self, stage: Stage, transcript: Transcript) -> bool:
        """Tagged turns say which stages the interview visited; untagged ones count the interviewer's questions."""
        if any(t.stage is not None for t in transcript.turns):
            return any(t.stage is stage for t in transcript.turns)
        cues = self._flow.guide(stage).cues
        asked = (s for t in transcript.turns if t.role == "interviewer" for s in sentences(t.content) if is_question(s))
        return any(matches_any(terms(s), cues) for s in asked)


_COMPLEX_MODEL = (
    "deep learning", "neural network", "neural net", "transformer", "bert", "two tower", "lstm", "gnn", "cnn",
)
_BASELINE = ("baseline", "heuristic", "rule", "logistic regression", "simple model", "popularity", "start simple")
_RANKING_OR_PR = ("precision", "recall", "auc", "f1", "ndcg", "log loss", "mrr", "average precision")
_TIME_SPLIT = ("time based", "temporal", "chronological", "split by time", "out of time", "time split")
_MONITORING = ("monitor", "drift", "retrain", "alert", "dashboard")


def find_red_flags(
    evidence: Evidence, question: Question | None, stages: Mapping[Stage, StageScore]
) -> tuple[RedFlag, ...]:
    flags: list[RedFlag] = []

    def flag_if(found: list[str], absent: Sequence[str], flag_id: str, why: str) -> None:
        if found and not evidence.matching(absent):
            flags.append(RedFlag(flag_id, quote(found[0]), why))

    flag_if(evidence.matching(("accuracy",)), _RANKING_OR_PR, "accuracy_on_imbalanced",
            "Accuracy was the metric offered and nothing sensitive to rare positives was named. When one class is "
            "rare, a model that always predicts the common class scores high accuracy and is useless; use "
            "precision and recall at an operating point, or the area under the precision-recall curve.")
    flag_if(evidence.matching(_COMPLEX_MODEL), _BASELINE, "no_baseline",
            "A complex model was proposed without a simple baseline to beat. Without a rule, popularity list or "
            "linear model to compare against there is no way to tell whether the complexity pays for itself.")
    flag_if(evidence.matching(("random split", "randomly split", "shuffle")), _TIME_SPLIT, "random_split_on_time",
            "A random split was proposed for data that arrives over time. Validation then mixes future and past "
            "and overstates how the model will do on tomorrow's traffic; split by time instead.")
    substantial = len(evidence.said) >= 8 and stages[Stage.SCALING_MONITORING].score is not None
    if substantial and not evidence.matching(_MONITORING):
        flags.append(RedFlag("no_monitoring", "(no mention of monitoring, drift or retraining)",
                             "The design never says how anyone would notice the model degrading after launch or "
                             "when it would be retrained. Production models drift as data and behaviour change."))
    for rule in question.red_flags if question else ():
        flag_if(evidence.matching(rule.cues), (), rule.id, rule.explanation)
    return tuple(flags)
