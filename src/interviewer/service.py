"""The service layer every front door calls: start, reply, hint, end, read. Errors are typed and carry a message."""

from __future__ import annotations

import logging
import random
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from interviewer.ask import MAX_QUESTION_CHARS, OfflineAsker, ReportAnswer, ReportAsker
from interviewer.domain import (
    DEFAULT_LEVEL,
    DEFAULT_MINUTES,
    DRILL_MINUTES,
    LEVELS,
    MAX_MINUTES,
    MIN_MINUTES,
    STAGES,
    Flow,
    Level,
    Question,
    Reply,
    Report,
    Retriever,
    Session,
    Shape,
    Stage,
    Transcript,
    Turn,
)
from interviewer.drill import drill_report, fresh_questions
from interviewer.events import NoticeEvent, ReplyEvent, ServiceEvent, StageChangedEvent, TokenEvent
from interviewer.feedback import cite, with_feedback
from interviewer.judge import Judge
from interviewer.model_answer import ModelAnswer, model_answer
from interviewer.policy import Interviewer, Move, Progress
from interviewer.progress import MAX_SESSIONS, Attempt, PracticeProgress, practice_progress
from interviewer.questions import QuestionBank
from interviewer.records import reply_from_json, reply_json
from interviewer.session_store import AlreadyDone, RequestKey, SessionEnded, SessionStore
from interviewer.text import sentences


class ServiceError(Exception):
    """Base for errors a front door turns into a clear message."""


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    pass


class InvalidInput(ServiceError):
    pass


log = logging.getLogger(__name__)
ENDED = "this interview has ended; start a new one"
SLOW_TURN_S = 1.0  # an offline turn that takes longer is logged (the target is a p95 of 50 ms); see `slow_turn_s`
SLOW_SCORING_S = 5.0  # so is a report that takes longer (scoring one interview: about 2 s)


def refused(reason: str) -> InvalidInput:
    """The error for input the service refuses, logged with its reason (never the text itself)."""
    log.info("refused input: %s", reason)
    return InvalidInput(reason)


@dataclass(frozen=True)
class Started:
    session: Session
    question: Question
    message: str


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


