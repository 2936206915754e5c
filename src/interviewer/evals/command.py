"""`interviewer eval`: the judge, interviewer, replay, clarify and retrieval tasks on any backend, a report for each."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from interviewer.bootstrap import build_knowledge
from interviewer.config import Settings
from interviewer.evals import clarify, replay
from interviewer.evals.backends import Backend, BackendChoice, BackendError, Replay
from interviewer.evals.behaviour import check_interviewer
from interviewer.evals.gates import gate_failures, load_gates
from interviewer.evals.harness import EvalEnv, eval_env
from interviewer.evals.model_judge import calibration_failures, calibration_table, evaluate_model_judge
from interviewer.evals.oracles import LeakFinder
from interviewer.evals.runner import evaluate_judge, markdown_table, write_report
from interviewer.evaluation import LabelledCase, retrieval_metrics
from interviewer.llm.local_server import MODEL_ALIAS, LocalModelServer, LocalModelUnavailable
from interviewer.questions import BankError
from interviewer.retrieval.hybrid import Mode
from interviewer.retrieval.similarity import EmbeddingSimilarity
from interviewer.transcripts import TranscriptError, load_clarify_items, load_labelled, load_retrieval_queries

DEFAULT_TRANSCRIPTS = Path("evals/blind/transcripts")
DEFAULT_ITEMS = Path("evals/blind/clarify")
DEFAULT_QUERIES = Path("evals/retrieval.jsonl")
CASSETTES = Path("evals/cassettes")
REPORTS = Path("evals/reports")
GATES = Path("evals/gates.toml")


class EvalTask(StrEnum):
    JUDGE = "judge"
    RETRIEVAL = "retrieval"
    INTERVIEWER = "interviewer"
    REPLAY = "replay"
    CLARIFY = "clarify"


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
    items: Annotated[Path, typer.Option(help="clarify: a folder (or file) of JSON-lines items.")] = DEFAULT_ITEMS,
    queries: Annotated[Path, typer.Option(help="Retrieval queries (JSON lines).")] = DEFAULT_QUERIES,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
    gate: Annotated[
        str | None, typer.Option(help="Fail (exit 1) below this gate of evals/gates.toml, e.g. judge.blind.")
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
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N transcripts or items.")] = None,
    calibrate: Annotated[
        Path | None,
        typer.Option(help="judge with a model: write the calibration (which stages the model scores) to this file."),
    ] = None,
) -> None:
    """Judge agreement with two labellers, interviewer behaviour, replayed candidates, clarifying answers, retrieval."""
    if (record or local_model) and backend is not Backend.LIVE:
        raise _fail("--record and --local-model need --backend live")
    if calibrate is not None and (task is not EvalTask.JUDGE or backend is Backend.OFFLINE):
        raise _fail("--calibrate needs --task judge with --backend live or recorded")
    choice = BackendChoice(backend, base_url, model, cassette or CASSETTES / f"{task.value}.yaml", record)
    if task is EvalTask.RETRIEVAL:
        if backend is not Backend.OFFLINE:
            raise _fail("the retrieval task uses no model: run it without --backend")
        _emit("retrieval", _eval_retrieval(queries, limit), as_json)
        return
    inputs = Inputs(transcripts, items, limit, calibrate)
    thresholds = _gate(gate, task, inputs) if gate else None
    with _local_server(local_model) as local:
        if local is not None:
            choice = replace(choice, base_url=local.base_url, model=MODEL_ALIAS)
        outcome = _run(task, choice, inputs)
    _emit(task.value, outcome, as_json)
    if not outcome.passed:
        raise typer.Exit(1)
    if gate and thresholds is not None:
        _check_gate(gate, thresholds, outcome.metrics)


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


@dataclass(frozen=True)
class Inputs:
    """What a task reads: labelled transcripts, clarify items, and how many of them."""

    transcripts: Path
    items: Path
    limit: int | None
    calibration: Path | None = None  # the judge task with a model writes its calibration here


def _run(task: EvalTask, choice: BackendChoice, inputs: Inputs) -> Outcome:
    tasks: dict[EvalTask, Callable[[EvalEnv, Inputs], Outcome]] = {
        EvalTask.JUDGE: _eval_judge,
        EvalTask.INTERVIEWER: _eval_interviewer,
        EvalTask.REPLAY: _eval_replay,
        EvalTask.CLARIFY: _eval_clarify,
    }
    try:
        with choice.active() as played, eval_env(Settings(), choice) as env:
            outcome = tasks[task](env, inputs)
    except BackendError as exc:
        raise _fail(str(exc)) from exc
    except BankError as exc:
        raise _fail(f"the question bank is broken: {exc}") from exc
    except (TranscriptError, clarify.ClarifyDataError) as exc:
        raise _fail(str(exc)) from exc
    return _with_usage(outcome, env, played)


def _with_usage(outcome: Outcome, env: EvalEnv, played: Replay | None) -> Outcome:
    usage = env.usage()
    if played is not None:
        usage["cassette"] = {"path": str(played.cassette), "played": played.played, "unplayed": played.unplayed}
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


def _gate(gate: str, task: EvalTask, inputs: Inputs) -> dict[str, Any]:
    """The gate's thresholds, checked before the run: it must exist, be for this task and for these inputs."""
    section, _, split = gate.partition(".")
    try:
        thresholds: dict[str, Any] = load_gates(GATES)[section][split]
    except KeyError as exc:
        raise _fail(f"no gate {gate} in {GATES}") from exc
    if section != task.value:
        raise _fail(f"gate {gate} is for --task {section}, not {task.value}")
    for key, given in (("transcripts", inputs.transcripts), ("items", inputs.items)):
        wanted = thresholds.get(key)
        if wanted and Path(wanted).resolve() != given.resolve():
            raise _fail(f"gate {gate} is measured on --{key} {wanted}, not {given}")
    return thresholds


