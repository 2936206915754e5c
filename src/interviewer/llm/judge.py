"""The LLM judge: a model scores against the same anchored rubric, as validated JSON, beside the offline judge.

The model's score replaces the offline one only on the stages its calibration trusts (`llm.calibration`: where its
measured agreement with people was better); without a calibration, or on no trusted stage, the model is not called.
Where it is used, a score above 1 needs a verbatim quote of an on-topic statement, and the offline floors still hold:
each stage's ceiling (a hint, buzzwords or bluffing, an uncorrected mistake) and the concerns behind the verdict
(`judge.Assessment`). Malformed output or a model error falls back to the offline report with a notice.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Collection
from dataclasses import dataclass, replace

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from interviewer.domain import STAGES, Question, Report, Stage, StageScore, Transcript
from interviewer.judge import Assessment, Evidence, OfflineJudge, overall_score, verdict_with_reason
from interviewer.llm.base import CallOptions, ChatMessage, ChatModel, ModelError, ResponseSchema, texts
from interviewer.llm.calibration import Calibration
from interviewer.llm.prompt import Counter
from interviewer.text import quote

# The reply's shape, held by the server where it supports structured output (`judgement_schema`): every stage, a score
# of 1-4 or null, one quote and a short reason, each bounded, so that even a reply filling every string stays within
# MAX_JUDGE_TOKENS and parses whole (a few characters per token at worst, about 1,500 tokens).
QUOTE_CHARS = 120
REASON_CHARS = 60
MAX_JUDGE_TOKENS = 1500
log = logging.getLogger(__name__)
_JSON_OBJECT = re.compile(r"\{.*\}", re.DOTALL)


class StageJudgement(BaseModel):
    model_config = ConfigDict(extra="ignore")
    score: int | None = Field(default=None, ge=1, le=4)
    quotes: list[str] = []
    reason: str = ""


class JudgeOutput(BaseModel):
    model_config = ConfigDict(extra="ignore")
    stages: dict[Stage, StageJudgement]


class JudgeFailed(Exception):
    pass


def judgement_schema() -> ResponseSchema:
    """`JudgeOutput` as a JSON schema a grammar can hold a model to: all seven stages named (no other keys), each with
    its score, quotes (at most one) and reason, every string bounded."""
    stage = {
        "type": "object",
        "properties": {
            "score": {"enum": [1, 2, 3, 4, None]},
            "quotes": {"type": "array", "items": {"type": "string", "maxLength": QUOTE_CHARS}, "maxItems": 1},
            "reason": {"type": "string", "maxLength": REASON_CHARS},
        },
        "required": ["score", "quotes", "reason"],
        "additionalProperties": False,
    }
    stages = {
        "type": "object",
        "properties": {s.value: stage for s in STAGES},
        "required": [s.value for s in STAGES],
        "additionalProperties": False,
    }
    schema = {"type": "object", "properties": {"stages": stages}, "required": ["stages"], "additionalProperties": False}
    return ResponseSchema("judgement", schema)


def parse_judgement(text: str) -> JudgeOutput:
    match = _JSON_OBJECT.search(text)
    if not match:
        raise JudgeFailed("no JSON object in the reply")
    try:
        # strict=False: a raw line break or tab inside a string (llama.cpp's grammar lets them through) is kept
        return JudgeOutput.model_validate(json.loads(match.group(0), strict=False))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise JudgeFailed(f"the reply did not match the schema ({type(exc).__name__})") from exc


def combine(offline: StageScore, judged: StageJudgement | None, on_topic: str, ceiling: int) -> StageScore:
    """The model's score for a stage the offline judge reached, where it quotes an on-topic statement verbatim (a 1
    needs none), held under the stage's ceiling; otherwise the offline score."""
    if judged is None or judged.score is None or offline.score is None:
        return offline
    verbatim = [q.strip() for q in judged.quotes if q.strip() and q.strip() in on_topic]
    if judged.score > 1 and not verbatim:
        return offline
    evidence = tuple(dict.fromkeys([*(quote(q) for q in verbatim), *offline.evidence]))[:3]
    return StageScore(min(judged.score, ceiling), evidence, offline.missing)


