from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from tests.conftest import STRONG_FRAUD, STRONG_FRAUD_DIALOGUE

from interviewer.api import create_api
from interviewer.domain import STAGES
from interviewer.service import InterviewService


@pytest.fixture
def client(service: InterviewService) -> TestClient:
    return TestClient(create_api(service))


def test_health_and_questions(client: TestClient) -> None:
    assert client.get("/api/health").json() == {"status": "ok", "prepared": False}
    questions = client.get("/api/questions").json()
    assert len(questions) >= 5
    assert {"id", "title", "domain"} <= set(questions[0])


def test_a_whole_interview_over_rest(client: TestClient) -> None:
    created = client.post("/api/sessions", json={"question_id": "fraud_card_payments", "level": "E5"})
    assert created.status_code == 201
    body = created.json()
    session_id = body["session_id"]
    assert body["question"]["id"] == "fraud_card_payments" and body["message"]

    fact = client.post(f"/api/sessions/{session_id}/messages", json={"content": "What is the latency budget?"})
    assert "100 ms" in fact.json()["message"]
    for answer in [*STRONG_FRAUD_DIALOGUE, *["Nothing to add there."] * 4]:
        reply = client.post(f"/api/sessions/{session_id}/messages", json={"content": answer}).json()
        assert set(reply["coverage"]) == {s.value for s in STAGES}
        assert all(0 <= v <= 1 for v in reply["coverage"].values())
    assert reply["finished"] is True and reply["coverage"]["scaling_monitoring"] == 1.0

    report = client.post(f"/api/sessions/{session_id}/end").json()
    assert set(report["stages"]) == {s.value for s in STAGES}
    assert {"score", "evidence", "missing"} <= set(report["stages"]["metrics"])
    assert report["verdict"] in {"strong_no_hire", "no_hire", "hire", "strong_hire"}
    assert {"question_id", "overall", "red_flags", "feedback_markdown", "citations"} <= set(report)

    stored = client.get(f"/api/sessions/{session_id}").json()
    assert stored["ended"] is True and stored["question_id"] == "fraud_card_payments"
    assert stored["turns"][3] == {"role": "candidate", "content": STRONG_FRAUD[0]}
    transcript = client.get(f"/api/sessions/{session_id}/transcript").json()
    assert transcript["question_id"] == "fraud_card_payments" and len(transcript["turns"]) == len(stored["turns"])
    assert client.get(f"/api/sessions/{session_id}/report").json() == report


def test_start_without_a_body_picks_a_question(client: TestClient) -> None:
    created = client.post("/api/sessions")
    assert created.status_code == 201 and created.json()["question"]["id"]


def test_the_interview_length_is_kept_with_the_session(client: TestClient) -> None:
    created = client.post("/api/sessions", json={"question_id": "ads_ctr", "minutes": 30}).json()
    assert client.get(f"/api/sessions/{created['session_id']}").json()["minutes"] == 30


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"level": "E9"}, "level"), ({"question_id": ""}, "question_id"), ({"bogus": 1}, "bogus"),
        ({"minutes": 2}, "minutes"), ({"minutes": 1000}, "minutes"), ({"minutes": "long"}, "minutes"),
    ],
)
def test_bad_start_bodies_are_422(client: TestClient, body: dict[str, object], needle: str) -> None:
    response = client.post("/api/sessions", json=body)
    assert response.status_code == 422 and needle in response.text


def test_unknown_question_is_404(client: TestClient) -> None:
    response = client.post("/api/sessions", json={"question_id": "nope"})
    assert response.status_code == 404 and "unknown question" in response.json()["detail"]


@pytest.mark.parametrize("content", ["", "   ", "z" * 1_048_576])
def test_bad_messages_are_422_and_store_nothing(client: TestClient, content: str) -> None:
    session_id = client.post("/api/sessions", json={"question_id": "ads_ctr"}).json()["session_id"]
    response = client.post(f"/api/sessions/{session_id}/messages", json={"content": content})
    assert response.status_code == 422
    assert "empty" in response.json()["detail"] or "too long" in response.json()["detail"]
    assert len(client.get(f"/api/sessions/{session_id}").json()["turns"]) == 1


@pytest.mark.parametrize("body", [{}, {"content": 5}, {"text": "hi"}, None])
def test_malformed_message_bodies_are_422(client: TestClient, body: object) -> None:
    session_id = client.post("/api/sessions", json={"question_id": "ads_ctr"}).json()["session_id"]
    response = client.post(f"/api/sessions/{session_id}/messages", json=body)
    assert response.status_code == 422


def test_unknown_session_is_404_everywhere(client: TestClient) -> None:
    for method, path in [
        ("get", "/api/sessions/nope"),
        ("get", "/api/sessions/nope/transcript"),
        ("post", "/api/sessions/nope/end"),
        ("post", "/api/sessions/nope/hint"),
    ]:
        response = getattr(client, method)(path)
        assert response.status_code == 404, path
        assert "nope" in response.json()["detail"]
    assert client.post("/api/sessions/nope/messages", json={"content": "hi"}).status_code == 404