def _log_if_slow(what: str, session_id: str, seconds: float, limit: float) -> None:
    if seconds > limit:
        log.warning("slow %s: %.2f s for session %s", what, seconds, session_id)


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
    default_level: Level = DEFAULT_LEVEL
    default_minutes: float = DEFAULT_MINUTES  # what the page offers first; the interviewer's own length is the same
    slow_turn_s: float = SLOW_TURN_S  # a turn taking longer is logged (with a model, its timeout: `bootstrap`)
    asker: ReportAsker = field(default_factory=OfflineAsker)  # answers questions about a report

    def prepare(self) -> None:
        """Embed every question's reference texts (kept on disk in the data folder, so a restart only reads them):
        after this no candidate's turn or report waits for them. The web server runs it in the background."""
        for question in self.bank.questions:
            self.interviewer.prepare(question)
            self.judge.prepare(question)
        self.prepared.set()

    def questions(self) -> tuple[Question, ...]:
        return self.bank.questions

    def flow(self) -> Flow:
        """The design flow: the stages' titles and order, for front doors that draw them."""
        return self.bank.flow

    def question(self, question_id: str) -> Question:
        found = self.bank.get(question_id)
        if found is None:
            raise NotFound(f"unknown question id {question_id!r}; list them with GET /api/questions")
        return found

    def start(
        self,
        question_id: str | None = None,
        level: Level | None = None,
        minutes: float | None = None,
        *,
        drill_stage: Stage | None = None,
        recent: Sequence[str] = (),
    ) -> Started:
        """A new session; `level` and `minutes` left out take the configured defaults (`default_level`, and the
        interviewer's own length; a drill's is `DRILL_MINUTES`). A stage drill (`drill_stage`) with no question named
        is held on one the sessions `recent` (the candidate's own) did not use lately."""
        level = level or self.default_level
        if level not in LEVELS:
            raise refused(f"level must be one of {', '.join(LEVELS)}")
        longest = MAX_MINUTES if drill_stage is None else DRILL_MINUTES
        if minutes is not None and not MIN_MINUTES <= minutes <= longest:
            what = "interview" if drill_stage is None else "stage drill"
            raise refused(f"{what} length must be {MIN_MINUTES:g} to {longest:g} minutes")
        if len(recent) > MAX_SESSIONS:
            raise refused(f"at most {MAX_SESSIONS} recent sessions (got {len(recent)})")
        if drill_stage is not None:
            minutes = minutes or DRILL_MINUTES
        question = self.question(question_id) if question_id else self.choose(self._choices(drill_stage, recent))
        move = self.interviewer.opening(question, Shape(minutes, drill_stage))
        opening = Turn("interviewer", move.text, stage=move.stage, at=self.clock())
        session = Session(self.new_id(), question.id, level, self.clock(), (opening,), minutes=minutes,
                          drill_stage=drill_stage)
        self.store.create(session)
        return Started(session, question, move.text)

    def _choices(self, drill_stage: Stage | None, recent: Sequence[str]) -> tuple[Question, ...]:
        """The questions to choose from: all of them, or for a drill those the recent sessions did not use."""
        if drill_stage is None:
            return self.bank.questions
        found = [s for s in (self.store.load(i) for i in dict.fromkeys(recent)) if s is not None]
        newest_first = [s.question_id for s in sorted(found, key=lambda s: -s.created_at)]
        return fresh_questions(self.bank.questions, newest_first)

    def session(self, session_id: str) -> Session:
        found = self.store.load(session_id)
        if found is None:
            raise NotFound(f"no session with id {session_id!r}")
        return found

    def _open_session(self, session_id: str) -> tuple[Session, Question]:
        session = self.session(session_id)
        if session.ended:
            raise Conflict(ENDED)
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
            raise refused(
                f"message is too long: {len(text.strip()):,} characters (the limit is {self.max_message_chars:,})"
            )
        return text

    def clean_message(self, content: str) -> str:
        """Trimmed text any store can hold: lone surrogates and NUL characters become U+FFFD."""
        text = self._storable(content).strip()
        if not text:
            raise refused("message is empty: type an answer or a clarifying question")
        return text

    def reply(self, session_id: str, content: str, key: str | None = None) -> Reply:
        """The interviewer's reply, both turns stored. A client that sends an idempotency `key` and retries with it
        gets the reply stored the first time, and no turn is added again."""
        done = self.store.response_for(session_id, key) if key is not None else None
        if done is not None:
            return reply_from_json(done)
        for event in self.reply_events(session_id, content, key):
            if isinstance(event, ReplyEvent):
                return event.reply
        raise ServiceError("the interviewer produced no reply")  # pragma: no cover - streams always end in a message

    def reply_events(self, session_id: str, content: str, key: str | None = None) -> Iterator[ServiceEvent]:
        """Stream the reply; both turns are stored before the final `ReplyEvent`, so none is ever lost (with a `key`
        stored before, by a request racing this one, the final event carries that request's reply)."""
        started = time.perf_counter()
        text = self.clean_message(content)
        session, question = self._open_session(session_id)
        now = self.clock()
        before = _current_stage(session.turns)
        notices: list[str] = []
        move: Move | None = None
        for item in self.interviewer.stream(question, session.turns, text, now, session.shape()):
            if isinstance(item, NoticeEvent):
                notices.append(item.text)
            if isinstance(item, TokenEvent | NoticeEvent):
                yield item
            else:
                move = item
        if move is None:
            raise ServiceError("the interviewer produced no reply")
        said = Turn("candidate", text, stage=before, at=now)
        answer = Turn("interviewer", move.text, move.kind, move.stage, now, move.chunk_ids)
        reply = _reply(move, " ".join(notices) or None)
        stored = self._append(session.id, [said, answer], RequestKey(key, reply_json(reply)) if key else None)
        _log_if_slow("turn", session.id, time.perf_counter() - started, self.slow_turn_s)
        if stored is not None:
            yield ReplyEvent(stored)
            return
        if move.stage is not before:
            yield StageChangedEvent(move.stage)
        yield ReplyEvent(reply)

    def hint(self, session_id: str) -> Reply:
        session, question = self._open_session(session_id)
        move = self.interviewer.hint(question, session.turns, session.shape())
        hint = Turn("interviewer", move.text, move.kind, move.stage, self.clock(), move.chunk_ids)
        self._append(session.id, [hint])
        return _reply(move)

    def _append(self, session_id: str, turns: list[Turn], request: RequestKey | None = None) -> Reply | None:
        """Store the turns; the reply stored before when the request's key was carried out already (nothing added)."""
        try:
            self.store.append(session_id, turns, request)
        except SessionEnded as exc:  # the end was claimed while this turn was composed: it is not stored
            raise Conflict(ENDED) from exc
        except AlreadyDone as done:
            return reply_from_json(done.response)
        return None

    def _ended_by(self, session_id: str, key: str) -> bool:
        """Whether `end` with this idempotency key finished the session (a retry then reads the stored report)."""
        return self.store.response_for(session_id, key) == END_RESPONSE

    def end(self, session_id: str, key: str | None = None) -> Report:
        """Claim the end first, so no turn is added while the report is written; then score every turn stored by
        then (read again after the claim). If scoring fails, the claim is released and nothing is lost. A `key` is
        stored with the report, and a retry with that key returns the stored report."""
        stored = self.stored_report(session_id) if key is not None and self._ended_by(session_id, key) else None
        if stored is not None:
            return stored
        self._open_session(session_id)
        if not self.store.claim_end(session_id):
            raise Conflict(ENDED)
        try:
            report = self._score_claimed(self.session(session_id))
        except BaseException:
            self.store.release_end(session_id)
            raise
        self.store.finish(session_id, report, RequestKey(key, END_RESPONSE) if key else None)
        return report

    def _score_claimed(self, session: Session) -> Report:
        question = self.question(session.question_id)
        transcript = Transcript(session.id, session.turns, question.id, level=session.level)
        started = time.perf_counter()
        with self.scoring_slots:  # scoring is the heaviest call: a few at a time, so live turns stay fast
            report = self.assess(transcript, question, question.title, drill=session.drill_stage)
        _log_if_slow("report", session.id, time.perf_counter() - started, SLOW_SCORING_S)
        return report

    def assess(
        self, transcript: Transcript, question: Question | None, title: str, *, drill: Stage | None = None
    ) -> Report:
        """Judge (a drill: its stage alone), cite the knowledge behind each gap, and write the feedback."""
        report = self.judge.score(transcript, question)
        if drill is not None:
            report = drill_report(report, drill)
        if self.retriever is not None:
            report = cite(self.bank.flow, report, question, self.retriever)
        return with_feedback(self.bank.flow, report, title)

    def progress(self, session: Session) -> Progress:
        return self.interviewer.progress(self.question(session.question_id), session.turns, session.shape())

    def stored_report(self, session_id: str) -> Report | None:
        return self.report_of(self.session(session_id))

    def model_answer(self, session_id: str) -> ModelAnswer:
        """What a strong answer to this session's question looks like, its covered points marked: only once the
        interview has ended (before, it would hand the candidate the answers)."""
        session = self.session(session_id)
        report = self.report_of(session)
        if report is None:
            raise Conflict("the model answer is shown once the interview has ended")
        question = self.question(session.question_id)
        return model_answer(question, self.bank.flow, self.bank.flags, report)

    def ask(self, session_id: str, asked: str) -> ReportAnswer:
        """An answer to a question about an ended interview's report, from the report, the rubric and the question's
        expected points only (409 while it is open: the answer would give the points away)."""
        text = asked.strip()
        if not text:
            raise InvalidInput("the question is empty")
        if len(text) > MAX_QUESTION_CHARS:
            raise InvalidInput(f"the question is longer than {MAX_QUESTION_CHARS} characters")
        session = self.session(session_id)
        report = self.report_of(session)
        if report is None:
            raise Conflict("questions about the report can be asked once the interview has ended")
        question = self.question(session.question_id)
        return self.asker.answer(text, report, question, self.bank.flow, self.bank.rubric)

    def practice(self, session_ids: Sequence[str]) -> PracticeProgress:
        """Progress over these sessions only (a browser's own, or the CLI profile's): unknown ids and unfinished
        sessions are left out, never an error, since a browser's list outlives a reset database."""
        if len(session_ids) > MAX_SESSIONS:
            raise InvalidInput(f"at most {MAX_SESSIONS} sessions at a time (got {len(session_ids)})")
        attempts = []
        for session_id in dict.fromkeys(session_ids):
            session = self.store.load(session_id)
            report = self.report_of(session) if session is not None else None
            if session is not None and report is not None:
                attempts.append(Attempt(session, report))
        return practice_progress(attempts, self.clock())

    def report_of(self, session: Session) -> Report | None:
        """The stored report of a session already loaded; None until it has ended."""
        return self.store.report(session.id) if session.ended else None

    def score(self, transcript: Transcript) -> Report:
        """Score any transcript: against its question when the bank has it, else against the generic flow."""
        question = self.bank.get(transcript.question_id) if transcript.question_id else None
        title = question.title if question else (transcript.question_text or "ML system design")
        return self.assess(transcript, question, title)


def _current_stage(turns: Sequence[Turn]) -> Stage:
    return next((t.stage for t in reversed(turns) if t.role == "interviewer" and t.stage), STAGES[0])


END_RESPONSE = "report"  # what an idempotency key of `end` answered: the stored report


def _reply(move: Move, notice: str | None = None) -> Reply:
    return Reply(move.text, move.stage, dict(move.coverage), move.kind, move.finished, move.chunk_ids, notice)
