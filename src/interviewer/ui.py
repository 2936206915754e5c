"""The browser page: Gradio Blocks over the service. Event handlers are thin; rendering lives in views.

Tabs: the interview room (start, chat, stage tracker, countdowns, hint, end with confirmation, feedback with chart and
downloads) and history (this browser's past sessions: open, resume, compare two attempts).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import gradio as gr

from interviewer.charts import progress_svg, svg_data_uri
from interviewer.domain import LEVELS, STAGES, Report, Session
from interviewer.events import NoticeEvent, ReplyEvent, StageChangedEvent, TokenEvent
from interviewer.feedback import downloadable_report, stage_chart
from interviewer.progress import MAX_SESSIONS
from interviewer.service import InterviewService, ServiceError
from interviewer.transcripts import TranscriptModel
from interviewer.views import (
    SURPRISE_ME,
    WHOLE_INTERVIEW,
    HistoryEntry,
    chat_messages,
    clock_for,
    clock_html,
    compare_markdown,
    domain_choices,
    history_choices,
    history_headers,
    history_rows,
    length_choices,
    practise_choices,
    progress_markdown,
    question_choices,
    safe_text,
    stage_tracker,
)

BROWSER_KEY = "interviewer-session-id"
HISTORY_KEY = "interviewer-history"
HISTORY_LIMIT = 50
DAY_S = 86_400
Outputs = tuple[Any, ...]


def page_assets() -> tuple[str, str]:
    """(CSS, head HTML) for the page: the styles and the countdown script, files in the package."""
    assets = files("interviewer").joinpath("assets")
    script = assets.joinpath("countdown.js").read_text(encoding="utf-8")
    return assets.joinpath("page.css").read_text(encoding="utf-8"), f"<script>{script}</script>"


class PageHandlers:
    """What each control does. Errors become a visible message, and the typed text stays in the box.

    A "screen" is what the interview tab shows for a session, always in this order: chat, tracker, clock, the feedback
    panel's visibility, feedback Markdown, radar chart, report download, transcript download, the strong answer and
    its download, the answer to a report question and the box for one (both empty: a question is about this report).
    """

    def __init__(
        self, service: InterviewService, exports: Path | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        self._service = service
        # The downloads are written here; a folder of our own goes when `close` is called, or at the latest when the
        # process exits (it had been left behind in the temp folder for good).
        self._own_exports: tempfile.TemporaryDirectory[str] | None = None
        if exports is None:
            self._own_exports = tempfile.TemporaryDirectory(prefix="interviewer-exports-")
            exports = Path(self._own_exports.name)
        self._exports = exports
        self._clock = clock

    def close(self) -> None:
        """Remove the downloads written so far (only from a folder of our own)."""
        if self._own_exports is not None:
            self._own_exports.cleanup()

    # -- rendering -------------------------------------------------------------------------------------------------

    def screen(self, session: Session | None) -> Outputs:
        flow = self._service.flow()
        if session is None:
            return [], stage_tracker(flow, {}, None), clock_html(None), *self._results(None)
        progress = self._service.progress(session)
        tracker = stage_tracker(flow, progress.coverage, progress.stage)
        clock = clock_html(clock_for(progress, self._clock(), ended=session.ended))
        report = self._service.report_of(session)
        return chat_messages(session.turns), tracker, clock, *self._results(session if report else None, report)

    def _results(self, session: Session | None, report: Report | None = None) -> Outputs:
        hidden = gr.update(value=None, visible=False)
        if session is None or report is None:
            return gr.update(visible=False), "", "", hidden, hidden, "", hidden, "", ""
        flow = self._service.flow()
        scores = report.scores()
        markdown = report.feedback_markdown
        stem = f"interview-{session.question_id}-{session.id[:8]}"
        report_path = self._exports / f"{stem}-report.md"
        report_path.write_text(downloadable_report(flow, scores, markdown), encoding="utf-8")
        transcript_path = self._exports / f"{stem}-transcript.json"
        transcript_path.write_text(TranscriptModel.of_session(session).to_json(), encoding="utf-8")
        answer = self._service.model_answer(session.id).markdown
        answer_path = self._exports / f"{stem}-model-answer.md"
        answer_path.write_text(answer, encoding="utf-8")
        return (
            gr.update(visible=True),
            markdown,
            stage_chart(flow, scores),
            gr.update(value=str(report_path), visible=True),
            gr.update(value=str(transcript_path), visible=True),
            answer,
            gr.update(value=str(answer_path), visible=True),
            "",  # no answer to a question about an earlier report
            "",  # nor that question in the box
        )

    # -- the interview ---------------------------------------------------------------------------------------------

    def filter_questions(self, domain: str | None) -> Any:
        return gr.update(choices=question_choices(self._service.questions(), domain or ""), value=SURPRISE_ME)

    def start(
        self,
        question_id: str | None,
        level: str,
        minutes: float | None,
        history: list[str] | None,
        practise: str | None = WHOLE_INTERVIEW,
    ) -> Outputs:
        """(session id, saved id, history ids, *screen). `practise`: a stage id to drill (its own length, on a
        question this browser did not use lately), or the whole interview."""
        chosen = None if not question_id or question_id == SURPRISE_ME else question_id
        drill = next((stage for stage in STAGES if stage.value == practise), None)
        length = None if drill else float(minutes or self._service.default_minutes)
        try:
            known = next((k for k in LEVELS if k == level), None)
            recent = (history or [])[:MAX_SESSIONS]
            started = self._service.start(chosen, known, length, drill_stage=drill, recent=recent)
        except ServiceError as exc:
            raise gr.Error(str(exc)) from exc
        session_id = started.session.id
        remembered = [session_id, *[i for i in (history or []) if i != session_id]][:HISTORY_LIMIT]
        return session_id, session_id, remembered, *self.screen(started.session)

    def read_ahead(self, session_id: str | None, text: str) -> None:
        """While the candidate types: the finished sentences go to the reader, so sending waits only for the last one.
        Silent whatever happens: the message itself, once sent, reports any problem."""
        if not session_id:
            return
        try:
            self._service.read_ahead(session_id, text)
        except ServiceError:
            return

    def send(self, session_id: str, text: str) -> Iterator[Outputs]:
        """(chat, tracker, clock, sent text): checked text streams in; the text is given back once the turn is stored,
        and the page then clears the box only if it still holds that text (`CLEAR_SENT`), never what was typed since."""
        self._require(session_id)
        try:
            chat = chat_messages(self._service.session(session_id).turns)
            chat += [{"role": "user", "content": safe_text(text.strip())}, {"role": "assistant", "content": "…"}]
            partial = ""
            for event in self._service.reply_events(session_id, text):
                match event:
                    case TokenEvent(text=shown):
                        partial += shown
                        chat[-1] = {"role": "assistant", "content": safe_text(partial)}
                        yield list(chat), gr.skip(), gr.skip(), gr.skip()
                    case NoticeEvent(text=notice):
                        gr.Warning(notice)
                    case StageChangedEvent() | ReplyEvent():
                        pass  # the screen is drawn again from the stored session once the turn ends
        except ServiceError as exc:
            raise gr.Error(str(exc)) from exc
        chat, tracker, clock, *_ = self.screen(self._service.session(session_id))
        yield chat, tracker, clock, text

    def hint(self, session_id: str) -> Outputs:
        """(chat, tracker, clock)."""
        self._require(session_id)
        try:
            self._service.hint(session_id)
        except ServiceError as exc:
            raise gr.Error(str(exc)) from exc
        return self.screen(self._service.session(session_id))[:3]

    def ask_to_end(self, session_id: str) -> Any:
        self._require(session_id)
        return gr.update(visible=True)

    def end(self, session_id: str) -> Outputs:
        """(*screen, confirmation row hidden)."""
        self._require(session_id)
        try:
            self._service.end(session_id)
        except ServiceError as exc:
            raise gr.Error(str(exc)) from exc
        return *self.screen(self._service.session(session_id)), gr.update(visible=False)

    def resume(self, saved_id: str | None) -> Outputs:
        """On page load: (session id, *screen) of the interview this browser was in, with every turn."""
        session = self._find(saved_id)
        return (session.id if session else ""), *self.screen(session)

    # -- history ---------------------------------------------------------------------------------------------------

    def _find(self, session_id: str | None) -> Session | None:
        if not session_id:
            return None
        try:
            return self._service.session(session_id)
        except ServiceError:
            return None

    def entries(self, sessions: Sequence[Session]) -> list[HistoryEntry]:
        """Newest first, each with its question's title and its report (if ended)."""
        titles = {q.id: q.title for q in self._service.questions()}
        return [
            HistoryEntry(s, titles.get(s.question_id, s.question_id), self._service.report_of(s))
            for s in sorted(sessions, key=lambda s: -s.created_at)
        ]

    def history(self, ids: list[str] | None) -> Outputs:
        """(table, open picker, compare first, compare second)."""
        entries = self.entries([s for s in (self._find(i) for i in (ids or [])) if s is not None])
        table = gr.update(value=history_rows(entries), headers=history_headers())
        choices = history_choices(entries)
        ended = history_choices([e for e in entries if e.report is not None])
        return table, gr.update(choices=choices, value=None), gr.update(choices=ended, value=None), gr.update(
            choices=ended, value=None
        )

    def ask(self, session_id: str, asked: str) -> str:
        """The answer to a question about this interview's report (Markdown), quoting what the candidate said."""
        self._require(session_id)
        try:
            found = self._service.ask(session_id, asked)
        except ServiceError as exc:
            raise gr.Error(str(exc)) from exc
        return found.answer if found.notice is None else f"{found.answer}\n\n_{found.notice}_"

    def progress(self, ids: list[str] | None) -> tuple[str, str, Any]:
        """(chart HTML, summary Markdown, drill button) over this browser's finished interviews only: the button
        starts a drill of the stage suggested next."""
        found = self._service.practice(list(ids or [])[:MAX_SESSIONS])
        titles = {stage: guide.title for stage, guide in self._service.flow().guides.items()}
        suggested = found.next_drill
        button = gr.update(visible=False) if suggested is None else gr.update(
            value=f"Drill {titles[suggested.stage].lower()} now", visible=True
        )
        if found.attempts == 0:
            return "", progress_markdown(found, titles, self._service.clock()), button
        sessions = list(found.sessions)
        scores = {stage: [(p.session_id, p.score) for p in points] for stage, points in found.stages.items()}
        chart = f'<img src="{svg_data_uri(progress_svg(sessions, scores, titles))}" alt="Stage scores over time">'
        return chart, progress_markdown(found, titles, self._service.clock()), button

    def drill_next(self, level: str, history: list[str] | None) -> Outputs:
        """(session id, saved id, history ids, *screen, selected tab): a drill of the stage Progress suggests next."""
        suggested = self._service.practice(list(history or [])[:MAX_SESSIONS]).next_drill
        if suggested is None:
            raise gr.Error("Finish an interview first: the suggestion comes from your scores.")
        return *self.start(None, level, None, history, suggested.stage.value), gr.Tabs(selected="interview")

    def open(self, session_id: str | None) -> Outputs:
        """(session id, saved id, *screen, selected tab): read an ended interview or carry on an unfinished one."""
        session = self._find(session_id)
        if session is None:
            raise gr.Error("Pick a session from the list first.")
        return session.id, session.id, *self.screen(session), gr.Tabs(selected="interview")

    def compare(self, first_id: str | None, second_id: str | None) -> str:
        first, second = self._find(first_id), self._find(second_id)
        if first is None or second is None:
            return "Pick two ended attempts to compare."
        newer, older = self.entries([first, second])
        return compare_markdown(self._service.flow(), older, newer)

    @staticmethod
    def _require(session_id: str) -> None:
        if not session_id:
            raise gr.Error("Start an interview first: pick a question and press Start.")