def _check_gate(gate: str, thresholds: dict[str, Any], metrics: dict[str, object]) -> None:
    failures = gate_failures(metrics, thresholds)
    for failure in failures:
        typer.echo(f"gate {gate}: {failure}", err=True)
    if failures:
        raise typer.Exit(1)
    typer.echo(f"gate {gate}: passed")


def _labelled(inputs: Inputs) -> list[LabelledCase]:
    if not inputs.transcripts.is_dir():
        raise _fail(f"{inputs.transcripts} is not a directory")
    cases, skipped = load_labelled(inputs.transcripts)
    for reason in skipped:
        typer.echo(f"skipped {reason}", err=True)
    return cases[: inputs.limit]


def _eval_judge(env: EvalEnv, inputs: Inputs) -> Outcome:
    cases = _labelled(inputs)
    if env.model_judge is not None:
        return _eval_model_judge(env, inputs, cases)
    metrics = evaluate_judge(cases, env.service.score)
    table = markdown_table(metrics) if cases else "no labelled transcripts"
    fallbacks = metrics["judge_fallbacks"]
    head = f"{len(cases)} labelled transcripts from `{inputs.transcripts}`; the model judge fell back on {fallbacks}"
    return Outcome(metrics, f"{head}\n\n{table}")


def _eval_model_judge(env: EvalEnv, inputs: Inputs, cases: list[LabelledCase]) -> Outcome:
    """The model on every stage it scored (the headline), the offline judge and the calibrated mix beside it."""
    if not cases:
        raise _fail(f"no labelled transcripts in {inputs.transcripts}: nothing to calibrate on")
    model = env.model or "the model"
    measured_on = f"{inputs.transcripts} ({len(cases)} transcripts)"
    metrics, calibration = evaluate_model_judge(cases, env.read, model, measured_on)
    parsed = len(cases) - len(calibration_failures(metrics))
    if inputs.calibration is not None:
        inputs.calibration.parent.mkdir(parents=True, exist_ok=True)
        inputs.calibration.write_text(calibration.to_json(), encoding="utf-8")
    trusted = ", ".join(calibration.trusted()) or "no stage"
    written = f"; written to `{inputs.calibration}`" if inputs.calibration else ""
    head = (
        f"{len(cases)} labelled transcripts from `{inputs.transcripts}`, judged by {model} on every stage; its "
        f"judgement parsed {parsed} of {len(cases)} times (`judge_fallbacks` the rest). "
        f"Calibration: the model scores {trusted}{written}."
    )
    tables = f"{calibration_table(metrics)}\n\nThe model on every stage:\n\n{markdown_table(metrics)}"
    return Outcome(metrics, f"{head}\n\n{tables}")


def _eval_interviewer(env: EvalEnv, inputs: Inputs) -> Outcome:
    """Replay every transcript's candidate turns through the interviewer; a pass rate and the violations per check."""
    cases = _labelled(inputs)
    tally = check_interviewer(env.service, [c.transcript for c in cases], LeakFinder(EmbeddingSimilarity()))
    rates = tally.rates()
    rows = [
        f"| {name} | {'n/a' if rate is None else f'{rate:.1%}'} | {tally.total[check]} |"
        for (name, rate), check in zip(rates.items(), tally.total, strict=True)
    ]
    why = ", ".join(f"{reason} {n}" for reason, n in tally.reasons.most_common())
    summary = f"{len(cases)} transcripts replayed: {tally.replies} replies, {tally.fallbacks} fell back to offline"
    summary += f" (reasons: {why})" if why else ""
    shown = [f"- {v.check.value} ({v.transcript} #{v.message}): {v.detail}" for v in tally.violations[:40]]
    more = len(tally.violations) - len(shown)
    table = "\n".join([
        summary, "", "| check | pass rate | opportunities |", "|---|---|---|", *rows, "",
        f"{len(tally.violations)} violations" + (f" (first {len(shown)}; all in the JSON report)" if more else ""),
        *shown,
    ])
    metrics = {
        "n": len(cases), "checks": rates, "opportunities": {c.value: n for c, n in tally.total.items()},
        "replies": tally.replies, "fallback_replies": tally.fallbacks, "fallback_reasons": dict(tally.reasons),
        "violations": [v.to_dict() for v in tally.violations],
    }
    return Outcome(metrics, table)


def _eval_replay(env: EvalEnv, inputs: Inputs) -> Outcome:
    """The labelled candidates' turns through live sessions with the interviewer in the loop, then ended."""
    metrics = replay.replay_metrics(replay.replay_all(env.service, _labelled(inputs)))
    return Outcome(metrics, replay.markdown(metrics))


def _eval_clarify(env: EvalEnv, inputs: Inputs) -> Outcome:
    """Each clarifying question in a fresh session; the reply judged by the fact-presence oracle."""
    if not inputs.items.exists():
        raise _fail(f"{inputs.items} does not exist")
    items = load_clarify_items(inputs.items)[: inputs.limit]
    metrics = clarify.clarify_metrics(clarify.ask_each(env.service, items))
    return Outcome(metrics, clarify.markdown(metrics))


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
