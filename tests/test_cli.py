from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import STRONG_FRAUD
from typer.testing import CliRunner

from interviewer.cli import app
from interviewer.domain import STAGES

runner = CliRunner()


def test_questions_lists_the_bank(isolated_env: Path) -> None:
    plain = runner.invoke(app, ["questions"])
    listed = runner.invoke(app, ["questions", "--json"])
    assert plain.exit_code == 0 and "fraud_card_payments" in plain.output
    rows = json.loads(listed.output)
    assert len(rows) >= 5 and {"id", "title", "domain", "levels"} <= set(rows[0])


def test_chat_runs_an_interview_with_hint_and_end(isolated_env: Path) -> None:
    typed = "\n".join(["What is the fraud rate?", "", "/hint", *STRONG_FRAUD, "/end"]) + "\n"
    result = runner.invoke(app, ["chat", "--question", "fraud_card_payments"], input=typed)
    assert result.exit_code == 0, result.output
    assert "Roughly 0.1% of transactions" in result.output
    assert "message is empty" in result.output
    assert "Hint:" in result.output
    assert "## Feedback: Fraud detection for card payments" in result.output
    assert (isolated_env / "sessions.sqlite3").exists()


def test_piped_chat_prints_each_reply_on_a_line_of_its_own(isolated_env: Path) -> None:
    """With messages piped in (no terminal), no "you> " prompt is printed: it had put every reply after it on one line
    ("you> interviewer [problem_formulation]> ..."), so a saved transcript read as if the candidate said it."""
    result = runner.invoke(app, ["chat", "--question", "ads_ctr"], input="What is the latency budget?\n")
    assert result.exit_code == 0, result.output
    replies = [line for line in result.output.splitlines() if "interviewer [" in line]
    assert replies and all(line.startswith("interviewer [") for line in replies), result.output
    assert "you>" not in result.output


def test_chat_resumes_a_saved_session(isolated_env: Path) -> None:
    first = runner.invoke(app, ["chat", "--question", "ads_ctr"], input="What is the latency budget?\n")
    session_id = first.output.split("--session ")[1].split()[0]
    resumed = runner.invoke(app, ["chat", "--session", session_id], input="/end\n")
    assert resumed.exit_code == 0 and f"Resuming {session_id}" in resumed.output
    assert "## Feedback" in resumed.output


def test_chat_with_unknown_question_or_level_fails_clearly(isolated_env: Path) -> None:
    unknown = runner.invoke(app, ["chat", "--question", "nope"], input="")
    assert unknown.exit_code == 2 and "unknown question" in unknown.output
    bad_level = runner.invoke(app, ["chat", "--level", "E9"], input="")
    assert bad_level.exit_code != 0 and "E4, E5, E6" in bad_level.output


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "t.json"
    path.write_text(json.dumps(data))
    return path


def test_score_prints_a_report_for_a_transcript(isolated_env: Path, tmp_path: Path) -> None:
    turns = [{"role": "interviewer", "content": "Go ahead."}]
    turns += [{"role": "candidate", "content": answer} for answer in STRONG_FRAUD]
    path = _write(tmp_path, {"id": "x", "question_id": "fraud_card_payments", "turns": turns})
    as_json = runner.invoke(app, ["score", str(path), "--json"])
    report = json.loads(as_json.output)
    assert set(report["stages"]) == {s.value for s in STAGES}
    assert report["verdict"] in ("hire", "strong_hire")
    assert "## Feedback" in runner.invoke(app, ["score", str(path)]).output


