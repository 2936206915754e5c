"""The `interviewer` command: serve, questions, chat, score."""

from __future__ import annotations

import importlib
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from interviewer.bootstrap import build_knowledge, build_service, question_bank
from interviewer.config import Settings
from interviewer.domain import LEVELS, Stage
from interviewer.feedback import downloadable_report
from interviewer.profile import ProfileError, profile_path, remember, session_ids
from interviewer.progress import MAX_SESSIONS
from interviewer.questions import BankError
from interviewer.records import ProgressRecord, report_json
from interviewer.service import InterviewService, ServiceError
from interviewer.transcripts import TranscriptError, TranscriptModel, load_transcript
from interviewer.views import progress_markdown

if TYPE_CHECKING:
    from typer._click import Command, Context  # the click that typer vendors and types its groups with

Built = TypeVar("Built")


@dataclass(frozen=True)
class HarnessCommand:
    """A command of the eval harness (the `eval` extra): imported when it is run, so the other commands start without
    scikit-learn, scipy or vcrpy, and work where the extra is not installed."""

    module: str
    function: str
    summary: str  # what `interviewer --help` lists without importing the harness


HARNESS_COMMANDS = {
    "eval": HarnessCommand(
        "interviewer.evals.command", "evaluate", "Measure the judge, the interviewer, clarifying answers or retrieval."
    ),
    "calibrate": HarnessCommand(
        "interviewer.evals.calibrate", "calibrate", "Fit the offline judge's stage model on labelled transcripts."
    ),
}
EVAL_EXTRA_MISSING = (
    "error: `interviewer {name}` needs the eval extra ({package} is missing): pip install 'interviewer[eval]'"
)


def harness_command(name: str) -> Command:
    """The harness command `name`, imported now; a one-line error when the eval extra is not installed."""
    spec = HARNESS_COMMANDS[name]
    try:
        function = getattr(importlib.import_module(spec.module), spec.function)
    except ModuleNotFoundError as exc:
        typer.echo(EVAL_EXTRA_MISSING.format(name=name, package=exc.name), err=True)
        raise typer.Exit(2) from exc
    single = typer.Typer()
    single.command(name)(function)
    return typer.main.get_command(single)


class Commands(TyperGroup):
    """The CLI's commands, the harness's among them: listed from `HARNESS_COMMANDS`, imported only when run."""

    def list_commands(self, ctx: Context) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in HARNESS_COMMANDS if n not in self.commands)]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is None and cmd_name in HARNESS_COMMANDS:
            return TyperCommand(cmd_name, help=HARNESS_COMMANDS[cmd_name].summary)  # a listing, not run
        return found

    def resolve_command(
        self, ctx: Context, args: list[str]
    ) -> tuple[str | None, Command | None, list[str]]:
        name = args[0] if args else None
        if name in HARNESS_COMMANDS and name not in self.commands:
            self.add_command(harness_command(name), name)
        return super().resolve_command(ctx, args)


app = typer.Typer(
    cls=Commands, help="Mock ML system design interviews, offline by default.", no_args_is_help=True
)


def _built(build: Callable[[Settings], Built]) -> Built:
    """What `build` makes from the settings; a one-line error when the question bank is broken."""
    try:
        return build(Settings())
    except BankError as exc:
        typer.echo(f"error: the question bank is broken: {exc}", err=True)
        raise typer.Exit(2) from exc


def _service() -> InterviewService:
    return _built(build_service)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 7860).")] = None,
    local_model: Annotated[
        bool, typer.Option("--local-model", help="Start a local SmolLM2 (llama.cpp) server and use it.")
    ] = False,
) -> None:
    """Run the web app: the page at / and the REST API under /api."""
    from interviewer.llm.local_server import LocalModelUnavailable  # noqa: PLC0415
    from interviewer.web import serve as run_server  # noqa: PLC0415 - gradio loads only for `serve`

    overrides: dict[str, object] = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    if local_model:
        overrides["llm"] = "local"
    try:
        run_server(Settings(**overrides))  # type: ignore[arg-type]
    except LocalModelUnavailable as exc:  # raised while starting, before anything is served
        typer.echo(f"error: the local model cannot start: {exc}", err=True)
        raise typer.Exit(2) from exc


