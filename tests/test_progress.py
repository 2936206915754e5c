"""Progress across attempts: the pure computation, the REST answer, the CLI and the page's handler."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from interviewer.api import create_api
from interviewer.bootstrap import build_service
from interviewer.cli import app
from interviewer.config import Settings
from interviewer.domain import STAGES, Report, Session, Stage, StageScore, Verdict
from interviewer.profile import ProfileError, profile_path, remember, session_ids
from interviewer.progress import DAY_S, MAX_SESSIONS, Attempt, StagePoint, due_at, practice_progress
from interviewer.service import InterviewService
from interviewer.ui import PageHandlers

runner = CliRunner()
T0 = 1_700_000_000.0


def _report(scores: dict[Stage, int | None], verdict: Verdict = Verdict.HIRE) -> Report:
    return Report("fraud_card_payments", {s: StageScore(scores.get(s)) for s in STAGES}, 3.0, verdict, "E5")


def _attempt(n: int, scores: dict[Stage, int | None], ended: bool = True, verdict: Verdict = Verdict.HIRE) -> Attempt:
    session = Session(f"s{n}", "fraud_card_payments", "E5", T0 + n * DAY_S, ended=ended)
    return Attempt(session, _report(scores, verdict))


def _stored(service: InterviewService, n: int, scores: dict[Stage, int | None], ended: bool = True) -> str:
    """A session of the store with this report (scored interviews take seconds each; progress reads only these)."""
    attempt = _attempt(n, scores, ended)
    service.store.create(attempt.session)
    if ended:
        service.store.finish(attempt.session.id, attempt.report)
    return attempt.session.id


def test_no_attempts_give_an_empty_progress() -> None:
    empty = practice_progress([], T0)
    assert empty.attempts == 0 and empty.level == {} and empty.weakest == () and empty.next_drill is None
    assert all(points == () for points in empty.stages.values())


def test_levels_are_the_mean_of_the_last_three_scores_and_unreached_stages_are_no_attempt() -> None:
    attempts = [
        _attempt(1, {Stage.METRICS: 1, Stage.TRAINING: 4}),
        _attempt(2, {Stage.METRICS: 2, Stage.TRAINING: 4, Stage.INFERENCE: None}),
        _attempt(3, {Stage.METRICS: 2, Stage.TRAINING: 3}),
        _attempt(4, {Stage.METRICS: 4, Stage.TRAINING: 4}),
        _attempt(5, {Stage.METRICS: 4}, ended=False),  # unfinished: ignored
    ]
    found = practice_progress(reversed(attempts), T0 + 10 * DAY_S)  # any order in, oldest first out
    assert [p.score for p in found.stages[Stage.METRICS]] == [1, 2, 2, 4]
    assert found.level == {Stage.METRICS: round(8 / 3, 2), Stage.TRAINING: round(11 / 3, 2)}
    assert found.stages[Stage.INFERENCE] == () and Stage.INFERENCE not in found.level
    assert found.weakest == (Stage.METRICS, Stage.TRAINING) and found.attempts == 4
    assert [v.session_id for v in found.verdicts] == ["s1", "s2", "s3", "s4"]


def test_a_stage_practised_well_comes_back_after_1_3_7_and_14_days() -> None:
    def points(*scores: int) -> list[StagePoint]:
        return [StagePoint(f"s{i}", T0 + i, score) for i, score in enumerate(scores)]

    last = T0 + 3
    assert due_at(points(3, 3, 1), T0 + 5) == T0 + 5  # weak last time: now
    assert [due_at(points(*[3] * n), 0) - (T0 + n - 1) for n in (1, 2, 3, 4, 5)] == [
        DAY_S, 3 * DAY_S, 7 * DAY_S, 14 * DAY_S, 14 * DAY_S
    ]
    assert due_at(points(4, 2, 4, 4), 0) == last + 3 * DAY_S  # the streak since the last weak score counts


def test_the_next_drill_is_the_weakest_stage_due_or_else_the_one_due_soonest() -> None:
    attempts = [_attempt(1, {Stage.METRICS: 2, Stage.TRAINING: 1, Stage.INFERENCE: 4})]
    due_now = practice_progress(attempts, T0 + 2 * DAY_S).next_drill
    assert due_now is not None and due_now.stage is Stage.TRAINING
    practised = [_attempt(1, {Stage.METRICS: 3}), _attempt(2, {Stage.METRICS: 4, Stage.TRAINING: 3})]
    later = practice_progress(practised, T0 + 2 * DAY_S).next_drill
    assert later is not None and later.stage is Stage.TRAINING and later.due == T0 + 3 * DAY_S


def test_rest_progress_with_0_1_and_50_sessions_and_never_another_browsers(service: InterviewService) -> None:
    client = TestClient(create_api(service))
    assert client.get("/api/progress").json()["sessions"] == 0
    mine = [_stored(service, n, {Stage.METRICS: 1 + n % 4, Stage.TRAINING: 3}) for n in range(50)]
    theirs = [_stored(service, 100 + n, {Stage.METRICS: 4, Stage.INFERENCE: 2}) for n in range(3)]
    open_one = _stored(service, 200, {Stage.METRICS: 4}, ended=False)
    one = client.get("/api/progress", params={"sessions": mine[0]}).json()
    assert one["sessions"] == 1 and one["stages"]["metrics"] == [
        {"session_id": mine[0], "at": "2023-11-14T22:13:20Z", "score": 1}
    ]
    assert one["next_drill"] == {"stage": "metrics", "due": one["next_drill"]["due"]} and one["weakest"][0] == "metrics"
    all_mine = client.get("/api/progress", params={"sessions": ",".join([*mine, open_one, "no-such-id"])}).json()
    assert all_mine["sessions"] == 50 and len(all_mine["stages"]["metrics"]) == 50
    assert all_mine["stages"]["inference"] == [] and "inference" not in all_mine["level"]
    shown = {p["session_id"] for points in all_mine["stages"].values() for p in points}
    assert shown == set(mine) and not shown & set(theirs)
    assert all_mine["level"]["metrics"] == round((4 + 1 + 2) / 3, 2)  # the last three: n = 47, 48, 49
    other = client.get("/api/progress", params={"sessions": ",".join(theirs)}).json()
    assert other["sessions"] == 3 and {p["session_id"] for p in other["stages"]["metrics"]} == set(theirs)
    too_many = client.get("/api/progress", params={"sessions": ",".join(f"x{i}" for i in range(MAX_SESSIONS + 1))})
    assert too_many.status_code == 422 and f"at most {MAX_SESSIONS}" in too_many.json()["detail"]


def test_the_page_shows_this_browsers_progress_as_a_chart_and_a_summary(service: InterviewService) -> None:
    handlers = PageHandlers(service)
    chart, summary, drill = handlers.progress([])
    assert chart == "" and "No finished interviews yet" in summary and drill["visible"] is False
    ids = [_stored(service, n, {s: 1 + (n + i) % 4 for i, s in enumerate(STAGES)}) for n in range(50)]
    started = time.perf_counter()
    chart, summary, drill = handlers.progress(ids)
    elapsed = time.perf_counter() - started
    assert chart.startswith('<img src="data:image/svg+xml;base64,') and "**50 finished interviews.**" in summary
    assert "**Weakest:**" in summary and "**Drill next:**" in summary and "Verdicts, oldest first" in summary
    assert drill["visible"] is True and drill["value"].startswith("Drill ")
    print(f"progress for 50 sessions rendered in {elapsed * 1000:.0f} ms")


def test_cli_progress_follows_the_sessions_chat_started_here(isolated_env: Path) -> None:
    empty = runner.invoke(app, ["progress"])
    assert empty.exit_code == 0 and "No finished interviews yet" in empty.output
    chat = runner.invoke(app, ["chat", "--question", "fraud_card_payments"], input="We frame it as fraud.\n/end\n")
    assert chat.exit_code == 0, chat.output
    session_id = chat.output.split("Session ")[1].split(".")[0]
    assert session_ids(profile_path(isolated_env)) == [session_id]
    shown = runner.invoke(app, ["progress", "--json"])
    assert shown.exit_code == 0, shown.output
    found = json.loads(shown.stdout)
    assert found["sessions"] == 1 and found["verdicts"][0]["session_id"] == session_id
    text = runner.invoke(app, ["progress"])
    assert "**1 finished interview.**" in text.output and "| Metrics" in text.output
    other = runner.invoke(app, ["progress", "--json", "--sessions", "no-such-session"])
    assert json.loads(other.stdout)["sessions"] == 0


def test_a_damaged_profile_is_reported_and_left_as_it_was(isolated_env: Path) -> None:
    path = profile_path(isolated_env)
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ProfileError, match="cannot be read"):
        remember(path, "s1")
    result = runner.invoke(app, ["progress"])
    assert result.exit_code == 2 and "profile" in result.output and str(path) in result.output
    assert path.read_text(encoding="utf-8") == "{not json"


def test_cli_progress_over_50_sessions_named(isolated_env: Path) -> None:
    stored = build_service(Settings())
    ids = [_stored(stored, n, {Stage.TRAINING: 1 + n % 4, Stage.METRICS: 2}) for n in range(50)]
    found = runner.invoke(app, ["progress", "--json", "--sessions", ",".join(ids)])
    assert found.exit_code == 0, found.output
    progress = json.loads(found.stdout)
    assert progress["sessions"] == 50 and len(progress["stages"]["training"]) == 50
    assert progress["weakest"] == ["metrics", "training"] and progress["level"]["metrics"] == 2.0
    text = runner.invoke(app, ["progress", "--sessions", ",".join(ids)])
    assert "**50 finished interviews.**" in text.output and "**Weakest:** Metrics" in text.output