@dataclass
class InterviewTab:
    domain: gr.Dropdown
    question: gr.Dropdown
    level: gr.Radio
    minutes: gr.Dropdown
    practise: gr.Dropdown
    start: gr.Button
    chat: gr.Chatbot
    message: gr.Textbox
    sent: gr.Textbox
    send: gr.Button
    hint: gr.Button
    end: gr.Button
    confirm: gr.Row
    confirm_end: gr.Button
    keep_going: gr.Button
    clock: gr.HTML
    tracker: gr.HTML
    results: gr.Column
    feedback: gr.Markdown
    chart: gr.HTML
    report_file: gr.DownloadButton
    transcript_file: gr.DownloadButton
    model_answer: gr.Markdown
    model_answer_file: gr.DownloadButton
    ask_box: gr.Textbox
    ask: gr.Button
    answer: gr.Markdown

    def screen(self) -> list[Any]:
        """The components a screen (see PageHandlers) fills, in order."""
        return [
            self.chat, self.tracker, self.clock, self.results, self.feedback, self.chart, self.report_file,
            self.transcript_file, self.model_answer, self.model_answer_file, self.answer, self.ask_box,
        ]


@dataclass
class HistoryTab:
    tab: gr.Tab
    table: gr.Dataframe
    pick: gr.Dropdown
    open_session: gr.Button
    first: gr.Dropdown
    second: gr.Dropdown
    compare: gr.Button
    comparison: gr.Markdown