@app.command()
def questions(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List the question bank."""
    bank = _built(question_bank).questions
    if as_json:
        rows = [{"id": q.id, "title": q.title, "domain": q.domain, "levels": list(q.levels)} for q in bank]
        typer.echo(json.dumps(rows, indent=2))
        return
    for q in bank:
        typer.echo(f"{q.id:<24} {q.domain:<16} {q.title}")


def _chat_loop(service: InterviewService, session_id: str) -> None:
    while True:
        try:
            line = input("you> " if sys.stdin.isatty() else "")  # piped: a reply must not follow a prompt
        except EOFError:
            typer.echo(f"\nSaved. Resume with: interviewer chat --session {session_id}")
            return
        command = line.strip().lower()
        try:
            if command == "/end":
                typer.echo(service.end(session_id).feedback_markdown)
                return
            reply = service.hint(session_id) if command == "/hint" else service.reply(session_id, line)
        except ServiceError as exc:
            typer.echo(f"! {exc}", err=True)
            continue
        typer.echo(f"interviewer [{reply.stage.value}]> {reply.message}\n")


@app.command()
def chat(
    question: Annotated[str | None, typer.Option(help="Question id (see `interviewer questions`).")] = None,
    level: Annotated[str | None, typer.Option(help="E4, E5 or E6 (default INTERVIEWER_DEFAULT_LEVEL, E5).")] = None,
    session: Annotated[str | None, typer.Option(help="Resume this session id instead of starting one.")] = None,
    drill: Annotated[
        Stage | None,
        typer.Option(help="Drill one stage (10 minutes, the earlier stages given) on a question not used lately."),
    ] = None,
) -> None:
    """An interview in the terminal. Type /hint for a hint and /end to finish and get feedback."""
    service = _service()
    try:
        if session:
            found = service.session(session)
            last = found.turns[-1].content if found.turns else ""
            typer.echo(f"Resuming {found.id} ({found.question_id}).\ninterviewer> {last}\n")
            session_id = found.id
        else:
            chosen = next((known for known in LEVELS if known == level), None)
            if level is not None and chosen is None:
                raise typer.BadParameter(f"level must be one of {', '.join(LEVELS)}")
            started = service.start(question, chosen, drill_stage=drill, recent=_profile_sessions() if drill else ())
            session_id = started.session.id
            _remember(session_id)
            typer.echo(f"Session {session_id}. Type /hint for a hint, /end to finish.\n")
            typer.echo(f"interviewer> {started.message}\n")
    except ServiceError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    _chat_loop(service, session_id)


def _profile_sessions() -> list[str]:
    """The local profile's sessions (a drill avoids their latest questions); none when it cannot be read."""
    try:
        return session_ids(profile_path(Settings().data_dir))[-MAX_SESSIONS:]
    except ProfileError:
        return []


def _remember(session_id: str) -> None:
    """The session joins the local profile (`interviewer progress`); a damaged profile is reported, not replaced."""
    try:
        remember(profile_path(Settings().data_dir), session_id)
    except (ProfileError, OSError) as exc:
        typer.echo(f"warning: this session is not in your progress: {exc}", err=True)


@app.command()
def progress(
    sessions: Annotated[
        str | None, typer.Option(help="Comma-separated session ids (default: those `interviewer chat` started here).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (the shape of GET /api/progress).")] = False,
) -> None:
    """Your progress over finished interviews: each stage's scores and level, the weakest stages, what to drill next."""
    settings = Settings()
    try:
        ids = [s.strip() for s in sessions.split(",") if s.strip()] if sessions else session_ids(
            profile_path(settings.data_dir)
        )
        service = _service()
        found = service.practice(ids)
    except (ProfileError, ServiceError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(ProgressRecord.of(found).model_dump_json(indent=2))
        return
    titles = {stage: guide.title for stage, guide in service.flow().guides.items()}
    typer.echo(progress_markdown(found, titles, service.clock()))


@app.command("model-answer")
def model_answer(session_id: Annotated[str, typer.Argument(help="An ended session's id.")]) -> None:
    """What a strong answer to that interview's question looks like, your covered points marked (once it has ended)."""
    try:
        answer = _service().model_answer(session_id)
    except ServiceError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(answer.markdown)


@app.command()
def score(
    file: Annotated[Path, typer.Argument(help="A transcript JSON file in the eval format.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    as_markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the feedback as Markdown with the radar chart embedded.")
    ] = False,
) -> None:
    """Score a recorded transcript and print the report (plain feedback by default)."""
    service = _service()
    try:
        transcript = load_transcript(file).to_domain()
    except TranscriptError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    report = service.score(transcript)
    if as_json:
        typer.echo(report_json(report, indent=2))
    elif as_markdown:
        typer.echo(downloadable_report(service.flow(), report.scores(), report.feedback_markdown))
    else:
        typer.echo(report.feedback_markdown)


@app.command()
def index(
    paths: Annotated[list[Path] | None, typer.Argument(help="Your own .md, .txt or .pdf files or folders.")] = None,
) -> None:
    """Bring the knowledge index up to date; with PATHs, add your own material to a separate collection."""
    settings = Settings()
    started = time.perf_counter()
    knowledge = build_knowledge(settings)
    notes = knowledge.notes.hashes()
    typer.echo(f"knowledge notes: {len(notes)} chunks indexed")
    if paths:
        missing = [p for p in paths if not p.exists()]
        for path in missing:
            typer.echo(f"skipped {path}: no such file or folder", err=True)
        result, found = knowledge.index_material([p for p in paths if p.exists()])
        for path, reason in found.skipped:
            typer.echo(f"skipped {path}: {reason}", err=True)
        typer.echo(
            f"your material: {found.files} file(s) read, {len(found.skipped) + len(missing)} skipped; "
            f"{result.added} chunks added, {result.updated} updated, {result.removed} removed, "
            f"{result.unchanged} unchanged"
        )
    typer.echo(f"done in {time.perf_counter() - started:.2f} s")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("--k", min=1, max=50, help="How many results.")] = 5,
    stage: Annotated[Stage | None, typer.Option(help="Only chunks about this stage.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Hybrid (dense + BM25) search over the knowledge notes and your own material."""
    if not query.strip():
        typer.echo("error: the query is empty", err=True)
        raise typer.Exit(2)
    passages = build_knowledge(Settings()).retriever().search(query, k, stage)
    rows = [
        {"chunk_id": p.chunk_id, "source": p.source, "heading": p.heading, "text": p.text, "score": p.score}
        for p in passages
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        typer.echo(f"{row['score']:.4f}  {row['source']} § {row['heading']}")


@app.command("export")
def export_transcript(session_id: str) -> None:
    """Print a stored session as a transcript (eval format JSON)."""
    service = _service()
    try:
        typer.echo(TranscriptModel.of_session(service.session(session_id)).to_json())
    except ServiceError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


def main() -> None:
    app()


__all__ = ["app", "main"]
