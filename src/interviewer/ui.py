"""The browser page: Gradio Blocks over the service. Event handlers are thin; rendering lives in views."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from interviewer.domain import LEVELS, STAGES, Session
from interviewer.feedback import downloadable_report, stage_chart
from interviewer.service import InterviewService, ServiceError
from interviewer.views import SURPRISE_ME, chat_messages, question_choices, stage_tracker

BROWSER_KEY = "interviewer-session-id"
Outputs = tuple[Any, ...]


class PageHandlers:
    """What each control does. Errors become a visible message, and the typed text stays in the box."""

    def __init__(self, service: InterviewService, exports: Path | None = None) -> None:
        self._service = service
        self._exports = exports or Path(tempfile.mkdtemp(prefix="interviewer-exports-"))

    def _results(self, session_id: str, report: dict[str, Any] | None) -> tuple[str, str, Any]:
        """(feedback Markdown, radar chart SVG, download button update) for an ended session, else empties."""
        if report is None:
            return "", "", gr.update(value=None, visible=False)
        flow = self._service.bank.flow
        scores = {stage: report["stages"][stage.value]["score"] for stage in STAGES}
        markdown = str(report["feedback_markdown"])
        path = self._exports / f"interview-report-{session_id[:12]}.md"
        path.write_text(downloadable_report(flow, scores, markdown), encoding="utf-8")
        return markdown, stage_chart(flow, scores), gr.update(value=str(path), visible=True)

    def _view(self, session: Session) -> tuple[list[dict[str, str]], str]:
        progress = self._service.progress(session)
        tracker = stage_tracker(self._service.bank.flow, progress.coverage, progress.stage)
        return chat_messages(session.turns), tracker

    def start(self, question_id: str | None, level: str) -> Outputs:
        chosen = None if not question_id or question_id == SURPRISE_ME else question_id
        try:
            started = self._service.start(chosen, level if level in LEVELS else "E5")
        except ServiceError as exc:
            raise gr.Error(str(exc)) from exc
        chat, tracker = self._view(started.session)
        return started.session.id, started.session.id, chat, tracker, *self._results(started.session.id, None)

    def send(self, session_id: str, text: str) -> Iterator[Outputs]:
        """Stream the interviewer's checked text as it arrives; the typed text stays until the turn is stored."""
        self._require(session_id)
        try:
            chat = chat_messages(self._service.session(session_id).turns)
            chat += [{"role": "user", "content": text.strip()}, {"role": "assistant", "content": "…"}]
            partial = ""
            for event in self._service.reply_events(session_id, text):
                if event.type == "token":
                    partial += event.text
                    chat[-1] = {"role": "assistant", "content": partial}
                    yield list(chat), gr.skip(), gr.skip()
                elif event.type == "notice":
                    gr.Warning(event.text)
        except ServiceError as exc:
            raise gr.Error(str(exc)) from exc
        chat, tracker = self._view(self._service.session(session_id))
        yield chat, tracker, ""

    def hint(self, session_id: str) -> Outputs:
        self._require(session_id)
        try:
            self._service.hint(session_id)
        except ServiceError as exc:
            raise gr.Error(str(exc)) from exc
        return self._view(self._service.session(session_id))

    def end(self, session_id: str) -> Outputs:
        self._require(session_id)
        try:
            report = self._service.end(session_id)
        except ServiceError as exc:
            raise gr.Error(str(exc)) from exc
        chat, tracker = self._view(self._service.session(session_id))
        return chat, tracker, *self._results(session_id, report.to_dict())

    def resume(self, saved_id: str | None) -> Outputs:
        """On page load: bring back the interview this browser was in, with every turn."""
        empty: Outputs = ("", [], stage_tracker(self._service.bank.flow, {}, None), *self._results("", None))
        if not saved_id:
            return empty
        try:
            session = self._service.session(saved_id)
        except ServiceError:
            return empty
        chat, tracker = self._view(session)
        report = self._service.stored_report(saved_id) if session.ended else None
        return saved_id, chat, tracker, *self._results(saved_id, report)

    @staticmethod
    def _require(session_id: str) -> None:
        if not session_id:
            raise gr.Error("Start an interview first: pick a question and press Start.")


def build_page(service: InterviewService) -> gr.Blocks:
    handlers = PageHandlers(service)
    with gr.Blocks(title="ML system design interviewer") as page:
        session_id = gr.State("")
        saved_id = gr.BrowserState("", storage_key=BROWSER_KEY)
        gr.Markdown(
            "# ML system design mock interview\nPick a question, talk it through, get scored feedback. "
            f"Interviewer: **{service.backend}**."
        )
        with gr.Row():
            question = gr.Dropdown(
                choices=question_choices(service.questions()), value=SURPRISE_ME, label="Question", scale=3
            )
            level = gr.Radio(list(LEVELS), value="E5", label="Level", scale=1)
            start = gr.Button("Start interview", variant="primary", scale=1)
        with gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(label="Interview", height=520)
                message = gr.Textbox(
                    label="Your answer", placeholder="Ask a clarifying question or explain your design…", lines=2
                )
                with gr.Row():
                    send = gr.Button("Send", variant="primary")
                    hint = gr.Button("Hint")
                    end = gr.Button("End interview", variant="stop")
            with gr.Column(scale=1, min_width=260):
                tracker = gr.Markdown(stage_tracker(service.bank.flow, {}, None), label="Design flow")
        with gr.Row():
            chart = gr.HTML(label="Stage scores")
            download = gr.DownloadButton("Download report (Markdown)", visible=False)
        feedback = gr.Markdown(label="Feedback")
        results = [feedback, chart, download]

        started = [session_id, saved_id, chat, tracker, *results]
        start.click(handlers.start, [question, level], started, api_name="start")
        send.click(handlers.send, [session_id, message], [chat, tracker, message], api_name="send")
        message.submit(handlers.send, [session_id, message], [chat, tracker, message], api_visibility="private")
        hint.click(handlers.hint, [session_id], [chat, tracker], api_name="hint")
        end.click(handlers.end, [session_id], [chat, tracker, *results], api_name="end")
        page.load(handlers.resume, [saved_id], [session_id, chat, tracker, *results], api_visibility="private")
    return page  # type: ignore[no-any-return]
