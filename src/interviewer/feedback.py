"""Written feedback: a Report rendered as Markdown the candidate can act on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import partial

from interviewer.charts import radar_svg, svg_data_uri
from interviewer.domain import (
    STAGES,
    Citation,
    Flow,
    Question,
    RedFlag,
    Report,
    Retriever,
    Stage,
    StageScore,
    Verdict,
)

VERDICT_LABELS = {
    Verdict.STRONG_NO_HIRE: "Strong no hire",
    Verdict.NO_HIRE: "No hire",
    Verdict.HIRE: "Hire",
    Verdict.STRONG_HIRE: "Strong hire",
}
PRACTICE_COUNT = 3
PRACTICE_BELOW = 2  # stages scored at most this are practised
CITATIONS_PER_STAGE = 2


def score_label(score: int | None) -> str:
    return "not reached" if score is None else f"{score}/4"


def cite(flow: Flow, report: Report, question: Question | None, retriever: Retriever) -> Report:
    """Replace the generic citations with the knowledge chunks that best explain what each stage was missing."""
    citations: list[Citation] = []
    for stage in report.scope():
        result = report.stages[stage]
        topic = question.title if question else ""
        query = " ".join([flow.guide(stage).title, topic, *result.missing[:2]])
        for passage in retriever.search(query, k=CITATIONS_PER_STAGE, stage=stage):
            citations.append(Citation(passage.source, passage.heading, stage))
    return replace(report, citations=tuple(citations)) if citations else report


def _read_more(flow: Flow, stage: Stage, report: Report) -> str:
    cited = [c for c in report.citations if c.stage is stage]
    if not cited:
        guide = flow.guide(stage)
        return f"Read more: `knowledge/{guide.note}`, section *{guide.note_heading}*."
    return "Read more: " + "; ".join(f"`{c.source}`, section *{c.heading}*" for c in cited) + "."


def _stage_section(flow: Flow, stage: Stage, result: StageScore, read_more: str) -> list[str]:
    guide = flow.guide(stage)
    lines = [f"### {guide.title}: {score_label(result.score)}", ""]
    if result.evidence:
        lines += ["What you said:", ""] + [f"> {quote}" for quote in result.evidence] + [""]
    elif result.score is not None:
        lines += ["Nothing you said addressed this stage.", ""]
    if result.missing and (result.score or 0) < 4:
        lines += ["What a strong answer adds:", ""] + [f"- {item}" for item in result.missing] + [""]
    lines += [read_more, ""]
    return lines


def practice_next(flow: Flow, report: Report) -> list[str]:
    """The weakest stages (unreached counts lowest, a stage scored 3 or 4 never counts), each with the first thing
    it was missing: practice only ever targets what the candidate did not do."""
    ranked = sorted(report.scope(), key=lambda s: (report.stages[s].score or 0, STAGES.index(s)))
    weak = [s for s in ranked if (report.stages[s].score or 0) <= PRACTICE_BELOW and report.stages[s].missing]
    return [f"**{flow.guide(s).title}**: {report.stages[s].missing[0]}" for s in weak[:PRACTICE_COUNT]]


def flag_lines(report: Report) -> list[str]:
    """One line per sentence that raised red flags: a sentence that raised two (the generic random split and the
    question's own) is one mistake, named once with both ids and each distinct explanation."""
    by_sentence: dict[str, list[RedFlag]] = {}
    for flag in report.red_flags:
        by_sentence.setdefault(flag.evidence, []).append(flag)
    return [
        f"- **{' / '.join(f.id.replace('_', ' ') for f in flags)}**: \"{evidence}\". "
        + " ".join(dict.fromkeys(f.explanation for f in flags))
        for evidence, flags in by_sentence.items()
    ]


def _standing(stage: StageScore) -> tuple[int, float]:
    """A stage's place among the others: its score, then (between equal scores) the estimate before rounding, so
    that seven stages scored 3 still name distinct strongest and weakest ones."""
    score = stage.score or 0
    return score, stage.estimate if stage.estimate is not None else float(score)


MAX_STAGE_SCORE = 4


def summary(flow: Flow, report: Report) -> str:
    """Two lines: the verdict in context, then where the candidate was strongest and weakest. A stage is named strongest
    only above the lowest score and to work on only below the highest; where every stage has the same score, the
    estimates behind it name the most and least convincing instead (users read "Work on: Training (4/4)" beside seven
    4s as a contradiction), and only the most convincing where every stage is a 4."""
    if report.drill is not None or report.verdict is None:
        return drill_summary(flow, report)
    reached = [s for s in STAGES if report.stages[s].score is not None]
    ranked = sorted(STAGES, key=lambda s: _standing(report.stages[s]), reverse=True)
    scores = {s: report.stages[s].score or 0 for s in STAGES}
    because = f": {report.verdict_reason}" if report.verdict_reason else ""
    first = (
        f"**Verdict: {VERDICT_LABELS[report.verdict]}**{because} (overall {report.overall:.2f} / 4 at level "
        f"{report.level}, the weighted mean of the stage estimates before rounding); you reached {len(reached)} of "
        f"{len(STAGES)} stages, with {len(flag_lines(report))} red flag(s)."
    )
    named = partial(_named, flow, report)
    top, bottom = max(scores.values()), min(scores.values())
    if top == bottom and top >= 3:
        if top == MAX_STAGE_SCORE:  # nothing is weak: "least convincing" beside seven 4s read as meaningless
            return f"{first}\nEvery stage scored {score_label(top)}. Most convincing: {named(ranked[:2])}."
        return (f"{first}\nEvery stage scored {score_label(top)}. Most convincing: {named(ranked[:2])}; least "
                f"convincing: {named(ranked[::-1][:2])}.")
    best = [s for s in ranked if scores[s] >= 3 and scores[s] > bottom][:2]
    worst = [s for s in reversed(ranked) if scores[s] < top and s not in best][:2]
    return f"{first}\nStrongest: {named(best) or 'none yet'}. Work on: {named(worst)}."


def drill_summary(flow: Flow, report: Report) -> str:
    """A stage drill's one line: the stage and its score; a drill gives no verdict."""
    stage = report.drill or STAGES[0]
    return (
        f"**Stage drill: {flow.guide(stage).title}, {score_label(report.stages[stage].score)}** (level {report.level}; "
        f"a drill scores this stage alone and gives no verdict), with {len(flag_lines(report))} red flag(s)."
    )


def _named(flow: Flow, report: Report, stages: Sequence[Stage]) -> str:
    return ", ".join(f"{flow.guide(s).title} ({score_label(report.stages[s].score)})" for s in stages)


def render_markdown(flow: Flow, report: Report, title: str) -> str:
    lines = [
        f"## Feedback: {title}",
        "",
        *[f"> Note: {notice}\n" for notice in report.notices],
        summary(flow, report),
        "",
        "| Stage | Score |",
        "|---|---|",
        *[f"| {flow.guide(s).title} | {score_label(report.stages[s].score)} |" for s in report.scope()],
        "",
    ]
    for stage in report.scope():
        lines += _stage_section(flow, stage, report.stages[stage], _read_more(flow, stage, report))
    if report.red_flags:
        lines += ["### Red flags", "", *flag_lines(report), ""]
    practice = practice_next(flow, report)
    if practice:
        lines += ["### What to practise next", ""] + [f"{i}. {item}" for i, item in enumerate(practice, 1)]
    return "\n".join(lines).rstrip() + "\n"


def with_feedback(flow: Flow, report: Report, title: str) -> Report:
    return replace(report, feedback_markdown=render_markdown(flow, report, title))


def stage_chart(flow: Flow, scores: Mapping[Stage, int | None]) -> str:
    return radar_svg(scores, {stage: flow.guide(stage).title for stage in STAGES})


def downloadable_report(flow: Flow, scores: Mapping[Stage, int | None], feedback_markdown: str) -> str:
    """The feedback as a standalone Markdown file, with the radar chart embedded as an image."""
    chart = svg_data_uri(stage_chart(flow, scores))
    return f"![Radar chart of the stage scores]({chart})\n\n{feedback_markdown}"
