"""Values as stored, validated whenever they are read. A report has one shape, stored in the database, returned by
the REST API and printed by `interviewer score --json`; a reply is stored with the idempotency key of the request that
produced it. Inside, both are frozen dataclasses (`domain.Report`, `domain.Reply`)."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field

from interviewer.domain import Citation, Level, RedFlag, Reply, Report, Stage, StageScore, TurnKind, Verdict
from interviewer.progress import PracticeProgress


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class StageScoreRecord(_Record):
    score: int | None = Field(ge=1, le=4, description="1-4; null when the stage was never reached.")
    evidence: list[str] = Field(default=[], description="What the candidate said that earned the score.")
    missing: list[str] = Field(default=[], description="What a stronger answer would have covered.")
    estimate: float | None = Field(default=None, description="The score before rounding, when it differs.")


class RedFlagRecord(_Record):
    id: str
    evidence: str
    explanation: str


class CitationRecord(_Record):
    source: str
    heading: str
    stage: Stage


class ReportRecord(_Record):
    question_id: str | None
    level: Level
    stages: dict[Stage, StageScoreRecord]
    overall: float
    verdict: Verdict | None = Field(description="The hiring verdict; null for a stage drill, which gives none.")
    verdict_reason: str = Field(default="", description="The rule that decided the verdict; empty for a plain hire.")
    drill: Stage | None = Field(default=None, description="A stage drill's stage: the only stage scored.")
    red_flags: list[RedFlagRecord] = []
    feedback_markdown: str = ""
    citations: list[CitationRecord] = []
    notices: list[str] = Field(default=[], description="What the candidate should know, such as a judge fallback.")

    @classmethod
    def of(cls, report: Report) -> ReportRecord:
        return cls(
            question_id=report.question_id,
            level=report.level,
            stages={
                stage: StageScoreRecord(
                    score=s.score, evidence=list(s.evidence), missing=list(s.missing), estimate=s.estimate
                )
                for stage, s in report.stages.items()
            },
            overall=report.overall,
            verdict=report.verdict,
            verdict_reason=report.verdict_reason,
            drill=report.drill,
            red_flags=[
                RedFlagRecord(id=flag.id, evidence=flag.evidence, explanation=flag.explanation)
                for flag in report.red_flags
            ],
            feedback_markdown=report.feedback_markdown,
            citations=[CitationRecord(source=c.source, heading=c.heading, stage=c.stage) for c in report.citations],
            notices=list(report.notices),
        )

    def to_domain(self) -> Report:
        return Report(
            question_id=self.question_id,
            stages={
                stage: StageScore(s.score, tuple(s.evidence), tuple(s.missing), s.estimate)
                for stage, s in self.stages.items()
            },
            overall=self.overall,
            verdict=self.verdict,
            level=self.level,
            red_flags=tuple(RedFlag(f.id, f.evidence, f.explanation) for f in self.red_flags),
            citations=tuple(Citation(c.source, c.heading, c.stage) for c in self.citations),
            feedback_markdown=self.feedback_markdown,
            notices=tuple(self.notices),
            verdict_reason=self.verdict_reason,
            drill=self.drill,
        )


def report_json(report: Report, indent: int | None = None) -> str:
    """A report as the JSON stored and printed."""
    return ReportRecord.of(report).model_dump_json(indent=indent)


def report_from_json(text: str | bytes) -> Report:
    """A stored report, validated (a row that does not match raises pydantic's `ValidationError`)."""
    return ReportRecord.model_validate_json(text).to_domain()


class ReplyRecord(_Record):
    message: str
    stage: Stage
    coverage: dict[Stage, float]
    kind: TurnKind
    finished: bool
    chunk_ids: list[str]
    notice: str | None

    @classmethod
    def of(cls, reply: Reply) -> ReplyRecord:
        return cls(
            message=reply.message, stage=reply.stage, coverage=dict(reply.coverage), kind=reply.kind,
            finished=reply.finished, chunk_ids=list(reply.chunk_ids), notice=reply.notice,
        )

    def to_domain(self) -> Reply:
        return Reply(
            self.message, self.stage, dict(self.coverage), self.kind, self.finished, tuple(self.chunk_ids), self.notice
        )


def reply_json(reply: Reply) -> str:
    return ReplyRecord.of(reply).model_dump_json()


def reply_from_json(text: str | bytes) -> Reply:
    return ReplyRecord.model_validate_json(text).to_domain()


class StagePointRecord(_Record):
    session_id: str
    at: datetime = Field(description="When the attempt started (UTC).")
    score: int = Field(ge=1, le=4)


class VerdictPointRecord(_Record):
    session_id: str
    at: datetime
    verdict: Verdict


class DrillRecord(_Record):
    stage: Stage
    due: datetime = Field(description="When to practise it next; at or before now means now.")


class ProgressRecord(_Record):
    """Progress across the given sessions: the REST answer of `GET /api/progress` and `interviewer progress --json`."""

    sessions: int = Field(description="Finished sessions counted (unknown and unfinished ones are ignored).")
    drills: int = Field(description="How many of them were stage drills (they count for their stage only).")
    stages: dict[Stage, list[StagePointRecord]] = Field(description="Each stage's scores, oldest first.")
    level: dict[Stage, float] = Field(description="The mean of each practised stage's last three scores.")
    weakest: list[Stage] = Field(description="The stages with the lowest level, lowest first.")
    verdicts: list[VerdictPointRecord] = Field(description="The verdict of each interview (not drill), oldest first.")
    next_drill: DrillRecord | None = Field(description="The stage to practise next; null before any attempt.")

    @classmethod
    def of(cls, progress: PracticeProgress) -> ProgressRecord:
        return cls(
            sessions=progress.attempts,
            drills=progress.drills,
            stages={
                stage: [StagePointRecord(session_id=p.session_id, at=_utc(p.at), score=p.score) for p in points]
                for stage, points in progress.stages.items()
            },
            level=dict(progress.level),
            weakest=list(progress.weakest),
            verdicts=[VerdictPointRecord(session_id=v.session_id, at=_utc(v.at), verdict=v.verdict)
                      for v in progress.verdicts],
            next_drill=None if progress.next_drill is None else DrillRecord(
                stage=progress.next_drill.stage, due=_utc(progress.next_drill.due)
            ),
        )


def _utc(at: float) -> datetime:
    return datetime.fromtimestamp(at, tz=UTC)
