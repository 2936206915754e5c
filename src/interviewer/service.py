"""The service layer every front door calls: start, reply, hint, end, read. Errors are typed and carry a message."""

from __future__ import annotations

import random
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from interviewer.domain import (
    LEVELS,
    STAGES,
    Level,
    Question,
    Report,
    Retriever,
    Session,
    Stage,
    Transcript,
    Turn,
    TurnKind,
)
from interviewer.events import NoticeEvent, TokenEvent
from interviewer.feedback import cite, with_feedback
from interviewer.judge import Judge
from interviewer.policy import Interviewer, Move, Progress
from interviewer.questions import QuestionBank
from interviewer.storage import SessionStore
from interviewer.text import sentences

MIN_MINUTES, MAX_MINUTES = 5.0, 240.0


class ServiceError(Exception):
    """Base for errors a front door turns into a clear message."""


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    pass


class InvalidInput(ServiceError):
    pass


@dataclass(frozen=True)
class Started:
    session: Session
    question: Question
    message: str


@dataclass(frozen=True)
class Reply:
    message: str
    stage: Stage
    coverage: dict[Stage, float]
    kind: TurnKind = TurnKind.MESSAGE
    finished: bool = False
    chunk_ids: tuple[str, ...] = ()
    notice: str | None = None


@dataclass(frozen=True)
class Event:
    """What the front doors stream: `token` (checked text), `notice`, `stage_changed`, `hint`, and a final `message`."""

    type: Literal["token", "message", "stage_changed", "hint", "notice"]
    text: str = ""
    reply: Reply | None = None


ReadTexts = Callable[[Sequence[str]], None]
_FINISHED_SENTENCE = re.compile(r"[.!?]\s*$|\n\s*$")


class DraftReader:
    """Reads messages ahead while they are typed: the newest draft of each session, one at a time, on one background
    thread (started on the first draft); a draft replaced before its turn is never read. A failure to read ahead
    costs nothing but the time saved: the turn reads the sentences itself."""

    def __init__(self, read: ReadTexts) -> None:
        self._read = read
        self.failures = 0  # drafts whose reading raised
        self._pending: dict[str, tuple[str, ...]] = {}
        self._reading = False
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def submit(self, key: str, texts: Sequence[str]) -> None:
        with self._changed:
            self._pending[key] = tuple(texts)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="draft-reader", daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def wait(self, timeout: float) -> bool:
        """Whether every draft submitted so far was read within `timeout` seconds."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._pending and not self._reading, timeout)

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: bool(self._pending))
                _, texts = self._pending.popitem()
                self._reading = True
            try:
                self._read(texts)
            except Exception:  # reading ahead only saves time: the turn reads what it needs itself
                self.failures += 1
            finally:
                with self._changed:
                    self._reading = False
                    self._changed.notify_all()


def finished_sentences(draft: str) -> list[str]:
    """The sentences of a message being typed that are finished: all but the last, unless the draft ends on a
    sentence's closing mark (the message is often sent right after it) or a new line."""
    said = sentences(draft)
    return said if _FINISHED_SENTENCE.search(draft) else said[:-1]


def _random_choice(questions: Sequence[Question]) -> Question:
    return random.SystemRandom().choice(list(questions))


