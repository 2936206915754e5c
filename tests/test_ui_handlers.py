"""The page's event handlers, called directly (the live test drives the same ones over HTTP)."""

from __future__ import annotations

from pathlib import Path

import gradio as gr
import pytest
from tests.conftest import STRONG_FRAUD

from interviewer.service import InterviewService
from interviewer.ui import PageHandlers, build_page
from interviewer.views import SURPRISE_ME


def test_start_with_surprise_me_and_send(service: InterviewService) -> None:
    handlers = PageHandlers(service)
    session_id, saved, chat, tracker, feedback, chart, download = handlers.start(SURPRISE_ME, "E6")
    assert session_id == saved and feedback == "" and chart == "" and download["visible"] is False
    assert service.session(session_id).level == "E6"
    *_, (chat, tracker, cleared) = handlers.send(session_id, STRONG_FRAUD[0])
    assert cleared == "" and chat[-2] == {"role": "user", "content": STRONG_FRAUD[0]}
    assert "| ▶ |" in tracker


def test_errors_keep_the_typed_text_and_store_nothing(service: InterviewService) -> None:
    handlers = PageHandlers(service)
    session_id = handlers.start("ads_ctr", "E5")[0]
    with pytest.raises(gr.Error, match="too long"):
        list(handlers.send(session_id, "x" * 1_048_576))
    with pytest.raises(gr.Error, match="Start an interview first"):
        list(handlers.send("", "hello"))
    with pytest.raises(gr.Error, match="no session"):
        handlers.hint("forged-id")
    assert len(service.session(session_id).turns) == 1


def test_resume_brings_back_every_turn_and_the_report(service: InterviewService) -> None:
    handlers = PageHandlers(service)
    session_id = handlers.start("fraud_card_payments", "E5")[0]
    list(handlers.send(session_id, STRONG_FRAUD[0]))
    restored_id, chat, tracker, feedback, _, _ = handlers.resume(session_id)
    assert restored_id == session_id and len(chat) == 3 and feedback == ""
    assert "| ▶ |" in tracker and "100%" in tracker
    handlers.end(session_id)
    _, _, _, feedback, chart, download = handlers.resume(session_id)
    assert "**Verdict:" in feedback and chart.startswith("<svg") and download["visible"] is True
    report = Path(download["value"]).read_text()
    assert report.startswith("![Radar chart of the stage scores](data:image/svg+xml;base64,")
    assert feedback in report


@pytest.mark.parametrize("saved", [None, "", "unknown-id"])
def test_resume_with_nothing_saved_starts_clean(service: InterviewService, saved: str | None) -> None:
    restored_id, chat, tracker, feedback, chart, download = PageHandlers(service).resume(saved)
    assert (restored_id, chat, feedback, chart) == ("", [], "", "") and "▶" not in tracker
    assert download["visible"] is False


def test_the_page_builds_with_named_endpoints(service: InterviewService) -> None:
    page = build_page(service)
    names = {dep.get("api_name") for dep in page.config["dependencies"]}
    assert {"start", "send", "hint", "end"} <= names
