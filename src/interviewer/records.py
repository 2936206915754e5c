"""Values as stored, validated whenever they are read. A report has one shape, stored in the database, returned by
the REST API and printed by `interviewer score --json`; a reply is stored with the idempotency key of the request that
produced it. Inside, both are frozen dataclasses (`domain.Report`, `domain.Reply`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from interviewer.domain import Citation, Level, RedFlag, Reply, Report, Stage, StageScore, TurnKind, Verdict


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
    verdict: Verdict
    verdict_reason: str = Field(default="", description="The rule that decided the verdict; empty for a plain hire.")
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