def _setup_row(
    service: InterviewService,
) -> tuple[gr.Dropdown, gr.Dropdown, gr.Radio, gr.Dropdown, gr.Dropdown, gr.Button]:
    questions = service.questions()
    titles = {stage: guide.title for stage, guide in service.flow().guides.items()}
    with gr.Row():
        domain = gr.Dropdown(domain_choices(questions), value="", label="Domain", scale=1, min_width=160)
        question = gr.Dropdown(question_choices(questions), value=SURPRISE_ME, label="Question", scale=3, min_width=240)
        level = gr.Radio(list(LEVELS), value=service.default_level, label="Level", scale=1, min_width=220)
        minutes = gr.Dropdown(length_choices(service.default_minutes), value=service.default_minutes, label="Length",
                              scale=1, min_width=120)
        practise = gr.Dropdown(practise_choices(titles), value=WHOLE_INTERVIEW, label="Practise", scale=2,
                               min_width=200, elem_id="practise")
        start = gr.Button("Start interview", variant="primary", scale=1, min_width=140)
    return domain, question, level, minutes, practise, start


def _interview_tab(service: InterviewService, idle: Outputs) -> InterviewTab:
    setup = _setup_row(service)
    with gr.Row():
        with gr.Column(scale=3, min_width=320):
            chat = gr.Chatbot(label="Interview", height=520, elem_id="chat")
            message = gr.Textbox(
                label="Your answer",
                placeholder="Ask a clarifying question or explain your design. Enter sends; Shift+Enter adds a line.",
                lines=1,
                max_lines=8,
                elem_id="answer",
            )
            sent = gr.Textbox(visible=False)  # the text of the last stored turn; not a gr.State: CLEAR_SENT reads it
            with gr.Row():
                send = gr.Button("Send", variant="primary", elem_id="send")
                hint = gr.Button("Hint", elem_id="hint")
                end = gr.Button("End interview", variant="stop", elem_id="end")
            with gr.Row(visible=False, elem_id="confirm-end") as confirm:
                gr.Markdown("End the interview now and get your feedback? You cannot add answers after.")
                confirm_end = gr.Button("Yes, end and score it", variant="stop", elem_id="confirm-yes")
                keep_going = gr.Button("Keep going", elem_id="confirm-no")
        with gr.Column(scale=1, min_width=260):
            clock = gr.HTML(idle[2], label="Time left", elem_id="clock")
            tracker = gr.HTML(idle[1], label="Design flow", elem_id="tracker")
    with gr.Column(visible=False, elem_id="results") as results:
        gr.Markdown("## Your feedback")
        with gr.Row():
            chart = gr.HTML(label="Stage scores", elem_id="chart")
            with gr.Column():
                report_file = gr.DownloadButton("Download report (Markdown)", visible=False, elem_id="report-file")
                transcript_file = gr.DownloadButton(
                    "Download transcript (JSON)", visible=False, elem_id="transcript-file"
                )
        feedback = gr.Markdown(label="Feedback", elem_id="feedback")
        with gr.Row():
            ask_box = gr.Textbox(
                label="Ask about your report", placeholder="Why 2 in metrics? What should I have said about labels?",
                scale=4, elem_id="ask",
            )
            ask = gr.Button("Ask", scale=1, elem_id="ask-button")
        answer = gr.Markdown(elem_id="ask-answer")
        with gr.Accordion("What a strong answer looks like", open=False, elem_id="model-answer-section"):
            model_answer_file = gr.DownloadButton(
                "Download the strong answer (Markdown)", visible=False, elem_id="model-answer-file"
            )
            model_answer = gr.Markdown(elem_id="model-answer")
    return InterviewTab(
        *setup, chat, message, sent, send, hint, end, confirm, confirm_end, keep_going, clock, tracker, results,
        feedback, chart, report_file, transcript_file, model_answer, model_answer_file, ask_box, ask, answer,
    )


