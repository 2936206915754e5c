"""`interviewer eval`: the judge, interviewer, simulate and retrieval tasks, on any backend, with a report per task."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from interviewer.bootstrap import build_knowledge
from interviewer.config import Settings
from interviewer.evals.backends import Backend, BackendChoice, BackendError, Replay
from interviewer.evals.behaviour import check_interviewer
from interviewer.evals.gates import judge_failures, load_gates
from interviewer.evals.harness import EvalEnv, eval_env
from interviewer.evals.runner import evaluate_judge, markdown_table, write_report
from interviewer.evals.simulate import PERSONAS, order_rate, simulate
from interviewer.evaluation import LabelledCase, retrieval_metrics
from interviewer.llm.local_server import MODEL_ALIAS, LocalModelServer, LocalModelUnavailable
from interviewer.questions import BankError
from interviewer.retrieval.hybrid import Mode
from interviewer.transcripts import TranscriptError, load_labelled, load_retrieval_queries

DEFAULT_TRANSCRIPTS = Path("evals/transcripts")
DEFAULT_QUERIES = Path("evals/retrieval.jsonl")
CASSETTES = Path("evals/cassettes")
REPORTS = Path("evals/reports")
GATES = Path("evals/gates.toml")


class EvalTask(StrEnum):
    JUDGE = "judge"
    RETRIEVAL = "retrieval"
    SIMULATE = "simulate"
    INTERVIEWER = "interviewer"


@dataclass(frozen=True)
class Outcome:
    """What a task produced: its metrics (JSON), its table (Markdown) and whether its own gate held."""

    metrics: dict[str, object]
    table: str
    passed: bool = True


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def evaluate(  # one option per parameter is how typer declares a command
    *,
    task: Annotated[EvalTask, typer.Option(help="What to evaluate.")] = EvalTask.JUDGE,
    transcripts: Annotated[Path, typer.Option(help="Directory of labelled transcripts.")] = DEFAULT_TRANSCRIPTS,
    queries: Annotated[Path, typer.Option(help="Retrieval queries (JSON lines).")] = DEFAULT_QUERIES,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
    gate: Annotated[
        str | None, typer.Option(help="Fail (exit 1) below this gate, e.g. judge.test from evals/gates.toml.")
    ] = None,
    backend: Annotated[Backend, typer.Option(help="offline (no model), recorded (cassettes), live (a server).")] = (
        Backend.OFFLINE
    ),
    base_url: Annotated[str | None, typer.Option(help="live: the OpenAI-compatible server, e.g. .../v1.")] = None,
    model: Annotated[str | None, typer.Option(help="live: the model name the server knows.")] = None,
    cassette: Annotated[
        Path | None, typer.Option(help="recorded: the cassette to replay; default evals/cassettes/TASK.yaml.")
    ] = None,
    record: Annotated[bool, typer.Option(help="live: record the model's HTTP traffic to --cassette.")] = False,
    local_model: Annotated[
        bool, typer.Option(help="live: start the bundled SmolLM2 llama.cpp server for this run and use it.")
    ] = False,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N transcripts or questions.")] = None,
) -> None:
    """Judge agreement with human labels, interviewer behaviour, simulated candidates, or retrieval quality."""
    if (record or local_model) and backend is not Backend.LIVE:
        raise _fail("--record and --local-model need --backend live")
    choice = BackendChoice(backend, base_url, model, cassette or CASSETTES / f"{task.value}.yaml", record)
    if task is EvalTask.RETRIEVAL:
        if backend is not Backend.OFFLINE:
            raise _fail("the retrieval task uses no model: run it without --backend")
        _emit("retrieval", _eval_retrieval(queries, limit), as_json)
        return
    with _local_server(local_model) as local:
        if local is not None:
            choice = replace(choice, base_url=local.base_url, model=MODEL_ALIAS)
        outcome = _run(task, choice, transcripts, limit)
    _emit(task.value, outcome, as_json)
    if not outcome.passed:
        raise typer.Exit(1)
    if gate:
        _check_gate(gate, outcome.metrics)


@contextmanager
def _local_server(wanted: bool) -> Iterator[LocalModelServer | None]:
    if not wanted:
        yield None
        return
    try:
        with LocalModelServer() as server:
            yield server
    except LocalModelUnavailable as exc:
        raise _fail(str(exc)) from exc


def _run(task: EvalTask, choice: BackendChoice, transcripts: Path, limit: int | None) -> Outcome:
    tasks: dict[EvalTask, Callable[[EvalEnv], Outcome]] = {
        EvalTask.JUDGE: lambda env: _eval_judge(env, transcripts, limit),
        EvalTask.INTERVIEWER: lambda env: _eval_interviewer(env, transcripts, limit),
        EvalTask.SIMULATE: lambda env: _eval_simulate(env, limit),
    }
    try:
        with choice.active() as replay, eval_env(Settings(), choice) as env:
            outcome = tasks[task](env)
    except BackendError as exc:
        raise _fail(str(exc)) from exc
    except BankError as exc:
        raise _fail(f"the question bank is broken: {exc}") from exc
    return _with_usage(outcome, env, replay)


def _with_usage(outcome: Outcome, env: EvalEnv, replay: Replay | None) -> Outcome:
    usage = env.usage()
    if replay is not None:
        usage["cassette"] = {"path": str(replay.cassette), "played": replay.played, "unplayed": replay.unplayed}
    table = f"{outcome.table}\n\n{usage_table(usage)}"
    return Outcome({**outcome.metrics, "usage": usage}, table, outcome.passed)


def usage_table(usage: dict[str, object]) -> str:
    """Tokens and latency per turn, one row per measure."""
    lines = [f"backend: {usage['backend']}", "", "| usage | value |", "|---|---|"]
    for key in ("replies", "scored", "model_calls", "prompt_tokens_per_turn", "completion_tokens_per_turn"):
        lines.append(f"| {key} | {usage[key]} |")
    for key in ("reply_latency_ms", "score_latency_ms", "model_latency_ms", "first_token_ms"):
        value = usage[key]
        cell = "n/a" if not isinstance(value, dict) else f"p50 {value['p50']} · p95 {value['p95']} · max {value['max']}"
        lines.append(f"| {key} | {cell} |")
    return "\n".join(lines)


def _emit(task: str, outcome: Outcome, as_json: bool) -> None:
    write_report(REPORTS, task, outcome.metrics, outcome.table)
    typer.echo(json.dumps(outcome.metrics, indent=2) if as_json else outcome.table)


def _check_gate(gate: str, metrics: dict[str, object]) -> None:
    section, _, split = gate.partition(".")
    try:
        thresholds = load_gates(GATES)[section][split]
    except KeyError as exc:
        raise _fail(f"no gate {gate} in {GATES}") from exc
    failures = judge_failures(metrics, thresholds)
    for failure in failures:
        typer.echo(f"gate {gate}: {failure}", err=True)
    if failures:
        raise typer.Exit(1)
    typer.echo(f"gate {gate}: passed")


def _labelled(transcripts: Path, limit: int | None) -> list[LabelledCase]:
    if not transcripts.is_dir():
        raise _fail(f"{transcripts} is not a directory")
    cases, skipped = load_labelled(transcripts)
    for reason in skipped:
        typer.echo(f"skipped {reason}", err=True)
    return cases[:limit]


def _eval_judge(env: EvalEnv, transcripts: Path, limit: int | None) -> Outcome:
    cases = _labelled(transcripts, limit)
    metrics = evaluate_judge(cases, env.service.score)
    table = markdown_table(metrics) if cases else "no labelled transcripts"
    fallbacks = metrics["judge_fallbacks"]
    head = f"{len(cases)} labelled transcripts from `{transcripts}`; the model judge fell back on {fallbacks}"
    return Outcome(metrics, f"{head}\n\n{table}")


def _eval_interviewer(env: EvalEnv, transcripts: Path, limit: int | None) -> Outcome:
    """Replay every transcript's candidate turns through the interviewer; a pass rate per behaviour check."""
    cases = _labelled(transcripts, limit)
    tally = check_interviewer(env.service, [c.transcript for c in cases])
    rates = tally.rates()
    rows = [f"| {name} | {'n/a' if rate is None else f'{rate:.0%}'} |" for name, rate in rates.items()]
    summary = f"{len(cases)} transcripts replayed: {tally.replies} replies, {tally.fallbacks} fell back to offline"
    table = "\n".join([summary, "", "| check | pass rate |", "|---|---|", *rows])
    metrics = {"n": len(cases), "checks": rates, "replies": tally.replies, "fallback_replies": tally.fallbacks}
    return Outcome(metrics, table)


