"""The HTTP path through the real ChatOpenAI client, against a stub OpenAI-compatible server with fault modes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from langchain_openai import ChatOpenAI
from pydantic import SecretStr
from tests.conftest import STRONG_FRAUD, free_port
from tests.stub_openai import Recorder, running_stub

from interviewer.api import create_api
from interviewer.config import Settings
from interviewer.events import NoticeEvent, ReplyEvent
from interviewer.llm import openai_compat
from interviewer.llm.asker import LLMReportAsker
from interviewer.llm.base import (
    BUNDLED_MODEL,
    CallOptions,
    ChatMessage,
    Finished,
    MalformedResponse,
    ModelError,
    ModelHTTPError,
    ModelTimeout,
    ModelUnreachable,
    RateLimited,
    ResponseSchema,
    TextDelta,
    Usage,
    texts,
)
from interviewer.llm.interviewer import LLMInterviewer, LLMSettings
from interviewer.llm.openai_compat import OpenAICompatChat
from interviewer.llm.tokens import TokenCounter
from interviewer.policy import OfflineInterviewer
from interviewer.questions import QuestionBank
from interviewer.service import InterviewService

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def stub() -> Iterator[tuple[str, Recorder]]:
    with running_stub() as running:
        yield running


def _chat(stub: tuple[str, Recorder], mode: str) -> OpenAICompatChat:
    return OpenAICompatChat(stub[0], mode, "sk-test-secret", timeout_s=1.0, max_retries=1)


MESSAGES = [ChatMessage("system", "s"), ChatMessage("user", "NEXT MOVE (say it): Ask about labels.")]


def test_streaming_reply_and_max_tokens_reach_the_server(stub: tuple[str, Recorder]) -> None:
    events = list(_chat(stub, "ok").stream(MESSAGES, CallOptions(77)))
    assert "".join(texts(events)) == "Right. Ask about labels."
    assert events[-1] == Finished("stop", None)  # the stub, like most servers unasked, sends no token counts
    assert all(isinstance(e, TextDelta) for e in events[:-1])
    body = stub[1].bodies[-1]
    assert body["stream"] is True and body["max_tokens"] == 77 and body["temperature"] == 0.3


def test_the_options_of_one_call_and_the_servers_usage(stub: tuple[str, Recorder]) -> None:
    events = list(_chat(stub, "usage").stream(MESSAGES, CallOptions(max_tokens=12, temperature=0.9)))
    assert events[-1] == Finished("stop", Usage(prompt_tokens=41, completion_tokens=7))
    body = stub[1].bodies[-1]
    assert body["max_tokens"] == 12 and body["temperature"] == 0.9  # this call's, not the client's 0.3


def test_the_server_is_asked_for_its_token_counts_and_they_arrive_after_the_finish(stub: tuple[str, Recorder]) -> None:
    events = list(_chat(stub, "asked-usage").stream(MESSAGES, CallOptions(20)))
    assert stub[1].bodies[-1]["stream_options"] == {"include_usage": True}
    assert events[-1] == Finished("stop", Usage(prompt_tokens=41, completion_tokens=7))  # from a chunk of its own
    assert "".join(texts(events)) == "Right. Ask about labels."


def test_a_response_schema_is_sent_in_the_format_the_server_takes(stub: tuple[str, Recorder]) -> None:
    wanted = ResponseSchema("judgement", {"type": "object", "required": ["stages"]})
    list(_chat(stub, "ok").stream(MESSAGES, CallOptions(20, response_schema=wanted)))
    openai_style = {"type": "json_schema", "json_schema": {"name": "judgement", "schema": dict(wanted.schema)}}
    assert stub[1].bodies[-1]["response_format"] == openai_style
    llama = OpenAICompatChat(stub[0], "ok", timeout_s=1.0, structured_output="json_object")
    list(llama.stream(MESSAGES, CallOptions(20, response_schema=wanted)))
    assert stub[1].bodies[-1]["response_format"] == {"type": "json_object", "schema": dict(wanted.schema)}
    list(llama.stream(MESSAGES, CallOptions(20)))
    assert "response_format" not in stub[1].bodies[-1]  # a plain call asks for text


def test_the_bundled_model_is_asked_for_json_in_llama_cpps_format() -> None:
    assert Settings(llm_model=BUNDLED_MODEL).structured_output() == "json_object"
    assert Settings(llm_model="gpt-4o-mini").structured_output() == "json_schema"
    assert Settings(llm_model="mine", llm_structured_output="json_object").structured_output() == "json_object"


@pytest.mark.parametrize(
    ("mode", "kind", "reason"),
    [
        ("slow", ModelTimeout, "timed out"), ("500", ModelHTTPError, "HTTP 500"), ("429", RateLimited, "HTTP 429"),
        ("malformed", MalformedResponse, "malformed"), ("cut", MalformedResponse, "malformed"),
    ],
)
def test_faults_become_typed_model_errors(
    stub: tuple[str, Recorder], mode: str, kind: type[ModelError], reason: str
) -> None:
    before = len(stub[1].bodies)
    with pytest.raises(kind, match=reason) as raised:
        list(_chat(stub, mode).stream([ChatMessage("user", "hi")], CallOptions(20)))
    if isinstance(raised.value, RateLimited):
        assert len(stub[1].bodies) - before == 2, "a 429 with Retry-After is retried once"
        assert raised.value.retry_after_s == 0
    if isinstance(raised.value, ModelHTTPError):
        assert raised.value.status == 500


def test_connection_refused_is_a_model_error() -> None:
    chat = OpenAICompatChat(f"http://127.0.0.1:{free_port()}/v1", "ok", timeout_s=1.0, max_retries=0)
    with pytest.raises(ModelUnreachable, match="could not connect"):
        list(chat.stream([ChatMessage("user", "hi")], CallOptions(20)))


def test_a_bug_of_ours_is_not_reported_as_a_malformed_response(
    stub: tuple[str, Recorder], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(content: object) -> str:
        raise KeyError("our own bug")

    monkeypatch.setattr(openai_compat, "_text", broken)
    with pytest.raises(KeyError, match="our own bug"):  # it had become ModelError("malformed response")
        list(_chat(stub, "ok").stream(MESSAGES, CallOptions(20)))


def test_non_streaming_clients_are_served_too(stub: tuple[str, Recorder]) -> None:
    client = ChatOpenAI(model="ok", base_url=stub[0], api_key=SecretStr("x"), timeout=2)
    assert client.invoke("NEXT MOVE (x): Ask about metrics.").content == "Right. Ask about metrics."


@pytest.mark.parametrize("mode", ["ok", "invent", "slow", "500", "429", "malformed", "cut", "refused"])
def test_an_interview_keeps_going_through_every_fault(
    stub: tuple[str, Recorder], service: InterviewService, bank: QuestionBank, tmp_path: Path, mode: str
) -> None:
    offline = OfflineInterviewer(bank.flow, bank.probes)
    counter = TokenCounter(tmp_path / "tk")
    refused = OpenAICompatChat(f"http://127.0.0.1:{free_port()}/v1", "ok", timeout_s=1.0)
    chat = refused if mode == "refused" else _chat(stub, mode)
    llm = LLMInterviewer(offline, bank.flow, chat, counter, settings=LLMSettings(3000, 120))
    served = replace(service, interviewer=llm)
    session_id = served.start("fraud_card_payments").session.id
    events = list(served.reply_events(session_id, "What is the scale?"))
    final = events[-1]
    assert isinstance(final, ReplyEvent)
    assert "5,000 transactions per second" in final.reply.message
    notices = [e for e in events if isinstance(e, NoticeEvent)]
    assert (not notices) if mode == "ok" else (len(notices) == 1 and final.reply.notice)
    turns = served.session(session_id).turns
    assert [t.role for t in turns] == ["interviewer", "candidate", "interviewer"]
    assert turns[-1].content == final.reply.message
    assert all("sk-test-secret" not in str(body) for body in stub[1].bodies)


def test_follow_ups_a_model_writes_behind_a_server_are_checked_like_any_reply(
    stub: tuple[str, Recorder], service: InterviewService, bank: QuestionBank, tmp_path: Path
) -> None:
    """The policy chooses a probe of the candidate's words; the model writes it: quoting the candidate it is shown, an
    invented number or a point given away in other words falls back to the policy's probe, with the reason."""
    neural = "I'd just use a deep neural network on everything."
    stub[1].replies[:] = [
        'You said "a deep neural network on everything". What would it give you over a simpler model?',
        'You said "a deep neural network on everything": would it keep up with 40,000 payments a second?',
        'Before "a deep neural network on everything", would gradient-boosted trees with deliberate handling of the '
        "class imbalance not do?",
    ]
    llm = LLMInterviewer(OfflineInterviewer(bank.flow, bank.probes), bank.flow, _chat(stub, "script"),
                         TokenCounter(tmp_path / "tk"), settings=LLMSettings(3000, 120))
    served = replace(service, interviewer=llm)
    replies = []
    for _ in range(3):
        session_id = served.start("fraud_card_payments").session.id
        final = list(served.reply_events(session_id, neural))[-1]
        assert isinstance(final, ReplyEvent)
        replies.append(final.reply)
    assert replies[0].notice is None and replies[0].message.startswith('You said "a deep neural network')
    assert "a number that is not in the scenario" in (replies[1].notice or "")
    assert "hidden interview material in other words" in (replies[2].notice or "")
    assert all("neural model" in r.message for r in replies[1:])  # the policy's probe instead
    assert "a follow-up on what the candidate just said" in stub[1].bodies[-1]["messages"][-1]["content"]
    assert stub[1].replies == []


