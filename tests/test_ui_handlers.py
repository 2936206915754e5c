"""The page's event handlers, called directly (the browser and live tests drive the same ones over HTTP)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import gradio as gr
import pytest
from tests.conftest import STRONG_FRAUD

from interviewer.service import InterviewService
from interviewer.ui import PageHandlers, build_page, page_assets
from interviewer.views import SURPRISE_ME


def _screen(outputs: tuple[Any, ...]) -> dict[str, Any]:
    names = ("chat", "tracker", "clock", "panel", "feedback", "chart", "report", "transcript", "answer", "answer_file",
             "asked", "ask_box")
    return dict(zip(names, outputs, strict=True))


def test_start_with_surprise_me_and_send(service: InterviewService) -> None:
    handlers = PageHandlers(service)
    session_id, saved, history, *screen = handlers.start(SURPRISE_ME, "E6", 30, ["older-id"])
    shown = _screen(tuple(screen))
    assert session_id == saved and history == [session_id, "older-id"]
    assert shown["feedback"] == "" and shown["panel"]["visible"] is False and shown["report"]["visible"] is False
    stored = service.session(session_id)
    assert (stored.level, stored.minutes) == ("E6", 30.0)
    assert 'data-left="1800"' in shown["clock"] and 'data-state="waiting"' in shown["clock"]
    *_, (chat, tracker, clock, sent) = handlers.send(session_id, STRONG_FRAUD[0])
    assert sent == STRONG_FRAUD[0] and chat[-2]["role"] == "user" and chat[-2]["content"] == STRONG_FRAUD[0]
    assert 'aria-current="step"' in tracker and 'data-state="running"' in clock


def test_errors_keep_the_typed_text_and_store_nothing(service: InterviewService) -> None:
    handlers = PageHandlers(service)
    session_id = handlers.start("ads_ctr", "E5", 45, [])[0]
    with pytest.raises(gr.Error, match="too long"):
        list(handlers.send(session_id, "x" * 1_048_576))
    with pytest.raises(gr.Error, match="Start an interview first"):
        list(handlers.send("", "hello"))
    with pytest.raises(gr.Error, match="no session"):
        handlers.hint("forged-id")
    with pytest.raises(gr.Error, match="Start an interview first"):
        handlers.ask_to_end("")
    with pytest.raises(gr.Error, match="interview length"):
        handlers.start("ads_ctr", "E5", 1, [])
    assert len(service.session(session_id).turns) == 1


def test_resume_brings_back_every_turn_then_the_report_and_downloads(service: InterviewService) -> None:
    handlers = PageHandlers(service)
    session_id = handlers.start("fraud_card_payments", "E5", 45, [])[0]
    list(handlers.send(session_id, "<script>alert(1)</script> " + STRONG_FRAUD[0]))
    restored_id, *screen = handlers.resume(session_id)
    shown = _screen(tuple(screen))
    assert restored_id == session_id and len(shown["chat"]) == 3 and shown["feedback"] == ""
    assert shown["answer"] == "" and shown["answer_file"]["visible"] is False  # no strong answer while it is open
    assert shown["chat"][1]["content"].startswith("&lt;script&gt;")
    assert 'aria-valuenow="100"' in shown["tracker"]
    *_, confirm = handlers.end(session_id)
    assert confirm["visible"] is False
    shown = _screen(handlers.resume(session_id)[1:])
    assert "**Verdict:" in shown["feedback"] and shown["chart"].startswith("<svg") and shown["panel"]["visible"]
    assert "Interview ended" in shown["clock"]
    report = Path(shown["report"]["value"]).read_text()
    assert report.startswith("![Radar chart of the stage scores](data:image/svg+xml;base64,")
    assert shown["feedback"] in report
    transcript = json.loads(Path(shown["transcript"]["value"]).read_text())
    assert transcript["question_id"] == "fraud_card_payments" and len(transcript["turns"]) == 3
    assert shown["answer"].startswith("# What a strong answer looks like: Fraud detection for card payments")
    assert Path(shown["answer_file"]["value"]).read_text(encoding="utf-8") == shown["answer"]


@pytest.mark.parametrize("saved", [None, "", "unknown-id"])
def test_resume_with_nothing_saved_starts_clean(service: InterviewService, saved: str | None) -> None:
    restored_id, *screen = PageHandlers(service).resume(saved)
    shown = _screen(tuple(screen))
    assert (restored_id, shown["chat"], shown["feedback"], shown["chart"]) == ("", [], "", "")
    assert "aria-current" not in shown["tracker"] and shown["report"]["visible"] is False


def test_history_lists_this_browsers_sessions_and_compares_attempts(service: InterviewService) -> None:
    handlers = PageHandlers(service)
    ids: list[str] = []
    for answers in (STRONG_FRAUD[:1], STRONG_FRAUD):
        session_id, _, ids, *_ = handlers.start("fraud_card_payments", "E5", 45, ids)
        for answer in answers:
            list(handlers.send(session_id, answer))
        handlers.end(session_id)
    unfinished = handlers.start("ads_ctr", "E4", 20, ids)[0]
    table, pick, first, second = handlers.history([*ids, unfinished, "deleted-id"])
    rows = table["value"]
    assert [row[1] for row in rows].count("Fraud detection for card payments") == 2 and len(rows) == 3
    assert len(pick["choices"]) == 3 and len(first["choices"]) == len(second["choices"]) == 2
    comparison = handlers.compare(ids[1], ids[0])  # older first, whichever order they are picked in
    assert "| Stage | First | Second | Change |" in comparison and "+" in comparison
    opened_id, saved, *screen, _ = handlers.open(unfinished)
    assert opened_id == saved == unfinished and _screen(tuple(screen))["panel"]["visible"] is False
    with pytest.raises(gr.Error, match="Pick a session"):
        handlers.open(None)
    assert "Pick two ended" in handlers.compare(ids[0], None)


def test_domain_filter_updates_the_question_picker(service: InterviewService) -> None:
    update = PageHandlers(service).filter_questions("fraud")
    assert update["value"] == SURPRISE_ME
    assert {value for _, value in update["choices"][1:]} == {q.id for q in service.questions() if q.domain == "fraud"}


def test_the_page_builds_with_named_endpoints_and_assets(service: InterviewService) -> None:
    page = build_page(service)
    names = {dep.get("api_name") for dep in page.config["dependencies"]}
    assert {"start", "send", "hint", "end", "compare"} <= names
    css, head = page_assets()
    assert ".tracker" in css and head.startswith("<script>") and "data-left" in head


EXPORTS_LEFT = """
import json, sys
from pathlib import Path
from tests.conftest import STRONG_FRAUD, make_service
from interviewer.questions import load_bank
from interviewer.config import Settings
from interviewer.ui import PageHandlers
service = make_service(load_bank(Settings().knowledge_dir), Path(sys.argv[1]))
handlers = PageHandlers(service)
session_id = handlers.start("fraud_card_payments", "E5", 45, [])[0]
list(handlers.send(session_id, STRONG_FRAUD[0]))
handlers.end(session_id)
_, *screen = handlers.resume(session_id)
report, transcript, answer = screen[6], screen[7], screen[9]  # the screen's order: see PageHandlers
print(json.dumps([report["value"], transcript["value"], answer["value"]]))
"""


def test_downloads_written_by_renders_are_gone_when_the_app_stops(tmp_path: Path) -> None:
    """Every render of a finished interview writes its three downloads; they had stayed in the temp folder for good."""
    done = subprocess.run([sys.executable, "-c", EXPORTS_LEFT, str(tmp_path / "db.sqlite3")], capture_output=True,
                          text=True, timeout=300, check=True, cwd=Path(__file__).parents[1])
    report, transcript, answer = map(Path, json.loads(done.stdout.strip().splitlines()[-1]))
    assert report.name.endswith("-report.md") and transcript.name.endswith("-transcript.json")
    assert answer.name.endswith("-model-answer.md")
    assert not report.exists() and not transcript.exists() and not answer.exists() and not report.parent.exists()


def test_close_removes_the_downloads_but_never_a_folder_it_was_given(service: InterviewService, tmp_path: Path) -> None:
    for given in (None, tmp_path / "mine"):
        if given:
            given.mkdir()
        handlers = PageHandlers(service, exports=given)
        session_id = handlers.start("fraud_card_payments", "E5", 45, [])[0]
        list(handlers.send(session_id, STRONG_FRAUD[0]))
        handlers.end(session_id)
        report = Path(_screen(handlers.resume(session_id)[1:])["report"]["value"])
        assert report.exists()
        handlers.close()
        assert report.exists() == bool(given)