def _eval_simulate(env: EvalEnv, limit: int | None) -> Outcome:
    """Simulated candidates through whole interviews; fails when their order breaks on any question."""
    gate = load_gates(GATES)["simulate"]
    runs = simulate(env.service, env.service.questions()[: limit or int(gate["questions"])])
    rate = order_rate(runs)
    rows = {run.question_id: {**run.overall, "ordered": run.ordered} for run in runs}
    header = "| question | " + " | ".join(PERSONAS) + " | in order |\n|---|" + "---|" * (len(PERSONAS) + 1)
    lines = [
        f"| {q} | " + " | ".join(f"{r[p]:.2f}" for p in PERSONAS) + f" | {r['ordered']} |" for q, r in rows.items()
    ]
    table = "\n".join([header, *lines, "", f"order held on {rate:.0%} of questions"])
    return Outcome({"order_rate": rate, "questions": rows}, table, rate >= float(gate["order_min"]))


def _eval_retrieval(path: Path, limit: int | None) -> Outcome:
    try:
        rows = load_retrieval_queries(path)[:limit]
    except (OSError, TranscriptError) as exc:
        raise _fail(str(exc)) from exc
    knowledge = build_knowledge(Settings())
    table = {mode.value: retrieval_metrics(rows, knowledge.retriever(mode).search) for mode in Mode}
    lines = [f"{len(rows)} queries", "", "| mode | recall@5 | MRR |", "|---|---|---|"]
    lines += [f"| {mode} | {m['recall_at_5']} | {m['mrr']} |" for mode, m in table.items()]
    return Outcome({"n": len(rows), "modes": table}, "\n".join(lines))
