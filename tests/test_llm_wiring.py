from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from tests.conftest import STRONG_FRAUD, offline_judge
from tests.fakes import ScriptedChat
from tests.stub_openai import running_stub

from interviewer.bootstrap import (
    ConfigurationError,
    build_interviewer,
    build_judge,
    describe_backend,
    judge_calibration,
)
from interviewer.config import Settings
from interviewer.domain import STAGES, Question, Stage, Transcript, Turn
from interviewer.llm.calibration import Calibration, StageAgreement
from interviewer.llm.interviewer import LLMInterviewer, LLMSettings
from interviewer.llm.tokens import TokenCounter
from interviewer.policy import OfflineInterviewer
from interviewer.questions import QuestionBank
from interviewer.service import InterviewService
from interviewer.ui import PageHandlers


class _NoSearch:
    def search(self, query: str, k: int = 5, stage: object = None) -> list[object]:
        return []


def _settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path, **values)  # type: ignore[call-arg, arg-type]


def test_offline_is_the_default(tmp_path: Path, bank: QuestionBank, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("INTERVIEWER_LLM", "INTERVIEWER_LLM_BASE_URL", "INTERVIEWER_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    settings = _settings(tmp_path)
    assert isinstance(build_interviewer(settings, bank, _NoSearch()), OfflineInterviewer)  # type: ignore[arg-type]
    assert describe_backend(settings) == "offline (no model)"


def test_a_base_url_and_model_select_the_llm_interviewer(tmp_path: Path, bank: QuestionBank) -> None:
    settings = _settings(tmp_path, llm_base_url="http://127.0.0.1:11434/v1", llm_model="qwen2.5:7b")
    assert settings.model_mode() == "openai"
    assert isinstance(build_interviewer(settings, bank, _NoSearch()), LLMInterviewer)  # type: ignore[arg-type]


def test_a_base_url_without_a_model_is_a_clear_error(tmp_path: Path, bank: QuestionBank) -> None:
    with pytest.raises(ConfigurationError, match="INTERVIEWER_LLM_MODEL"):
        build_interviewer(_settings(tmp_path, llm_base_url="http://127.0.0.1:8000/v1"), bank, _NoSearch())  # type: ignore[arg-type]


def test_the_api_key_falls_back_to_openai_api_key_and_is_never_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env-123")
    settings = _settings(tmp_path, llm_base_url="https://api.example.test/v1", llm_model="gpt-x")
    assert settings.api_key() == "sk-from-env-123"
    assert "sk-from-env" not in describe_backend(settings) and "sk-from-env" not in repr(settings)
    assert describe_backend(settings) == "gpt-x at api.example.test (offline fallback)"
    explicit = _settings(tmp_path, llm_api_key="sk-explicit", llm_base_url="http://h/v1", llm_model="m")
    assert explicit.api_key() == "sk-explicit" and "sk-explicit" not in repr(explicit)


def test_the_page_streams_checked_model_text(service: InterviewService, bank: QuestionBank, tmp_path: Path) -> None:
    facts = "At peak we see about 5,000 transactions per second, roughly 150 million a day."
    chat = ScriptedChat(["Thanks. ", facts[:52], facts[52:]])
    offline = OfflineInterviewer(bank.flow, bank.probes)
    llm = LLMInterviewer(offline, bank.flow, chat, TokenCounter(tmp_path / "tk"), settings=LLMSettings(3000, 80))
    handlers = PageHandlers(replace(service, interviewer=llm))
    session_id = handlers.start("fraud_card_payments", "E5", 45, [])[0]
    frames = list(handlers.send(session_id, "What is the scale?"))
    partials = [frame[0][-1]["content"] for frame in frames[:-1]]
    assert partials == ["Thanks. ", f"Thanks. {facts}"]
    final_chat, _, _, sent = frames[-1]
    assert final_chat[-1]["content"] == partials[-1].strip() and sent == "What is the scale?"
    chat.assert_consumed()


def _calibration_file(path: Path, model: str, trusted: set[Stage]) -> Path:
    stages = {s: StageAgreement(offline=0.6, model=0.8 if s in trusted else 0.4) for s in STAGES}
    path.write_text(Calibration(model=model, measured_on="test", stages=stages).to_json(), encoding="utf-8")
    return path


def test_a_calibrated_model_behind_a_server_overrules_the_offline_judge_only_where_calibrated(
    tmp_path: Path, bank: QuestionBank, question: Question
) -> None:
    trusted = {Stage.METRICS, Stage.TRAINING}
    transcript = Transcript("t", tuple(Turn("candidate", text) for text in STRONG_FRAUD), question.id)
    offline = offline_judge(bank).score(transcript, question)
    with running_stub() as (base_url, recorder):
        calibration = _calibration_file(tmp_path / "cal.json", "judge-1", trusted)
        settings = _settings(tmp_path, llm_base_url=base_url, llm_model="judge-1", llm_calibration=calibration)
        report = build_judge(settings, bank).score(transcript, question)
        assert len(recorder.bodies) == 1 and "response_format" in recorder.bodies[0]
        assert {s for s in STAGES if report.stages[s] != offline.stages[s]} == trusted
        assert all(report.stages[s].score == 1 for s in trusted) and not report.notices
        for other in ("judge-4", None):  # a calibration for another model, or a missing file: offline, no call
            wrong = _settings(tmp_path / "x", llm_base_url=base_url, llm_model=other or "judge-1",
                              llm_calibration=calibration if other else tmp_path / "missing.json")
            assert build_judge(wrong, bank).score(transcript, question).stages == offline.stages
        assert len(recorder.bodies) == 1


def test_a_broken_calibration_file_is_reported_and_the_offline_judge_scores(
    tmp_path: Path, bank: QuestionBank, caplog: pytest.LogCaptureFixture
) -> None:
    broken = tmp_path / "judge-calibration.json"  # the default place, in the data folder
    broken.write_text('{"model": "m", "stages": {"metrics": {"offline": 3}}}', encoding="utf-8")
    settings = _settings(tmp_path, llm_base_url="http://127.0.0.1:9/v1", llm_model="m")
    assert settings.calibration_path() == broken
    assert judge_calibration(settings) is None
    assert "is not valid" in caplog.text and str(broken) in caplog.text and "measured_on" in caplog.text
    assert "offline judge scores every stage" in caplog.text
