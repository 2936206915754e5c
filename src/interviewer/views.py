"""Pure view helpers for the page: domain values in, plain data, Markdown or escaped HTML out. Tested directly."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from interviewer.domain import DRILL_MINUTES, STAGES, Flow, Question, Report, Session, Stage, Turn, TurnKind
from interviewer.policy import Progress, stage_share
from interviewer.progress import PracticeProgress

SURPRISE_ME = "__surprise__"
ALL_DOMAINS = ""
LENGTHS = (20, 30, 45, 60)
RECENT_SHOWN = 8  # the most recent scores and verdicts the progress summary lists (its chart shows them all)


def length_choices(default_minutes: float) -> list[tuple[str, float]]:
    """The page's interview lengths, the configured default among them (INTERVIEWER_INTERVIEW_MINUTES may be any)."""
    return [(f"{m:g} minutes", m) for m in sorted({*map(float, LENGTHS), default_minutes})]


WHOLE_INTERVIEW = ""  # the "Practise" choice of a whole interview (any other is a stage id to drill)


def practise_choices(titles: Mapping[Stage, str]) -> list[tuple[str, str]]:
    """The whole interview first, then a drill of each stage in the flow's order."""
    drills = [(f"Drill: {titles[stage]} (about {DRILL_MINUTES:g} min)", stage.value) for stage in STAGES]
    return [("The whole interview", WHOLE_INTERVIEW), *drills]


def domain_choices(questions: Sequence[Question]) -> list[tuple[str, str]]:
    domains = sorted({q.domain for q in questions})
    return [("All domains", ALL_DOMAINS)] + [(d.replace("_", " ").title(), d) for d in domains]


def question_choices(questions: Sequence[Question], domain: str = ALL_DOMAINS) -> list[tuple[str, str]]:
    """(label, value) pairs for the question picker, 'surprise me' first; only `domain`'s questions when given."""
    picks = sorted((q for q in questions if domain in (ALL_DOMAINS, q.domain)), key=lambda q: (q.domain, q.title))
    return [("Surprise me (random question)", SURPRISE_ME)] + [(f"{q.title} ({q.domain})", q.id) for q in picks]


def safe_text(text: str) -> str:
    """Text shown as typed: HTML in it is displayed, never interpreted (Markdown still formats)."""
    return html.escape(text, quote=False)


def chat_messages(turns: Sequence[Turn]) -> list[dict[str, str]]:
    """Stored turns as Gradio 'messages' (the candidate is the user, the interviewer the assistant), HTML escaped."""
    messages = []
    for turn in turns:
        role = "user" if turn.role == "candidate" else "assistant"
        content = f"💡 {turn.content}" if turn.kind is TurnKind.HINT else turn.content
        messages.append({"role": role, "content": safe_text(content)})
    return messages


def stage_tracker(flow: Flow, coverage: Mapping[Stage, float], current: Stage | None) -> str:
    """The side panel: every stage with a coverage bar; the current one marked (for screen readers too)."""
    items = []
    for stage in STAGES:
        share = max(0.0, min(1.0, coverage.get(stage, 0.0)))
        marks = ' current" aria-current="step' if stage is current else ""
        items.append(
            f'<li class="stage{marks}" data-stage="{stage.value}">'
            f'<span class="title">{html.escape(flow.guide(stage).title)}</span>'
            f'<span class="bar" role="progressbar" aria-valuenow="{share * 100:.0f}" aria-valuemin="0" '
            f'aria-valuemax="100"><span style="width:{share * 100:.0f}%"></span></span>'
            f'<span class="pct">{share:.0%}</span></li>'
        )
    return f'<ol class="tracker" aria-label="Design flow">{"".join(items)}</ol>'


@dataclass(frozen=True)
class Clock:
    """Seconds left for the interview and for the current stage; `running` once the first answer started it."""

    interview_left_s: float
    stage_left_s: float
    running: bool
    ended: bool = False


def clock_for(progress: Progress, now: float, ended: bool = False) -> Clock:
    """Where the time budget stands: the policy moves on when a stage's share is spent and ends at zero."""
    budget = progress.budget_s
    stage_budget = budget * stage_share(progress.stage, progress.drill)
    if progress.started_at is None:
        return Clock(budget, stage_budget, running=False, ended=ended)
    stage_start = progress.stage_started_at or progress.started_at
    return Clock(budget - (now - progress.started_at), stage_budget - (now - stage_start), True, ended)


def _mmss(seconds: float) -> str:
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def clock_html(clock: Clock | None) -> str:
    """Two countdowns; the page's script ticks every `data-left` down in the browser between server updates."""
    if clock is None:
        return '<div class="clock idle">The clock starts when you start an interview.</div>'
    if clock.ended:
        return '<div class="clock ended">Interview ended</div>'
    state = "running" if clock.running else "waiting"
    rows = [("Interview", clock.interview_left_s, "interview"), ("This stage", clock.stage_left_s, "stage")]
    cells = "".join(
        f'<div class="timer {name}"><span class="label">{label}</span>'
        f'<span class="left{" over" if left <= 0 else ""}" data-left="{left:.0f}" data-state="{state}">'
        f"{_mmss(left)}</span></div>"
        for label, left, name in rows
    )
    note = "" if clock.running else '<div class="note">The clock starts with your first answer.</div>'
    return f'<div class="clock {state}">{cells}{note}</div>'


