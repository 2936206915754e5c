"""What a strong answer looks like, shown only after the interview: for each stage, a short walkthrough of a strong
design from the question's expected points (each a choice with its reason), the fact sheet's numbers, the serious
mistakes such an answer avoids and the notes to read, with the points the candidate covered marked.

Pure: the question, the flow, the rules and the ended interview's report in; Markdown out. Which points the candidate
covered is read from the report (a point still missing there was not covered), so the marks agree with the feedback.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from interviewer.domain import FlagRule, Flow, Question, Report, Stage
from interviewer.mistakes import applies

COVERED = "✅ you covered this"
NOT_COVERED = "⬜ not covered in your interview"


@dataclass(frozen=True)
class ModelAnswer:
    stages: Mapping[Stage, str]  # each stage's walkthrough (Markdown)
    markdown: str  # the whole answer, a title and every stage


def model_answer(question: Question, flow: Flow, rules: Sequence[FlagRule], report: Report) -> ModelAnswer:
    scope = report.scope()  # a drill's answer is about its stage alone
    stages = {stage: _stage(question, flow, rules, report, stage) for stage in scope}
    points = [point for point in question.expected if point.stage in scope]
    covered = sum(_covered(report, point.stage, point.summary) for point in points)
    head = [
        f"# What a strong answer looks like: {question.title}",
        "",
        f"You covered {covered} of the {len(points)} points a strong answer makes. Each stage below is "
        "one strong way through it, not the only one.",
    ]
    body = [f"## {flow.guide(stage).title}\n\n{stages[stage]}" for stage in scope]
    mistakes = [f"- {rule.explanation}" for rule in question.red_flags]
    tail = ["## Mistakes a strong answer avoids for this problem", "", *mistakes] if mistakes else []
    return ModelAnswer(stages, "\n\n".join(["\n".join(head), *body, *(["\n".join(tail)] if tail else [])]) + "\n")


def _covered(report: Report, stage: Stage, summary: str) -> bool:
    """A point the report does not list as missing was covered; a stage the report lacks covered nothing."""
    result = report.stages.get(stage)
    return result is not None and result.score is not None and summary not in result.missing


def _stage(question: Question, flow: Flow, rules: Sequence[FlagRule], report: Report, stage: Stage) -> str:
    lines = []
    for point in question.points_for(stage):
        mark = COVERED if _covered(report, stage, point.summary) else NOT_COVERED
        lines.append(f"- **{point.summary}.** _{mark}_")
        if point.deeper:
            lines.append(f"  - Be ready for the follow-up: {point.deeper}")
    if stage is report.scope()[0] and question.facts:  # under the first stage shown
        numbers = [f"- {fact.answer}" for fact in question.facts]
        lines += ["", "The numbers to design for (from the scenario):", *numbers]
    avoided = [rule for rule in rules if rule.caps is stage and applies(rule, question)]
    if avoided:
        lines += ["", "Avoid:", *(f"- {rule.title}: {rule.explanation}" for rule in avoided)]
    notes = [c for c in report.citations if c.stage is stage]
    if notes:
        lines += ["", "Read: " + "; ".join(f"{c.source} § {c.heading}" for c in dict.fromkeys(notes))]
    return "\n".join(lines) if lines else f"_{flow.guide(stage).title}: nothing specific to this question._"