def _history_tab(service: InterviewService) -> HistoryTab:
    with gr.Tab("History", id="history") as tab:
        gr.Markdown("Interviews started in this browser, newest first.")
        headers = history_headers()
        widths: list[str | int] = [120, 160, 64, 80, 84, 80, 80, 80, 56, 56, 84, 92, 76]  # fits 1,180 px
        table = gr.Dataframe(
            headers=headers,
            column_widths=widths,
            interactive=False,
            wrap=True,
            label="Past sessions",
            elem_id="history",
        )
        with gr.Row():
            pick = gr.Dropdown([], label="Session to open", scale=3)
            open_session = gr.Button("Open (read or resume)", scale=1, elem_id="open-session")
        with gr.Row():
            first = gr.Dropdown([], label="Compare: first attempt", scale=2)
            second = gr.Dropdown([], label="Compare: second attempt", scale=2)
            compare = gr.Button("Compare", scale=1, elem_id="compare")
        comparison = gr.Markdown(elem_id="comparison")
    return HistoryTab(tab, table, pick, open_session, first, second, compare, comparison)


@dataclass
class ProgressTab:
    tab: gr.Tab
    chart: gr.HTML
    summary: gr.Markdown
    drill: gr.Button


def _progress_tab() -> ProgressTab:
    with gr.Tab("Progress", id="progress") as tab:
        gr.Markdown("Your finished interviews in this browser: each stage's scores over time, oldest first.")
        chart = gr.HTML(elem_id="progress-chart")
        summary = gr.Markdown(elem_id="progress-summary")
        drill = gr.Button("Drill the suggested stage now", visible=False, elem_id="drill-next")
    return ProgressTab(tab, chart, summary, drill)