@dataclass(frozen=True)
class HistoryEntry:
    session: Session
    title: str
    report: Report | None


def _when(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d %H:%M UTC")


def history_rows(entries: Sequence[HistoryEntry]) -> list[list[str]]:
    """One row per session: when, question, level, status, verdict, overall, then each stage's score."""
    rows = []
    for entry in entries:
        report = entry.report
        scores = [str(score or "–") for score in report.scores().values()] if report else ["–"] * len(STAGES)
        status = "ended" if entry.session.ended else f"in progress ({len(entry.session.turns)} turns)"
        overall = f"{report.overall:.2f}" if report else "–"
        verdict = report.verdict.value.replace("_", " ") if report and report.verdict else "–"
        if entry.session.drill_stage is not None:
            verdict = f"drill: {SHORT_STAGE_NAMES[entry.session.drill_stage]}"
        when = _when(entry.session.created_at)
        rows.append([when, entry.title, entry.session.level, status, verdict, overall, *scores])
    return rows


SHORT_STAGE_NAMES: Mapping[Stage, str] = {
    Stage.PROBLEM_FORMULATION: "Problem",
    Stage.METRICS: "Metrics",
    Stage.MVP_DESIGN: "MVP",
    Stage.DATA_PIPELINE: "Data",
    Stage.TRAINING: "Training",
    Stage.INFERENCE: "Inference",
    Stage.SCALING_MONITORING: "Scaling",
}


def history_headers() -> list[str]:
    """Column names; stages by a one-word name so seven score columns fit beside the rest."""
    return ["When", "Question", "Level", "Status", "Verdict", "Overall", *[SHORT_STAGE_NAMES[s] for s in STAGES]]


def history_choices(entries: Sequence[HistoryEntry]) -> list[tuple[str, str]]:
    return [(f"{_when(e.session.created_at)} · {e.title}", e.session.id) for e in entries]


def compare_markdown(flow: Flow, first: HistoryEntry, second: HistoryEntry) -> str:
    """Two attempts side by side: each stage's score and the change from the first to the second."""
    if first.session.question_id != second.session.question_id:
        return "Pick two attempts at the same question to compare them."
    if first.report is None or second.report is None:
        return "Both attempts need to be ended (scored) before they can be compared."
    lines = [
        f"**{safe_text(first.title)}**: {_when(first.session.created_at)} → {_when(second.session.created_at)}",
        "",
        "| Stage | First | Second | Change |",
        "|---|---|---|---|",
    ]
    for stage in [*STAGES, None]:
        a, b = _score(first.report, stage), _score(second.report, stage)
        change = "–" if a is None or b is None else f"{b - a:+.2f}".replace("+0.00", "±0").replace("-0.00", "±0")
        name = flow.guide(stage).title if stage else "**Overall**"
        lines.append(f"| {name} | {_fmt(a)} | {_fmt(b)} | {change} |")
    return "\n".join(lines)


def _score(report: Report, stage: Stage | None) -> float | None:
    value = report.overall if stage is None else report.scores()[stage]
    return None if value is None else float(value)


def _fmt(value: float | None) -> str:
    return "–" if value is None else (f"{value:.0f}" if value == int(value) else f"{value:.2f}")


def progress_markdown(progress: PracticeProgress, titles: Mapping[Stage, str], now: float) -> str:
    """Progress in words: per stage its level, attempts and recent scores; the weakest stages, what to drill next and
    the verdicts over time. Nothing finished yet says how to begin."""
    if progress.attempts == 0:
        return "No finished interviews yet: end an interview to see your progress here."
    drills = f", {progress.drills} of them stage drill{'s' if progress.drills != 1 else ''}" if progress.drills else ""
    lines = [
        f"**{progress.attempts} finished interview{'s' if progress.attempts != 1 else ''}{drills}.**",
        "",
        "| Stage | Level | Attempts | Recent scores |",
        "|---|---|---|---|",
    ]
    for stage in STAGES:
        points = progress.stages[stage]
        level = f"{progress.level[stage]:.2f}" if stage in progress.level else "–"
        recent = " → ".join(str(p.score) for p in points[-RECENT_SHOWN:]) or "not reached yet"
        lines.append(f"| {titles[stage]} | {level} | {len(points)} | {recent} |")
    weakest = ", ".join(f"{titles[s]} ({progress.level[s]:.2f})" for s in progress.weakest)
    lines += ["", f"- **Weakest:** {weakest}."]
    if progress.next_drill is not None:
        drill = progress.next_drill
        when = "now" if drill.due <= now else f"on {_when(drill.due)}"
        lines.append(f"- **Drill next:** {titles[drill.stage]}, {when}.")
    verdicts = " → ".join(v.verdict.value.replace("_", " ") for v in progress.verdicts[-RECENT_SHOWN:])
    lines.append(f"- **Verdicts, oldest first:** {verdicts or 'none yet (drills give none)'}.")
    return "\n".join(lines)

