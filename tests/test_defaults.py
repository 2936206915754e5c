"""One source of truth for the defaults: the level and the interview length configured in `Settings` reach the REST
API, the page and the CLI alike (the page had always sent 45 minutes and E5, whatever was configured)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from interviewer.api import create_api
from interviewer.bootstrap import build_service
from interviewer.cli import app
from interviewer.config import Settings
from interviewer.domain import DEFAULT_LEVEL, DEFAULT_MINUTES
from interviewer.llm.base import DEFAULT_MAX_TOKENS, DEFAULT_PROMPT_TOKENS
from interviewer.llm.interviewer import LLMSettings
from interviewer.service import InterviewService
from interviewer.ui import PageHandlers
from interviewer.views import SURPRISE_ME, length_choices


@pytest.fixture
def configured(tmp_path: Path) -> InterviewService:
    return build_service(Settings(data_dir=tmp_path, default_level="E6", interview_minutes=25))


def test_the_configured_level_and_length_start_a_rest_session(configured: InterviewService) -> None:
    created = TestClient(create_api(configured)).post("/api/sessions", json={"question_id": "ads_ctr"}).json()
    session = configured.session(created["session_id"])
    assert session.level == "E6"
    assert configured.progress(session).budget_s == 25 * 60


def test_the_page_offers_and_sends_the_configured_defaults(configured: InterviewService) -> None:
    assert (25.0 in [m for _, m in length_choices(25.0)]) and length_choices(45.0) == length_choices(DEFAULT_MINUTES)
    session_id = PageHandlers(configured).start(SURPRISE_ME, "", None, [])[0]
    session = configured.session(session_id)
    assert (session.level, session.minutes) == ("E6", 25.0)


def test_the_cli_chat_starts_at_the_configured_level(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVIEWER_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("INTERVIEWER_DEFAULT_LEVEL", "E4")
    result = CliRunner().invoke(app, ["chat", "--question", "ads_ctr"], input="")
    assert result.exit_code == 0, result.output
    session_id = result.output.split("Session ", 1)[1].split(".", 1)[0]
    assert build_service(Settings()).session(session_id).level == "E4"
    refused = CliRunner().invoke(app, ["chat", "--question", "ads_ctr", "--level", "E9"], input="")
    assert refused.exit_code == 2 and "level must be one of E4, E5, E6" in refused.output


def test_settings_and_the_model_layer_share_their_defaults() -> None:
    settings = Settings()
    assert (settings.default_level, settings.interview_minutes) == (DEFAULT_LEVEL, DEFAULT_MINUTES)
    assert (settings.llm_max_tokens, settings.prompt_token_budget) == (DEFAULT_MAX_TOKENS, DEFAULT_PROMPT_TOKENS)
    assert (LLMSettings().max_tokens, LLMSettings().prompt_token_budget) == (DEFAULT_MAX_TOKENS, DEFAULT_PROMPT_TOKENS)
