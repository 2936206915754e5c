"""Starts the real app (REST + page in one server) on a free loopback port and drives it like a user would."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from gradio_client import Client
from tests.conftest import STRONG_FRAUD_DIALOGUE, free_port, serving

from interviewer.config import Settings
from interviewer.web import server

pytestmark = pytest.mark.live



@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("live"), port=free_port())
    with serving(server(settings)):
        yield f"http://{settings.host}:{settings.port}"


def _text(message: dict[str, object]) -> str:
    """Chat content arrives as a string or as a list of {'type': 'text'} parts."""
    content = message["content"]
    if isinstance(content, list):
        return " ".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return str(content)


def test_page_and_api_share_one_server(base_url: str) -> None:
    assert httpx.get(f"{base_url}/api/health").json()["status"] == "ok"
    page = httpx.get(f"{base_url}/")
    assert page.status_code == 200 and "gradio" in page.text.lower()


def test_a_whole_interview_through_the_page(base_url: str, tmp_path: Path) -> None:
    client = Client(base_url + "/", verbose=False, download_files=str(tmp_path))
    session_id, history, chat, tracker, *_ = client.predict("fraud_card_payments", "E5", 30, [], api_name="/start")
    assert session_id and history == [session_id] and "Fraud detection for card payments" in _text(chat[0])
    assert 'aria-current="step" data-stage="problem_formulation"' in tracker
    assert httpx.get(f"{base_url}/api/sessions/{session_id}").json()["turns"][0]["role"] == "interviewer"

    chat, tracker, _, sent = client.predict("What's the latency budget?", api_name="/send")
    assert "100 ms" in _text(chat[-1]) and sent == "What's the latency budget?"

    with pytest.raises(Exception, match="message is empty"):
        client.predict("   ", api_name="/send")
    with pytest.raises(Exception, match="message is too long"):
        client.predict("x" * 1_048_576, api_name="/send")
    turns_before_hint = len(httpx.get(f"{base_url}/api/sessions/{session_id}").json()["turns"])
    assert turns_before_hint == 3

    chat, _, _ = client.predict(api_name="/hint")
    assert _text(chat[-1]).startswith("💡 Hint:")
    for answer in STRONG_FRAUD_DIALOGUE:
        chat, tracker, _, _ = client.predict(answer, api_name="/send")
    scaling_row = tracker.split('data-stage="scaling_monitoring"')[1]
    assert 'aria-valuenow="100"' in scaling_row.split("</li>")[0]

    chat, _, clock, feedback, chart, download, transcript, answer, answer_file, asked, box = client.predict(
        api_name="/end"
    )
    assert answer.startswith("# What a strong answer looks like") and asked == "" and box == ""
    saved_answer = answer_file["value"] if isinstance(answer_file, dict) else answer_file
    assert Path(saved_answer).read_text(encoding="utf-8").strip() == answer.strip()
    assert "Interview ended" in clock
    assert "**Verdict:" in feedback and "> I'd frame this" in feedback
    assert chart.startswith("<svg") and "Problem formulation" in chart
    path = download["value"] if isinstance(download, dict) else download
    assert feedback.strip() in Path(path).read_text()
    saved = transcript["value"] if isinstance(transcript, dict) else transcript
    exported = json.loads(Path(saved).read_text())["turns"]
    assert [t["content"] for t in exported if t["role"] == "candidate"][-1] == STRONG_FRAUD_DIALOGUE[-1]

    stored = httpx.get(f"{base_url}/api/sessions/{session_id}").json()
    assert stored["ended"] is True
    assert [t["content"] for t in stored["turns"] if t["role"] == "candidate"][-1] == STRONG_FRAUD_DIALOGUE[-1]
    report = httpx.get(f"{base_url}/api/sessions/{session_id}/report").json()
    assert set(report["stages"]) == {
        "problem_formulation", "metrics", "mvp_design", "data_pipeline", "training", "inference", "scaling_monitoring",
    }


def test_sending_before_starting_is_a_clear_error(base_url: str) -> None:
    client = Client(base_url + "/", verbose=False)
    with pytest.raises(Exception, match="Start an interview first"):
        client.predict("hello", api_name="/send")
