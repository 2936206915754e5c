"""Access and secrets: the optional token for REST and the page, unguessable isolated sessions, a hidden API key."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from tests.conftest import STRONG_FRAUD, free_port, serving
from tests.stub_openai import running_stub

from interviewer.api import create_api
from interviewer.bootstrap import build_service
from interviewer.config import Settings
from interviewer.service import InterviewService
from interviewer.web import server

TOKEN = "tok-0123456789abcdef-xyz"
KEY = "sk-live-never-show-me-0123456789"


def test_with_a_token_rest_needs_it_but_health_does_not(service: InterviewService) -> None:
    client = TestClient(create_api(service, TOKEN))
    assert client.get("/api/health").status_code == 200
    for headers in ({}, {"Authorization": "Bearer wrong-token-000000"}, {"Authorization": f"Basic {TOKEN}"}):
        refused = client.get("/api/questions", headers=headers)
        assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
        assert client.post("/api/sessions", headers=headers).status_code == 401
    assert client.get("/api/questions", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert TestClient(create_api(service)).get("/api/questions").status_code == 200  # no token configured: open


def test_a_short_token_is_refused_by_the_settings(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="auth_token"):
        Settings(data_dir=tmp_path, auth_token="short")


@pytest.mark.live
def test_with_a_token_the_page_asks_for_it(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, port=free_port(), auth_token=TOKEN)
    with serving(server(settings)):
        base = f"http://127.0.0.1:{settings.port}"
        assert httpx.get(f"{base}/config").status_code in (401, 403)
        wrong = httpx.post(f"{base}/login", data={"username": "me", "password": "nope"})
        assert wrong.status_code >= 400
        with httpx.Client(base_url=base) as browser:
            assert browser.post("/login", data={"username": "me", "password": TOKEN}).status_code == 200
            assert browser.get("/config").status_code == 200
        assert httpx.get(f"{base}/api/questions").status_code == 401


def test_session_ids_are_unguessable_and_sessions_isolated(tmp_path: Path) -> None:
    service = build_service(Settings(data_dir=tmp_path))  # the real id generator, not the tests' counter
    ids = {service.start("ads_ctr").session.id for _ in range(300)}
    assert len(ids) == 300 and all(re.fullmatch(r"[A-Za-z0-9_-]{24,}", i) for i in ids)
    first, second = sorted(ids)[:2]
    service.reply(first, "[first] " + STRONG_FRAUD[0])
    assert all("[first]" not in t.content for t in service.session(second).turns)


def test_the_api_key_never_reaches_logs_transcripts_reports_or_the_page(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with running_stub() as (base_url, recorder):
        settings = Settings(data_dir=tmp_path, llm_base_url=base_url, llm_model="500", llm_api_key=KEY)
        service = build_service(settings)
        client = TestClient(create_api(service))
        session_id = client.post("/api/sessions", json={"question_id": "fraud_card_payments"}).json()["session_id"]
        reply = client.post(f"/api/sessions/{session_id}/messages", json={"content": STRONG_FRAUD[0]}).json()
        report = client.post(f"/api/sessions/{session_id}/end").json()
        transcript = client.get(f"/api/sessions/{session_id}/transcript").json()
    assert recorder.bodies and reply["notice"]  # the model was called, failed (HTTP 500), and the reply fell back
    shown = json.dumps([reply, report, transcript]) + caplog.text + service.backend + repr(settings)
    assert KEY not in shown and KEY[:12] not in shown
