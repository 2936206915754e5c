"""Transcript files in the eval format, validated at the boundary and turned into domain values."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from interviewer.domain import DEFAULT_LEVEL, Level, Session, Stage, Transcript, Turn, TurnKind, Verdict
from interviewer.evaluation import ClarifyItem, ClarifyKind, LabelledCase, Labels, RetrievalQuery

MAX_TRANSCRIPT_BYTES = 5 * 1024 * 1024


class TranscriptError(ValueError):
    """A transcript file that cannot be read or does not match the format."""


class TurnModel(BaseModel):
    model_config = ConfigDict(extra="ignore")
    role: Literal["interviewer", "candidate"]
    content: str
    kind: TurnKind = TurnKind.MESSAGE
    stage: Stage | None = None
    chunk_ids: list[str] | None = Field(default=None, description="The knowledge a grounded reply drew on.")

    @classmethod
    def of(cls, turn: Turn) -> TurnModel:
        return cls(role=turn.role, content=turn.content, kind=turn.kind, stage=turn.stage,
                   chunk_ids=list(turn.chunk_ids) or None)

    def to_domain(self) -> Turn:
        return Turn(self.role, self.content, self.kind, self.stage, chunk_ids=tuple(self.chunk_ids or ()))


class LabelsModel(BaseModel):
    stages: dict[Stage, int | None]
    verdict: Verdict
    notes: str | None = None

    @model_validator(mode="after")
    def _scores_in_range(self) -> LabelsModel:
        bad = {s.value: v for s, v in self.stages.items() if v is not None and not 1 <= v <= 4}
        if bad:
            raise ValueError(f"stage labels must be 1-4 or null, got {bad}")
        return self

    def to_domain(self) -> Labels:
        return Labels(dict(self.stages), self.verdict)


class TranscriptModel(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str = Field(min_length=1)
    question_id: str | None = None
    question: str | None = None
    level: Level = DEFAULT_LEVEL
    source: str | None = None
    turns: list[TurnModel] = Field(min_length=1)
    labels: LabelsModel | None = None
    labels_b: LabelsModel | None = None  # a second, independent labeller (the blind set has one)

    @model_validator(mode="after")
    def _has_question(self) -> TranscriptModel:
        if not (self.question_id or (self.question and self.question.strip())):
            raise ValueError("a transcript needs a 'question_id' or a free-text 'question'")
        return self

    def to_domain(self) -> Transcript:
        return Transcript(
            id=self.id,
            turns=tuple(t.to_domain() for t in self.turns),
            question_id=self.question_id,
            question_text=self.question,
            level=self.level,
        )

    @classmethod
    def of_session(cls, session: Session) -> TranscriptModel:
        """A stored session in this format, as the page, the REST API and `interviewer transcript` export it."""
        turns = [TurnModel.of(t) for t in session.turns]
        return cls(id=session.id, question_id=session.question_id, level=session.level, source="interviewer",
                   turns=turns)

    def to_json(self, indent: int | None = 2) -> str:
        """The file's text: what was not given is left out."""
        return self.model_dump_json(indent=indent, exclude_none=True)

    def labelled(self) -> LabelledCase | None:
        if self.labels is None:
            return None
        second = self.labels_b.to_domain() if self.labels_b else None
        return LabelledCase(self.to_domain(), self.labels.to_domain(), second)


def load_labelled(directory: Path) -> tuple[list[LabelledCase], list[str]]:
    """Every labelled transcript under `directory`, and a one-line reason for each file left out."""
    cases: list[LabelledCase] = []
    skipped: list[str] = []
    for path in sorted(directory.rglob("*.json")):
        try:
            case = load_transcript(path).labelled()
        except TranscriptError as exc:
            skipped.append(str(exc))
            continue
        if case is None:
            skipped.append(f"{path}: no labels")
        else:
            cases.append(case)
    return cases, skipped


def parse_transcript(data: Any) -> TranscriptModel:
    try:
        return TranscriptModel.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'transcript'}: {err['msg']}" for err in exc.errors()[:5]
        )
        raise TranscriptError(f"not a valid transcript: {problems}") from exc


def load_transcript(path: Path) -> TranscriptModel:
    try:
        size = path.stat().st_size
        if size > MAX_TRANSCRIPT_BYTES:
            raise TranscriptError(f"{path}: {size:,} bytes is larger than the {MAX_TRANSCRIPT_BYTES:,}-byte limit")
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TranscriptError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise TranscriptError(f"{path}: not valid UTF-8 JSON: {exc}") from exc
    try:
        return parse_transcript(data)
    except TranscriptError as exc:
        raise TranscriptError(f"{path}: {exc}") from exc


class RetrievalQueryModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1)
    query: str = Field(min_length=1)
    relevant: list[str] = Field(min_length=1)


class ClarifyItemModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question_id: str = Field(min_length=1)
    text: str = Field(min_length=1)
    fact_ids: list[str]
    kind: ClarifyKind

    @model_validator(mode="after")
    def _facts_fit_the_kind(self) -> ClarifyItemModel:
        wanted = {ClarifyKind.SINGLE: 1, ClarifyKind.DOUBLE: 2}.get(self.kind, 0)
        if len(self.fact_ids) != wanted:
            raise ValueError(f"a {self.kind.value} item names {wanted} fact id(s), got {len(self.fact_ids)}")
        return self

    def to_domain(self) -> ClarifyItem:
        return ClarifyItem(self.question_id, self.text, tuple(self.fact_ids), self.kind)


def _json_lines(path: Path) -> list[tuple[int, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TranscriptError(f"{path}: cannot read: {exc}") from exc
    return [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]


def _row_error(path: Path, number: int, exc: ValidationError) -> TranscriptError:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return TranscriptError(f"{path}:{number}: {where + ': ' if where else ''}{err['msg']}")


def load_retrieval_queries(path: Path) -> list[RetrievalQuery]:
    """One JSON object per line; the first bad line is reported with its number."""
    queries = []
    for number, line in _json_lines(path):
        try:
            row = RetrievalQueryModel.model_validate_json(line)
        except ValidationError as exc:
            raise _row_error(path, number, exc) from exc
        queries.append(RetrievalQuery(row.id, row.query, frozenset(row.relevant)))
    return queries


def load_clarify_items(path: Path) -> list[ClarifyItem]:
    """Clarifying-question items from one JSON-lines file, or every `*.jsonl` under a folder (sorted by name)."""
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    if not files:
        raise TranscriptError(f"{path}: no .jsonl files")
    items = []
    for file in files:
        for number, line in _json_lines(file):
            try:
                items.append(ClarifyItemModel.model_validate_json(line).to_domain())
            except ValidationError as exc:
                raise _row_error(file, number, exc) from exc
    return items