def test_ended_session_is_409(client: TestClient) -> None:
    session_id = client.post("/api/sessions", json={"question_id": "ads_ctr"}).json()["session_id"]
    assert client.get(f"/api/sessions/{session_id}/report").status_code == 409
    client.post(f"/api/sessions/{session_id}/end")
    response = client.post(f"/api/sessions/{session_id}/messages", json={"content": "more"})
    assert response.status_code == 409 and "ended" in response.json()["detail"]
    assert client.post(f"/api/sessions/{session_id}/end").status_code == 409


def test_openapi_is_served_under_api(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert "/api/sessions/{session_id}/messages" in spec["paths"]


def test_a_retried_message_with_its_idempotency_key_is_answered_once(client: TestClient,
                                                                     service: InterviewService) -> None:
    session_id = client.post("/api/sessions", json={"question_id": "ads_ctr"}).json()["session_id"]
    url = f"/api/sessions/{session_id}/messages"
    body = {"content": "What is the latency budget?"}
    first = client.post(url, json=body, headers={"Idempotency-Key": "turn-1"})
    retried = client.post(url, json=body, headers={"Idempotency-Key": "turn-1"})
    assert first.status_code == retried.status_code == 200 and first.json() == retried.json()
    assert len(service.session(session_id).turns) == 3  # the opening, then one question and its answer
    other = client.post(url, json={"content": "And the scale?"}, headers={"Idempotency-Key": "turn-2"})
    assert other.status_code == 200 and len(service.session(session_id).turns) == 5
    assert client.post(url, json=body, headers={"Idempotency-Key": ""}).status_code == 422


def test_a_retried_end_with_its_key_returns_the_stored_report(client: TestClient) -> None:
    session_id = client.post("/api/sessions", json={"question_id": "ads_ctr"}).json()["session_id"]
    client.post(f"/api/sessions/{session_id}/messages", json={"content": "I'd start with logistic regression."})
    first = client.post(f"/api/sessions/{session_id}/end", headers={"Idempotency-Key": "end-1"})
    retried = client.post(f"/api/sessions/{session_id}/end", headers={"Idempotency-Key": "end-1"})
    assert first.status_code == retried.status_code == 200 and first.json() == retried.json()
    assert client.post(f"/api/sessions/{session_id}/end").status_code == 409  # no key: it has ended
    assert client.post(f"/api/sessions/{session_id}/end", headers={"Idempotency-Key": "other"}).status_code == 409


def test_two_copies_of_one_request_at_once_add_one_turn(service: InterviewService) -> None:
    """Both copies compose a reply; the store keeps the first and hands it to the second."""
    for n in range(20):
        session_id = service.start("ads_ctr").session.id
        gate = threading.Barrier(2)
        replies: list[object] = []

        def send(gate: threading.Barrier = gate, session_id: str = session_id, n: int = n,
                 replies: list[object] = replies) -> None:
            gate.wait()
            replies.append(service.reply(session_id, "What is the latency budget?", key=f"k{n}"))

        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert len(replies) == 2 and replies[0] == replies[1]
        assert len(service.session(session_id).turns) == 3


def _documented(spec: dict[str, Any], path: str, method: str, code: int) -> dict[str, Any]:
    """The schema the OpenAPI document gives for one response, with the components its references point into."""
    schema = spec["paths"][path][method]["responses"][str(code)]["content"]["application/json"]["schema"]
    return {**schema, "components": spec["components"]}


def test_every_operation_documents_the_shape_it_returns(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    untyped, undocumented = [], []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            code = next(c for c in operation["responses"] if c.startswith("2"))
            schema = _documented(spec, path, method, int(code))
            if "$ref" not in schema.get("items", schema):  # an open object ("any dict") documents nothing
                untyped.append(f"{method.upper()} {path}")
            if "{session_id}" in path and "404" not in operation["responses"]:
                undocumented.append(f"{method.upper()} {path}")
    assert untyped == [] and undocumented == []


def test_every_answer_of_a_whole_interview_matches_its_documented_schema(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    session_id = client.post("/api/sessions", json={"question_id": "fraud_card_payments"}).json()["session_id"]
    base = "/api/sessions/{session_id}"
    calls = [("post", base + "/messages", {"content": answer}) for answer in STRONG_FRAUD]
    calls += [("post", base + "/hint", None), ("post", base + "/draft", {"content": "One. Two"})]
    calls += [("post", base + "/end", None), ("get", base, None), ("get", base + "/transcript", None)]
    calls += [("get", base + "/report", None), ("post", base + "/messages", {"content": "late"})]
    problems = []
    for method, path, body in calls:
        response = client.request(method.upper(), path.format(session_id=session_id), json=body)
        schema = _documented(spec, path, method, response.status_code)
        problems += [f"{method} {path}: {e.message}" for e in Draft202012Validator(schema).iter_errors(response.json())]
    assert problems == []
