"""The REST API under /api: JSON in and out, over the same service the page and the CLI use."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Body, Depends, FastAPI, Header, HTTPException, Query, Request, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from interviewer.domain import MAX_MINUTES, MIN_MINUTES, Level, Reply, Stage
from interviewer.progress import MAX_SESSIONS
from interviewer.records import ProgressRecord, ReportRecord
from interviewer.service import Conflict, InterviewService, InvalidInput, NotFound, ServiceError
from interviewer.transcripts import TranscriptModel

ERROR_STATUS: dict[type[ServiceError], int] = {
    NotFound: status.HTTP_404_NOT_FOUND,
    Conflict: status.HTTP_409_CONFLICT,
    InvalidInput: status.HTTP_422_UNPROCESSABLE_CONTENT,
}


class ErrorOut(BaseModel):
    detail: str = Field(description="What went wrong, in a sentence a person can act on.")


ERRORS: dict[int | str, dict[str, object]] = {
    status.HTTP_404_NOT_FOUND: {"model": ErrorOut, "description": "No such session or question."},
    status.HTTP_409_CONFLICT: {"model": ErrorOut, "description": "The interview has ended (or has not, for a report)."},
}
UNAUTHORIZED: dict[int | str, dict[str, object]] = {
    status.HTTP_401_UNAUTHORIZED: {"model": ErrorOut, "description": "A bearer token is configured and was not sent."},
}


class HealthOut(BaseModel):
    status: str
    prepared: bool = Field(description="Every question's reference texts are embedded: no turn waits for them.")


class QuestionOut(BaseModel):
    id: str
    title: str
    domain: str
    levels: list[Level]
    prompt: str


class StartIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question_id: str | None = Field(default=None, min_length=1, max_length=200)
    level: Level | None = Field(default=None, description="E4, E5 or E6; left out, the configured default level.")
    minutes: float | None = Field(default=None, ge=MIN_MINUTES, le=MAX_MINUTES, description="Interview length.")
    drill_stage: Stage | None = Field(
        default=None, description="Start a stage drill: a short interview on this stage alone, the earlier ones given."
    )
    sessions: list[Annotated[str, Field(max_length=200)]] = Field(
        default=[], max_length=MAX_SESSIONS,
        description="This browser's session ids: a drill without a question_id avoids their latest questions.",
    )


class StartQuestion(BaseModel):
    id: str
    title: str
    prompt: str


class StartOut(BaseModel):
    session_id: str
    question: StartQuestion
    message: str
    drill_stage: Stage | None = Field(default=None, description="The drilled stage; null for a whole interview.")
    minutes: float | None = Field(default=None, description="The session's length; null means the server's default.")


# A client's key for a request it may retry (RFC draft "The Idempotency-Key HTTP Header Field"): any string it
# chooses per request, such as a UUID.
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", min_length=1, max_length=200)]


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    content: str


class DraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    content: str


class DraftOut(BaseModel):
    sentences: int  # finished sentences handed to the reader; the message's turn will not wait for them


class ReplyOut(BaseModel):
    message: str
    stage: Stage
    coverage: dict[Stage, float]
    finished: bool
    notice: str | None = None


class ModelAnswerOut(BaseModel):
    markdown: str = Field(description="The whole walkthrough, one section per stage.")
    stages: dict[Stage, str] = Field(description="Each stage's walkthrough (Markdown).")


class AskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str = Field(description="About the report, e.g. 'why 2 in metrics?'")


class AskOut(BaseModel):
    answer: str = Field(description="Markdown, from the report, the rubric and the question's expected points.")
    quotes: list[str] = Field(description="The candidate's own sentences the answer cites.")
    stage: Stage = Field(description="The stage the answer is about.")
    notice: str | None = Field(default=None, description="Why a model's answer was not used, when it was not.")


class TurnOut(BaseModel):
    role: str
    content: str


class SessionOut(BaseModel):
    session_id: str
    question_id: str
    level: Level
    ended: bool
    minutes: float | None = Field(description="The interview's length; null means the server's default.")
    drill_stage: Stage | None = Field(default=None, description="The drilled stage; null for a whole interview.")
    turns: list[TurnOut]


def _reply_out(reply: Reply) -> ReplyOut:
    return ReplyOut(
        message=reply.message,
        stage=reply.stage,
        coverage=dict(reply.coverage),
        finished=reply.finished,
        notice=reply.notice,
    )


def bearer_check(token: str) -> Callable[[Request], None]:
    """Lets a request through only with `Authorization: Bearer <token>` (compared in constant time)."""

    def check(request: Request) -> None:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secrets.compare_digest(given.encode(), token.encode()):
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "missing or wrong token: send Authorization: Bearer <INTERVIEWER_AUTH_TOKEN>",
                headers={"WWW-Authenticate": "Bearer"},
            )

    return check


def health_router(service: InterviewService) -> APIRouter:
    router = APIRouter(prefix="/api")

    @router.get("/health")
    def health() -> HealthOut:
        return HealthOut(status="ok", prepared=service.prepared.is_set())

    return router


def api_router(service: InterviewService, auth_token: str | None = None) -> APIRouter:
    """Every route but /api/health; behind the bearer token when one is configured."""
    guard = [Depends(bearer_check(auth_token))] if auth_token else []
    router = APIRouter(prefix="/api", dependencies=guard, responses=UNAUTHORIZED if auth_token else None)

    @router.get("/questions")
    def questions() -> list[QuestionOut]:
        return [
            QuestionOut(id=q.id, title=q.title, domain=q.domain, levels=list(q.levels), prompt=q.prompt)
            for q in service.questions()
        ]

    @router.post("/sessions", status_code=status.HTTP_201_CREATED, responses={404: ERRORS[404]})
    def start(body: Annotated[StartIn | None, Body()] = None) -> StartOut:
        request = body or StartIn()
        started = service.start(
            request.question_id, request.level, request.minutes, drill_stage=request.drill_stage,
            recent=request.sessions,
        )
        q = started.question
        return StartOut(
            session_id=started.session.id,
            question=StartQuestion(id=q.id, title=q.title, prompt=q.prompt),
            message=started.message,
            drill_stage=started.session.drill_stage,
            minutes=started.session.minutes,
        )

    @router.get("/progress", responses={422: {"model": ErrorOut, "description": "Too many session ids."}})
    def progress(
        sessions: Annotated[str, Query(description="Comma-separated session ids: this browser's own.")] = "",
    ) -> ProgressRecord:
        """Scores per stage over time, the level and weakest stages, the verdict trend and the stage to drill next,
        over the sessions named (unknown or unfinished ones are left out)."""
        ids = [part.strip() for part in sessions.split(",") if part.strip()]
        return ProgressRecord.of(service.practice(ids))

    router.include_router(session_router(service))
    router.include_router(review_router(service))
    return router


def session_router(service: InterviewService) -> APIRouter:
    router = APIRouter(responses=ERRORS)

    @router.post("/sessions/{session_id}/messages")
    def message(session_id: str, body: MessageIn, key: IdempotencyKey = None) -> ReplyOut:
        """Send a message; with an `Idempotency-Key` header, a retry with the same key returns the stored reply
        instead of adding a turn (safe after a dropped connection)."""
        return _reply_out(service.reply(session_id, body.content, key))

    @router.post("/sessions/{session_id}/draft", status_code=status.HTTP_202_ACCEPTED)
    def draft(session_id: str, body: DraftIn) -> DraftOut:
        """The message as typed so far: its finished sentences are read in the background, so sending it is faster.
        Nothing is stored; send the message itself to /messages."""
        return DraftOut(sentences=service.read_ahead(session_id, body.content))

    @router.post("/sessions/{session_id}/hint")
    def hint(session_id: str) -> ReplyOut:
        return _reply_out(service.hint(session_id))

    @router.post("/sessions/{session_id}/end")
    def end(session_id: str, key: IdempotencyKey = None) -> ReportRecord:
        """End and score the interview; a retry with the same `Idempotency-Key` returns the stored report."""
        return ReportRecord.of(service.end(session_id, key))

    @router.get("/sessions/{session_id}")
    def session(session_id: str) -> SessionOut:
        found = service.session(session_id)
        return SessionOut(
            session_id=found.id,
            question_id=found.question_id,
            level=found.level,
            ended=found.ended,
            minutes=found.minutes,
            drill_stage=found.drill_stage,
            turns=[TurnOut(role=t.role, content=t.content) for t in found.turns],
        )

    @router.get("/sessions/{session_id}/transcript", response_model_exclude_none=True)
    def transcript(session_id: str) -> TranscriptModel:
        """The interview in the transcript format `interviewer score` and the evals read."""
        return TranscriptModel.of_session(service.session(session_id))

    @router.get("/sessions/{session_id}/report")
    def report(session_id: str) -> ReportRecord:
        stored = service.stored_report(session_id)
        if stored is None:
            raise Conflict("this interview has not ended yet, so it has no report")
        return ReportRecord.of(stored)

    return router


def review_router(service: InterviewService) -> APIRouter:
    """What an ended interview offers beyond its report: the strong answer and questions to the report (409 before)."""
    router = APIRouter(responses=ERRORS)

    @router.get("/sessions/{session_id}/model-answer")
    def model_answer(session_id: str) -> ModelAnswerOut:
        """What a strong answer looks like, stage by stage, with the candidate's covered points marked; 409 while the
        interview is open."""
        answer = service.model_answer(session_id)
        return ModelAnswerOut(markdown=answer.markdown, stages=dict(answer.stages))

    @router.post("/sessions/{session_id}/ask")
    def ask(session_id: str, body: AskIn) -> AskOut:
        """A question about the ended interview's report, answered from the report, the rubric and the question's
        expected points, quoting the candidate; 409 while the interview is open."""
        answer = service.ask(session_id, body.question)
        return AskOut(answer=answer.answer, quotes=list(answer.quotes), stage=answer.stage, notice=answer.notice)

    return router


async def _service_error(_: Request, exc: Exception) -> JSONResponse:
    code = next((c for kind, c in ERROR_STATUS.items() if isinstance(exc, kind)), status.HTTP_400_BAD_REQUEST)
    return JSONResponse(status_code=code, content={"detail": str(exc)})


def create_api(service: InterviewService, auth_token: str | None = None) -> FastAPI:
    app = FastAPI(
        title="interviewer",
        summary="Mock ML system design interviews",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.include_router(health_router(service))
    app.include_router(api_router(service, auth_token))
    app.add_exception_handler(ServiceError, _service_error)
    return app