@dataclass(frozen=True)
class InterviewService:
    bank: QuestionBank
    store: SessionStore
    interviewer: Interviewer
    judge: Judge
    max_message_chars: int = 8000
    clock: Callable[[], float] = time.time
    new_id: Callable[[], str] = field(default=lambda: secrets.token_urlsafe(18))
    choose: Callable[[Sequence[Question]], Question] = _random_choice
    retriever: Retriever | None = None
    backend: str = "offline"
    scoring_slots: threading.BoundedSemaphore = field(default_factory=lambda: threading.BoundedSemaphore(1))
    prepared: threading.Event = field(default_factory=threading.Event)
    drafts: DraftReader | None = None  # reads a message's finished sentences while it is typed

    def prepare(self) -> None:
        """Embed every question's reference texts (kept on disk in the data folder, so a restart only reads them):
        after this no candidate's turn or report waits for them. The web server runs it in the background."""
        for question in self.bank.questions:
            self.interviewer.prepare(question)
            self.judge.prepare(question)
        self.prepared.set()

    def questions(self) -> tuple[Question, ...]:
        return self.bank.questions

    def question(self, question_id: str) -> Question:
        found = self.bank.get(question_id)
        if found is None:
            raise NotFound(f"unknown question id {question_id!r}; list them with GET /api/questions")
        return found

    def start(self, question_id: str | None = None, level: Level = "E5", minutes: float | None = None) -> Started:
        if level not in LEVELS:
            raise InvalidInput(f"level must be one of {', '.join(LEVELS)}")
        if minutes is not None and not MIN_MINUTES <= minutes <= MAX_MINUTES:
            raise InvalidInput(f"interview length must be {MIN_MINUTES:g} to {MAX_MINUTES:g} minutes")
        question = self.question(question_id) if question_id else self.choose(self.bank.questions)
        move = self.interviewer.opening(question)
        opening = Turn("interviewer", move.text, stage=move.stage, at=self.clock())
        session = Session(self.new_id(), question.id, level, self.clock(), (opening,), minutes=minutes)
        self.store.create(session)
        return Started(session, question, move.text)

    def session(self, session_id: str) -> Session:
        found = self.store.load(session_id)
        if found is None:
            raise NotFound(f"no session with id {session_id!r}")
        return found

    def _open_session(self, session_id: str) -> tuple[Session, Question]:
        session = self.session(session_id)
        if session.ended:
            raise Conflict("this interview has ended; start a new one")
        return session, self.question(session.question_id)

    def read_ahead(self, session_id: str, draft: str) -> int:
        """Read the finished sentences of a message still being typed (`finished_sentences`) in the background, so the
        turn that sends it waits only for what was typed last. Returns how many sentences were handed over (0 without
        a reader). An unknown or ended session, or a draft over the message limit, is an error, as for `reply`."""
        self._open_session(session_id)
        finished = finished_sentences(self._storable(draft))
        if self.drafts is None or not finished:
            return 0
        self.drafts.submit(session_id, finished)
        return len(finished)

    def _storable(self, content: str) -> str:
        """Text any store can hold (lone surrogates and NUL characters become U+FFFD), within the length limit."""
        text = content.encode("utf-8", "surrogatepass").decode("utf-8", "replace").replace("\x00", "\ufffd")
        if len(text.strip()) > self.max_message_chars:
            raise InvalidInput(
                f"message is too long: {len(text.strip()):,} characters (the limit is {self.max_message_chars:,})"
            )
        return text

    def clean_message(self, content: str) -> str:
        """Trimmed text any store can hold: lone surrogates and NUL characters become U+FFFD."""
        text = self._storable(content).strip()
        if not text:
            raise InvalidInput("message is empty: type an answer or a clarifying question")
        return text

    def reply(self, session_id: str, content: str) -> Reply:
        for event in self.reply_events(session_id, content):
            if event.reply is not None and event.type == "message":
                return event.reply
        raise ServiceError("the interviewer produced no reply")  # pragma: no cover - streams always end in a message

    def reply_events(self, session_id: str, content: str) -> Iterator[Event]:
        """Stream the reply; both turns are stored before the final `message` event, so none is ever lost."""
        text = self.clean_message(content)
        session, question = self._open_session(session_id)
        now = self.clock()
        before = _current_stage(session.turns)
        notices: list[str] = []
        move: Move | None = None
        for item in self.interviewer.stream(question, session.turns, text, now, session.minutes):
            if isinstance(item, TokenEvent):
                yield Event("token", item.text)
            elif isinstance(item, NoticeEvent):
                notices.append(item.text)
                yield Event("notice", item.text)
            else:
                move = item
        if move is None:
            raise ServiceError("the interviewer produced no reply")
        said = Turn("candidate", text, stage=before, at=now)
        answer = Turn("interviewer", move.text, move.kind, move.stage, now, move.chunk_ids)
        self.store.append(session.id, [said, answer])
        if move.stage is not before:
            yield Event("stage_changed", move.stage.value)
        yield Event("message", move.text, _reply(move, " ".join(notices) or None))

    def hint(self, session_id: str) -> Reply:
        session, question = self._open_session(session_id)
        move = self.interviewer.hint(question, session.turns, session.minutes)
        hint = Turn("interviewer", move.text, move.kind, move.stage, self.clock(), move.chunk_ids)
        self.store.append(session.id, [hint])
        return _reply(move)

    def end(self, session_id: str) -> Report:
        session, question = self._open_session(session_id)
        transcript = Transcript(session.id, session.turns, question.id, level=session.level)
        with self.scoring_slots:  # scoring is the heaviest call: a few at a time, so live turns stay fast
            report = self.assess(transcript, question, question.title)
        self.store.finish(session.id, report.to_dict())
        return report

    def assess(self, transcript: Transcript, question: Question | None, title: str) -> Report:
        """Judge, cite the knowledge behind each gap, and write the feedback."""
        report = self.judge.score(transcript, question)
        if self.retriever is not None:
            report = cite(self.bank.flow, report, question, self.retriever)
        return with_feedback(self.bank.flow, report, title)

    def progress(self, session: Session) -> Progress:
        return self.interviewer.progress(self.question(session.question_id), session.turns, session.minutes)

    def stored_report(self, session_id: str) -> dict[str, Any] | None:
        return self.report_of(self.session(session_id))

    def report_of(self, session: Session) -> dict[str, Any] | None:
        """The stored report of a session already loaded; None until it has ended."""
        return self.store.report(session.id) if session.ended else None

    def score(self, transcript: Transcript) -> Report:
        """Score any transcript: against its question when the bank has it, else against the generic flow."""
        question = self.bank.get(transcript.question_id) if transcript.question_id else None
        title = question.title if question else (transcript.question_text or "ML system design")
        return self.assess(transcript, question, title)


def _current_stage(turns: Sequence[Turn]) -> Stage:
    return next((t.stage for t in reversed(turns) if t.role == "interviewer" and t.stage), STAGES[0])


def _reply(move: Move, notice: str | None = None) -> Reply:
    return Reply(move.text, move.stage, dict(move.coverage), move.kind, move.finished, move.chunk_ids, notice)


def transcript_dict(session: Session) -> dict[str, Any]:
    """A stored session in the eval transcript format."""
    return {
        "id": session.id,
        "question_id": session.question_id,
        "level": session.level,
        "source": "interviewer",
        "turns": [turn_dict(t) for t in session.turns],
    }


def turn_dict(turn: Turn) -> dict[str, Any]:
    """A turn in the transcript format; hints and notices keep their kind, grounded turns their chunk ids."""
    out: dict[str, Any] = {"role": turn.role, "content": turn.content}
    if turn.chunk_ids:
        out["chunk_ids"] = list(turn.chunk_ids)
    if turn.kind is not TurnKind.MESSAGE:
        out["kind"] = turn.kind.value
    if turn.stage is not None:
        out["stage"] = turn.stage.value
    return out
