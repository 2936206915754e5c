"""`interviewer eval` backends: offline, live (a real HTTP server), recorded (cassettes, no network); usage per turn."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from tests.fakes import ScriptedChat
from tests.stub_openai import running_stub
from typer.testing import CliRunner

from interviewer.cli import app
from interviewer.evals.backends import compact_stream
from interviewer.evals.usage import Meter, MeteredChat
from interviewer.llm.base import CallOptions, ChatMessage, Finished, Usage, texts
from interviewer.llm.calibration import load_calibration

runner = CliRunner()
EVALS = Path(__file__).resolve().parents[1] / "evals"
SECRET = "sk-test-do-not-store-0123456789"


def _sse(words: list[str], finish: str = "stop") -> str:
    chunks = [{"id": "chatcmpl-9", "created": 7, "model": "m", "system_fingerprint": "fp", "choices": [
        {"index": 0, "delta": {"content": w}, "finish_reason": None}]} for w in words]
    chunks.append({"id": "chatcmpl-9", "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]})
    return "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"


def _replayed_text(sse: str) -> tuple[str, list[str | None]]:
    events = [json.loads(line[5:]) for line in sse.splitlines() if line.startswith("data:") and "[DONE]" not in line]
    text = "".join(e["choices"][0]["delta"].get("content", "") for e in events)
    return text, [e["choices"][0]["finish_reason"] for e in events]


def test_compacting_a_stream_keeps_the_text_and_finish_and_shrinks_it() -> None:
    words = ["What", " is", " the", " label", " delay", "?", " And", " the", " base", " rate", "."]
    original = _sse(words)
    compacted = compact_stream(original)
    text, finishes = _replayed_text(compacted)
    assert text == "".join(words)
    assert finishes[-1] == "stop" and finishes.count("stop") == 1
    assert len(finishes) == 3  # two sentences, then the finish
    assert len(compacted) < len(original) / 2
    assert "chatcmpl-9" not in compacted and "fp" not in compacted


def test_metered_chat_counts_tokens_latency_and_early_stops() -> None:
    meter = Meter(lambda text: len(text.split()))
    chat = MeteredChat(ScriptedChat(["Why ", "that ", "metric?"], ["One ", "two ", "three"]), meter)
    said = chat.stream([ChatMessage("user", "pick a metric now")], CallOptions(50))
    assert "".join(texts(said)) == "Why that metric?"
    stream = chat.stream([ChatMessage("user", "go")], CallOptions(50))
    next(stream)
    stream.close()  # the consumer stopped early: the call still counts, with what it read
    first, second = meter.calls
    assert (first.prompt_tokens, first.completion_tokens) == (4, 3)
    assert (second.prompt_tokens, second.completion_tokens) == (1, 1)
    assert first.first_token_ms is not None and first.latency_ms >= first.first_token_ms
    assert not first.counted_by_server and meter.summary("recorded")["token_counts"] == "estimated"


def test_metered_chat_takes_the_servers_token_counts_when_it_sends_them() -> None:
    meter = Meter(lambda text: len(text.split()))
    counted = (["Why ", "that?"], Finished("stop", Usage(prompt_tokens=120, completion_tokens=3)))
    chat = MeteredChat(ScriptedChat(counted, ["No ", "counts."]), meter)
    list(chat.stream([ChatMessage("user", "pick a metric now")], CallOptions(50)))
    assert (meter.calls[0].prompt_tokens, meter.calls[0].completion_tokens) == (120, 3)  # not the estimate (4, 2)
    assert meter.summary("live")["token_counts"] == "server"
    list(chat.stream([ChatMessage("user", "go")], CallOptions(50)))
    assert meter.summary("live")["token_counts"] == "mixed"
    summary = meter.summary("live")
    assert summary["model_calls"] == 2 and summary["replies"] == 0


def _judge(*args: str) -> dict[str, object]:
    result = runner.invoke(app, ["eval", "--task", "judge", "--json", *args])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def test_offline_usage_has_no_model_calls(isolated_env: Path) -> None:
    metrics = _judge("--transcripts", str(EVALS / "transcripts" / "test"))
    usage = metrics["usage"]
    assert isinstance(usage, dict)
    assert usage["backend"] == "offline" and usage["scored"] == metrics["n"] == 16
    assert usage["model_calls"] == 0 and usage["prompt_tokens_per_turn"] == 0
    assert usage["score_latency_ms"]["p95"] >= usage["score_latency_ms"]["p50"] > 0


@pytest.fixture
def two_transcripts(tmp_path: Path) -> Path:
    folder = tmp_path / "two"
    folder.mkdir()
    for path in sorted((EVALS / "transcripts" / "test").glob("*.json"))[:2]:
        shutil.copy(path, folder / path.name)
    return folder


def test_live_run_records_a_cassette_without_secrets_that_replays_the_same(
    isolated_env: Path, two_transcripts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INTERVIEWER_LLM_API_KEY", SECRET)
    cassette = tmp_path / "judge.yaml"
    with running_stub() as (base_url, recorder):
        live = _judge("--transcripts", str(two_transcripts), "--backend", "live", "--base-url", base_url,
                      "--model", "ok", "--record", "--cassette", str(cassette))
    assert len(recorder.bodies) == 2 and live["usage"]["model_calls"] == 2  # type: ignore[index]
    stored = cassette.read_text(encoding="utf-8")
    assert SECRET not in stored and "authorization" not in stored.lower() and "127.0.0.1" not in stored
    replayed = _judge("--transcripts", str(two_transcripts), "--backend", "recorded", "--cassette", str(cassette))
    assert {k: v for k, v in replayed.items() if k != "usage"} == {k: v for k, v in live.items() if k != "usage"}
    usage = replayed["usage"]
    assert isinstance(usage, dict)
    assert usage["cassette"]["played"] == 2 and usage["cassette"]["unplayed"] == 0
    assert usage["prompt_tokens_per_turn"] == live["usage"]["prompt_tokens_per_turn"]  # type: ignore[index]


def test_a_changed_transcript_stops_the_replay_with_how_to_rerecord(
    isolated_env: Path, two_transcripts: Path, tmp_path: Path
) -> None:
    cassette = tmp_path / "judge.yaml"
    with running_stub() as (base_url, _):
        _judge("--transcripts", str(two_transcripts), "--backend", "live", "--base-url", base_url, "--model", "ok",
               "--record", "--cassette", str(cassette))
    first = sorted(two_transcripts.glob("*.json"))[0]
    data = json.loads(first.read_text())
    data["turns"].append({"role": "candidate", "content": "I would also log every model decision for audits."})
    first.write_text(json.dumps(data))
    result = runner.invoke(app, ["eval", "--transcripts", str(two_transcripts), "--backend", "recorded",
                                 "--cassette", str(cassette)])
    assert result.exit_code == 2
    assert "no match" in result.stderr and "Re-record" in result.stderr


def test_backend_options_are_checked_before_anything_runs(isolated_env: Path, tmp_path: Path) -> None:
    cases = {
        ("--record",): "--record and --local-model need --backend live",
        ("--backend", "live"): "needs --base-url and --model",
        ("--backend", "recorded", "--cassette", str(tmp_path / "none.yaml")): "no cassette at",
        ("--task", "retrieval", "--backend", "recorded"): "uses no model",
    }
    for args, message in cases.items():
        result = runner.invoke(app, ["eval", *args])
        assert result.exit_code == 2, args
        assert message in result.stderr, (args, result.stderr)


def _interactions(name: str) -> int:
    return len(yaml.safe_load((EVALS / "cassettes" / name).read_text(encoding="utf-8"))["interactions"])


def test_shipped_judge_cassette_replays_every_blind_transcript_with_no_network(isolated_env: Path) -> None:
    metrics = _judge("--backend", "recorded")
    usage = metrics["usage"]
    assert isinstance(usage, dict)
    assert metrics["n"] == usage["model_calls"] == _interactions("judge.yaml") == 32
    assert usage["cassette"]["unplayed"] == 0
    assert usage["prompt_tokens_per_turn"] > 0 and usage["completion_tokens_per_turn"] > 0


@pytest.mark.parametrize(("task", "limit"), [("interviewer", "4"), ("replay", "1"), ("clarify", "27")])
def test_shipped_task_cassettes_replay_completely(isolated_env: Path, task: str, limit: str) -> None:
    result = runner.invoke(app, ["eval", "--task", task, "--limit", limit, "--backend", "recorded", "--json"])
    assert result.exit_code == 0, result.output
    usage = json.loads(result.stdout)["usage"]
    assert usage["model_calls"] == usage["cassette"]["played"] == _interactions(f"{task}.yaml")
    assert usage["cassette"]["unplayed"] == 0 and usage["replies"] > 0


def test_a_model_judge_run_measures_each_stage_and_writes_the_calibration_the_app_reads(
    isolated_env: Path, two_transcripts: Path, tmp_path: Path
) -> None:
    written = tmp_path / "cal" / "judge-calibration.json"
    with running_stub() as (base_url, recorder):
        metrics = _judge("--transcripts", str(two_transcripts), "--backend", "live", "--base-url", base_url,
                         "--model", "judge-1", "--calibrate", str(written))
    assert len(recorder.bodies) == 2 and all("response_format" in body for body in recorder.bodies)
    calibration = load_calibration(written)
    found = metrics["model_judge"]
    assert isinstance(found, dict) and found["calibration"] == calibration.model_dump(mode="json")
    assert calibration.model == "judge-1" and "(2 transcripts)" in calibration.measured_on
    assert found["parsed"] == 2 and found["failures"] == [] and metrics["judge_fallbacks"] == 0
    rows = metrics["rows"]
    assert isinstance(rows, list)
    reached = [s for s, v in rows[0]["judge"]["stages"].items() if v is not None]
    assert reached and all(rows[0]["judge"]["stages"][s] == 1 for s in reached), "the model's 1s on every stage"
    for stage, agreement in calibration.stages.items():
        assert calibration.trusts(stage) is (agreement.model > agreement.offline)
        assert (stage.value in found["trusted"]) is calibration.trusts(stage)
    offline = _judge("--transcripts", str(two_transcripts))["agreement"]
    assert found["offline"]["judge_vs_labels"]["pooled_qwk"] == offline["judge_vs_labels"]["pooled_qwk"]  # type: ignore[index]


def test_calibrating_needs_a_model_judge(isolated_env: Path, tmp_path: Path) -> None:
    for args in (["--task", "judge"], ["--task", "clarify", "--backend", "recorded"]):
        result = runner.invoke(app, ["eval", *args, "--calibrate", str(tmp_path / "c.json")])
        assert result.exit_code == 2 and "--calibrate needs --task judge" in result.stderr
    assert not (tmp_path / "c.json").exists()
