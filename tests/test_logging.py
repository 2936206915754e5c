"""The app logs what an operator needs with the standard library: model fallbacks, refused input, slow turns. Never a
key or what the candidate typed at INFO or above."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import pytest
from tests.conftest import STRONG_FRAUD, make_service
from tests.fakes import ScriptedChat

from interviewer import service as service_module
from interviewer.bootstrap import build_service
from interviewer.config import Settings
from interviewer.llm.base import ModelError
from interviewer.llm.interviewer import LLMInterviewer, LLMSettings
from interviewer.llm.tokens import TokenCounter
from interviewer.policy import OfflineInterviewer
from interviewer.questions import QuestionBank
from interviewer.service import InvalidInput


def _said_at_info(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)


def test_a_model_that_does_not_answer_is_logged(bank: QuestionBank, counter: TokenCounter,
                                                caplog: pytest.LogCaptureFixture) -> None:
    chat = ScriptedChat(ModelError("timed out after 30 s"))
    interviewer = LLMInterviewer(OfflineInterviewer(bank.flow, bank.probes), bank.flow, chat, counter,
                                 settings=LLMSettings(3000, 120))
    question = bank.get("fraud_card_payments")
    assert question is not None
    caplog.set_level(logging.INFO)
    list(interviewer.stream(question, (), STRONG_FRAUD[0]))
    warned = [r for r in caplog.records if r.name == "interviewer.llm.interviewer" and r.levelno == logging.WARNING]
    assert len(warned) == 1 and "timed out after 30 s" in warned[0].getMessage()
    assert STRONG_FRAUD[0][:30] not in _said_at_info(caplog)


def test_refused_input_and_slow_turns_are_logged_without_the_text(
    bank: QuestionBank, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    service = make_service(bank, tmp_path / "db.sqlite3")
    session_id = service.start("fraud_card_payments").session.id
    caplog.set_level(logging.INFO)
    secret = "my-private-answer " * 600
    with pytest.raises(InvalidInput):
        service.reply(session_id, secret)
    refused = [r for r in caplog.records if r.name == "interviewer.service"]
    assert [r.levelno for r in refused] == [logging.INFO] and "too long" in refused[0].getMessage()
    replace(service, slow_turn_s=0.0).reply(session_id, STRONG_FRAUD[0])  # every turn counts as slow
    slow = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(slow) == 1 and slow[0].startswith("slow turn:") and session_id in slow[0]
    said = _said_at_info(caplog)
    assert "my-private-answer" not in said and STRONG_FRAUD[0][:30] not in said


def test_with_a_model_only_a_turn_as_slow_as_its_timeout_is_logged(tmp_path: Path) -> None:
    """A model's reply takes seconds by nature: logging every one of them as slow would bury the real warnings (a
    bench run against a stub model with a 1 s latency printed one per turn)."""
    offline = build_service(Settings(data_dir=tmp_path))
    remote = build_service(Settings(data_dir=tmp_path, llm_base_url="http://127.0.0.1:9/v1", llm_model="m",
                                    llm_timeout_s=20))
    assert (offline.slow_turn_s, remote.slow_turn_s) == (service_module.SLOW_TURN_S, 20)