def test_a_report_question_answered_by_a_model_behind_a_server_is_checked(
    stub: tuple[str, Recorder], service: InterviewService
) -> None:
    served = replace(service, asker=LLMReportAsker(_chat(stub, "script")))
    client = TestClient(create_api(served))
    session_id = client.post("/api/sessions", json={"question_id": "fraud_card_payments"}).json()["session_id"]
    for answer in STRONG_FRAUD:
        client.post(f"/api/sessions/{session_id}/messages", json={"content": answer})
    client.post(f"/api/sessions/{session_id}/end")
    # no reply scripted yet: the server fails, and the offline answer (with the quotes a model must use) comes back
    quote = client.post(f"/api/sessions/{session_id}/ask", json={"question": "why metrics?"}).json()["quotes"][0]
    stub[1].replies[:] = [f'You said "{quote}", with a reason.', f'You said "{quote}" at 97% recall.']
    used = client.post(f"/api/sessions/{session_id}/ask", json={"question": "why metrics?"}).json()
    assert used["answer"] == f'You said "{quote}", with a reason.' and used["notice"] is None
    invented = client.post(f"/api/sessions/{session_id}/ask", json={"question": "why metrics?"}).json()
    assert "a number that is not in the scenario" in invented["notice"] and "**Metrics:" in invented["answer"]
    assert "why metrics?" in stub[1].bodies[-1]["messages"][-1]["content"]