def test_score_accepts_a_free_text_question(isolated_env: Path, tmp_path: Path) -> None:
    turns = [{"role": "candidate", "content": "Offline precision and recall because positives are rare."}]
    path = _write(tmp_path, {"id": "x", "question": "Design a spam filter", "turns": turns})
    result = runner.invoke(app, ["score", str(path), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["stages"]["metrics"]["score"] >= 3


def test_score_rejects_malformed_files_with_a_clear_message(isolated_env: Path, tmp_path: Path) -> None:
    cases = {
        "not json": "{oops",
        "no question": json.dumps({"id": "x", "turns": [{"role": "candidate", "content": "hi"}]}),
        "bad role": json.dumps({"id": "x", "question": "q", "turns": [{"role": "bot", "content": "hi"}]}),
        "no turns": json.dumps({"id": "x", "question": "q", "turns": []}),
    }
    for name, text in cases.items():
        path = tmp_path / "bad.json"
        path.write_text(text)
        result = runner.invoke(app, ["score", str(path)])
        assert result.exit_code == 2, name
        assert result.output.startswith("error: ") and "Traceback" not in result.output, name
    missing = runner.invoke(app, ["score", str(tmp_path / "absent.json")])
    assert missing.exit_code == 2 and "cannot read" in missing.output
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert runner.invoke(app, ["score", str(binary)]).exit_code == 2


def test_eval_reports_the_judge_against_each_labeller_beside_their_own_agreement(isolated_env: Path) -> None:
    result = runner.invoke(app, ["eval", "--transcripts", "evals/blind/transcripts", "--json", "--limit", "6"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    fields = {"pooled_qwk", "stage_qwk_mean", "exact", "spearman_overall", "verdict_exact", "verdict_within_one"}
    agreed = metrics["agreement"]
    assert set(agreed) == {"judge_vs_labels", "judge_vs_labels_b", "labels_vs_labels_b"}
    assert all(fields <= set(column) and column["n"] == 6 for column in agreed.values())
    assert set(metrics["baselines"]) == {"random", "length"}
    assert all(fields <= set(b) and fields <= set(b["vs_labels_b"]) for b in metrics["baselines"].values())
    assert len(metrics["rows"]) == 6 and {"id", "judge", "labels", "labels_b"} <= set(metrics["rows"][0])
    for stage in agreed["judge_vs_labels"]["stages"].values():
        assert {"qwk", "exact", "adjacent"} == set(stage) and stage["exact"] <= stage["adjacent"]
    assert json.loads(Path("evals/reports/judge.json").read_text())["n"] == 6


def test_eval_clarify_reports_each_kind_and_every_miss(isolated_env: Path, tmp_path: Path) -> None:
    items = tmp_path / "items.jsonl"
    rows = [
        {"question_id": "fraud_card_payments", "text": "What's the latency budget?", "fact_ids": ["latency"],
         "kind": "single"},
        {"question_id": "fraud_card_payments", "text": "Do we have a mascot?", "fact_ids": [], "kind": "off_sheet"},
        {"question_id": "fraud_card_payments", "text": "I'll start with a rules baseline.", "fact_ids": [],
         "kind": "statement"},
    ]
    items.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    result = runner.invoke(app, ["eval", "--task", "clarify", "--items", str(items), "--json"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert {"single", "double", "off_sheet", "statement", "precision", "n", "misses"} <= set(metrics)
    assert metrics["n"] == 3 and metrics["double"] is None
    assert metrics["single"] == 1.0 and metrics["off_sheet"] == 1.0 and metrics["statement"] == 1.0
    assert metrics["misses"] == []


def test_eval_clarify_names_a_bad_item(isolated_env: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question_id": "fraud_card_payments", "text": "x?", "fact_ids": [], "kind": "single"}\n')
    result = runner.invoke(app, ["eval", "--task", "clarify", "--items", str(bad)])
    assert result.exit_code == 2 and "bad.jsonl:1" in result.output and "single item names 1" in result.output
    unknown = tmp_path / "unknown.jsonl"
    unknown.write_text('{"question_id": "fraud_card_payments", "text": "x?", "fact_ids": ["nope"], "kind": "single"}\n')
    result = runner.invoke(app, ["eval", "--task", "clarify", "--items", str(unknown)])
    assert result.exit_code == 2 and "no fact(s) ['nope']" in result.output


def test_a_gate_is_checked_before_the_run(isolated_env: Path) -> None:
    cases = {
        ("--gate", "judge.nope"): "no gate judge.nope",
        ("--task", "clarify", "--gate", "judge.blind"): "is for --task judge, not clarify",
        ("--transcripts", "evals/transcripts/dev", "--gate", "judge.blind"): "measured on --transcripts",
    }
    for args, message in cases.items():
        result = runner.invoke(app, ["eval", *args])
        assert result.exit_code == 2 and message in result.output, (args, result.output)


def test_eval_skips_bad_files_with_a_reason_and_rejects_a_missing_dir(isolated_env: Path, tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("{")
    (tmp_path / "unlabelled.json").write_text(json.dumps({"id": "u", "question": "q", "turns": [
        {"role": "candidate", "content": "hi"}]}))
    result = runner.invoke(app, ["eval", "--transcripts", str(tmp_path)])
    assert result.exit_code == 0
    assert "broken.json: not valid UTF-8 JSON" in result.output and "unlabelled.json: no labels" in result.output
    assert runner.invoke(app, ["eval", "--transcripts", str(tmp_path / "none")]).exit_code == 2


def test_retrieval_eval_meets_the_target_and_beats_each_mode_alone(isolated_env: Path) -> None:
    result = runner.invoke(app, ["eval", "--task", "retrieval", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    modes = report["modes"]
    assert report["n"] >= 60
    assert modes["hybrid"]["recall_at_5"] >= 0.90
    assert modes["hybrid"]["recall_at_5"] > max(modes["dense"]["recall_at_5"], modes["bm25"]["recall_at_5"])


def test_retrieval_finds_the_note_for_questions_phrased_the_way_candidates_speak(isolated_env: Path) -> None:
    """evals/retrieval_spoken.jsonl was written from topic names only, without reading the notes."""
    result = runner.invoke(app, ["eval", "--task", "retrieval", "--queries", "evals/retrieval_spoken.jsonl", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["n"] == 40
    assert report["modes"]["hybrid"]["recall_at_5"] >= 0.93
    assert report["modes"]["hybrid"]["mrr"] >= 0.85


def test_retrieval_eval_reports_a_bad_query_line(isolated_env: Path, tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text('{"id": "a", "query": "x", "relevant": ["leakage"]}\n{"id": "b", "query": ""}\n')
    result = runner.invoke(app, ["eval", "--task", "retrieval", "--queries", str(path)])
    assert result.exit_code == 2 and "q.jsonl:2" in result.output


def test_index_then_search_your_own_material(isolated_env: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "ideas.md").write_text("# Shadow mode\n\nMirror requests to the challenger model before launch.\n")
    (folder / "photo.png").write_bytes(b"\x89PNG")
    indexed = runner.invoke(app, ["index", str(folder), str(tmp_path / "absent")])
    assert indexed.exit_code == 0, indexed.output
    assert "1 file(s) read, 2 skipped" in indexed.output
    assert "photo.png: unsupported type .png" in indexed.output and "absent: no such file" in indexed.output
    found = json.loads(runner.invoke(app, ["search", "mirror traffic to the challenger", "--k", "3", "--json"]).output)
    assert found[0]["source"].endswith("ideas.md")
    assert {"chunk_id", "source", "heading", "text", "score"} == set(found[0])


def test_search_filters_by_stage_and_rejects_bad_input(isolated_env: Path) -> None:
    found = json.loads(runner.invoke(app, ["search", "split the data", "--stage", "training", "--json"]).output)
    assert len(found) == 5
    assert runner.invoke(app, ["search", "   "]).exit_code == 2
    assert runner.invoke(app, ["search", "x", "--stage", "nope"]).exit_code == 2
    assert runner.invoke(app, ["search", "x", "--k", "0"]).exit_code == 2


def test_score_markdown_embeds_the_radar_chart(isolated_env: Path, tmp_path: Path) -> None:
    turns = [{"role": "candidate", "content": answer} for answer in STRONG_FRAUD]
    path = _write(tmp_path, {"id": "x", "question_id": "fraud_card_payments", "turns": turns})
    result = runner.invoke(app, ["score", str(path), "--markdown"])
    assert result.exit_code == 0
    assert result.output.startswith("![Radar chart of the stage scores](data:image/svg+xml;base64,")
    assert "## Feedback: Fraud detection for card payments" in result.output