def build_page(service: InterviewService) -> gr.Blocks:
    handlers = PageHandlers(service)
    # Gradio copies each download into its own cache: files older than a day go, checked once a day.
    with gr.Blocks(title="ML system design interviewer", delete_cache=(DAY_S, DAY_S)) as page:
        session_id = gr.State("")
        saved_id = gr.BrowserState("", storage_key=BROWSER_KEY)
        history_ids = gr.BrowserState([], storage_key=HISTORY_KEY)
        gr.Markdown("# ML system design mock interview\nPick a question, talk it through, get scored feedback.")
        gr.Markdown(f"Interviewer: **{safe_text(service.backend)}**", elem_id="backend")
        with gr.Tabs() as tabs:
            with gr.Tab("Interview", id="interview"):
                room = _interview_tab(service, handlers.screen(None))
            past = _history_tab(service)
            practice = _progress_tab()
        _wire_interview(handlers, room, (session_id, saved_id, history_ids))
        page.load(handlers.resume, [saved_id], [session_id, *room.screen()], api_visibility="private")
        _wire_history(handlers, past, room, (session_id, saved_id, history_ids, tabs))
        practice.tab.select(
            handlers.progress, [history_ids], [practice.chart, practice.summary, practice.drill],
            api_visibility="private",
        )
        practice.drill.click(
            handlers.drill_next, [room.level, history_ids], [session_id, saved_id, history_ids, *room.screen(), tabs],
            api_visibility="private",
        )
    return page  # type: ignore[no-any-return]


def _wire_interview(handlers: PageHandlers, room: InterviewTab, states: tuple[Any, Any, Any]) -> None:
    session_id, saved_id, history_ids = states
    screen = room.screen()
    room.domain.change(handlers.filter_questions, [room.domain], [room.question], api_visibility="private")
    room.start.click(
        handlers.start,
        [room.question, room.level, room.minutes, history_ids, room.practise],
        [session_id, saved_id, history_ids, *screen],
        api_name="start",
    )
    sending = [room.chat, room.tracker, room.clock, room.sent]
    for sent_by in (
        room.send.click(handlers.send, [session_id, room.message], sending, api_name="send"),
        room.message.submit(handlers.send, [session_id, room.message], sending, api_visibility="private"),
    ):
        sent_by.success(None, [room.sent, room.message], [room.message], js=CLEAR_SENT, api_visibility="private")
    room.message.input(
        handlers.read_ahead, [session_id, room.message], None, trigger_mode="always_last", show_progress="hidden",
        queue=False, api_visibility="private",
    )
    room.hint.click(handlers.hint, [session_id], [room.chat, room.tracker, room.clock], api_name="hint")
    room.end.click(handlers.ask_to_end, [session_id], [room.confirm], api_visibility="private")
    room.keep_going.click(_hide, None, [room.confirm], api_visibility="private")
    room.confirm_end.click(handlers.end, [session_id], [*screen, room.confirm], api_name="end")
    for asked_by in (room.ask.click, room.ask_box.submit):
        asked_by(handlers.ask, [session_id, room.ask_box], [room.answer], api_visibility="private")


def _wire_history(handlers: PageHandlers, past: HistoryTab, room: InterviewTab, states: tuple[Any, ...]) -> None:
    session_id, saved_id, history_ids, tabs = states
    listing = [past.table, past.pick, past.first, past.second]
    past.tab.select(handlers.history, [history_ids], listing, api_visibility="private")
    past.open_session.click(
        handlers.open, [past.pick], [session_id, saved_id, *room.screen(), tabs], api_visibility="private"
    )
    past.compare.click(handlers.compare, [past.first, past.second], [past.comparison], api_name="compare")


# Runs in the browser once a turn is stored: the box is emptied only if it still holds the text that was sent. Gradio
# re-applies an event's outputs when the event completes, a moment after the last reply streamed in, so a box cleared
# from the server could wipe what the candidate had begun typing in that moment.
CLEAR_SENT = "(sent, typed) => (typed.trim() === sent.trim() ? '' : typed)"


def _hide() -> Any:
    return gr.update(visible=False)