@dataclass(frozen=True)
class ModelReading:
    """The offline judge's assessment and the model's judgement of the same interview (None, with why, on failure)."""

    offline: Assessment
    judgement: JudgeOutput | None
    failure: str = ""


class LLMJudge:
    def __init__(
        self,
        offline: OfflineJudge,
        chat: ChatModel,
        counter: Counter,
        *,
        rubric: str,
        budget: int = 3000,
        calibration: Calibration | None = None,
    ) -> None:
        self._offline, self._chat, self._counter = offline, chat, counter
        self._rubric, self._budget = rubric, budget
        self.trusted: tuple[Stage, ...] = calibration.trusted() if calibration else ()

    def calibrated(self, calibration: Calibration | None) -> LLMJudge:
        """The same judge under another calibration (None: the offline scores stand, as without a file)."""
        return LLMJudge(
            self._offline, self._chat, self._counter, rubric=self._rubric, budget=self._budget, calibration=calibration
        )

    def prepare(self, question: Question) -> None:
        self._offline.prepare(question)

    def score(self, transcript: Transcript, question: Question | None) -> Report:
        """The offline report, with the model's scores on the stages its calibration trusts (no call without one)."""
        if not self.trusted:
            return self._offline.score(transcript, question)
        return self.combined(self.read(transcript, question), self.trusted)

    def read(self, transcript: Transcript, question: Question | None) -> ModelReading:
        """The offline assessment and the model's judgement, whatever the calibration (what an eval measures)."""
        assessment = self._offline.assess(transcript, question)
        said = [s for s, _ in Evidence.of(transcript).said]
        try:
            options = CallOptions(MAX_JUDGE_TOKENS, response_schema=judgement_schema())
            reply = self._chat.stream(self._messages(transcript, question, said), options)
            return ModelReading(assessment, parse_judgement("".join(texts(reply))))
        except (ModelError, JudgeFailed) as exc:
            log.warning("model judge failed (%s); the offline scores were used", exc)
            return ModelReading(assessment, None, str(exc))

    @staticmethod
    def combined(reading: ModelReading, trusted: Collection[Stage]) -> Report:
        """The report with the model's score on each `trusted` stage (`combine`); the verdict by the committee rules
        with the offline judge's concerns. A failed judgement gives the offline report with a notice."""
        base, judgement = reading.offline.report, reading.judgement
        if judgement is None:
            notice = f"The model judge failed ({reading.failure}); offline scores shown."
            return replace(base, notices=(*base.notices, notice))
        on_topic = " ".join(reading.offline.on_topic)
        stages = {
            s: combine(base.stages[s], judgement.stages.get(s), on_topic, reading.offline.ceilings[s])
            if s in trusted else base.stages[s]
            for s in STAGES
        }
        scores = {s: r.score for s, r in stages.items()}
        verdict, because = verdict_with_reason(scores, base.level, reading.offline.concerns)
        return replace(base, stages=stages, overall=overall_score(stages), verdict=verdict, verdict_reason=because)

    def _messages(self, transcript: Transcript, question: Question | None, said: list[str]) -> list[ChatMessage]:
        title = question.title if question else (transcript.question_text or "an ML system")
        strong = what_a_strong_answer_covers(question) if question else ""
        room = self._budget - self._counter.count(self._rubric) - self._counter.count(strong)
        answer = self._counter.truncate(" ".join(said), max(200, room))
        user = (
            f"Question: {title}\n\n{strong}The candidate's statements, in order:\n\"\"\"{answer}\"\"\"\n\n"
            "Score each stage."
        )
        return [ChatMessage("system", self._rubric), ChatMessage("user", user)]


def what_a_strong_answer_covers(question: Question) -> str:
    """The question's expected points by stage and its serious mistakes: what the interviewer never shows the
    candidate, given to the judge so that it scores against the same content the offline judge reads for."""
    lines = ["What a strong answer covers, by stage (never shown to the candidate):"]
    for stage in STAGES:
        points = "; ".join(p.summary for p in question.points_for(stage))
        lines += [f"- {stage.value}: {points}"] if points else []
    mistakes = [f"- {rule.explanation}" for rule in question.red_flags]
    lines += ["Serious mistakes to look for:", *mistakes] if mistakes else []
    return "\n".join(lines) + "\n\n"
