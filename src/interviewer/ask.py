"""Questions to one's own report ("why 2 in metrics?", "what should I have said about labels?"), answered offline from
the report alone: the stage's score and the rubric's anchor for it and for the next score up, the candidate's own
sentences the judge quoted, what was missing, the expected points the question asks about, and the notes to read.

Pure. The stage is the one the question names (by its title or id); else the stage of the expected points it asks
about; else the one the flow's cue words point to; else the lowest-scoring stage (a stage drill's: its stage). Nothing
is said that the report, the rubric and the question's expected points do not hold, and every quote is the candidate's
own words as the report kept them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from interviewer.domain import STAGES, Flow, Question, Report, Stage
from interviewer.text import STOPWORDS, terms

MAX_QUESTION_CHARS = 500
# Words of a question to one's report that say nothing about its subject ("why did I get a 2 in ...?").
_ASKING = terms(
    "why what how get got score scored mark marks rating rated should have said say said mention mentioned "
    "talk talked about stage part low high better worse improve more less only just my me"
) | STOPWORDS


@dataclass(frozen=True)
class ReportAnswer:
    answer: str  # Markdown
    quotes: tuple[str, ...]  # the candidate's own sentences it cites
    stage: Stage
    notice: str | None = None  # why a model's answer was not used, when it was not


Rubric = Mapping[Stage, Mapping[int, str]]


class ReportAsker(Protocol):
    def answer(self, asked: str, report: Report, question: Question, flow: Flow, rubric: Rubric) -> ReportAnswer: ...


class OfflineAsker:
    """The answer assembled from the report, the rubric and the expected points (`answer_about_report`)."""

    def answer(self, asked: str, report: Report, question: Question, flow: Flow, rubric: Rubric) -> ReportAnswer:
        return answer_about_report(asked, report, question, flow, rubric)


def answer_about_report(asked: str, report: Report, question: Question, flow: Flow, rubric: Rubric) -> ReportAnswer:
    subject = terms(asked) - _ASKING
    points = [p for p in question.expected if subject & terms(p.summary)]
    stage = _named_stage(asked, flow, cues=False) or (points[0].stage if points else None)
    stage = stage or _named_stage(asked, flow, cues=True) or _lowest(report)
    stage = report.drill or stage  # a stage drill's report is about its stage alone
    result = report.stages[stage]
    title = flow.guide(stage).title
    lines = [_score_line(title, result.score, rubric.get(stage, {}))]
    if result.evidence:
        lines += ["", "What you said that the score rests on:", *(f"- “{quote}”" for quote in result.evidence)]
    else:
        lines += ["", f"Nothing you said was read as being about {title.lower()}."]
    if result.missing:
        lines += ["", "What a stronger answer also covered:", *(f"- {missing}" for missing in result.missing)]
    asked_points = [p for p in points if p.stage is stage and p.summary not in result.missing]
    if asked_points:
        lines += ["", "On what you asked about, a strong answer says:", *(f"- {p.summary}" for p in asked_points)]
    notes = [f"{c.source} § {c.heading}" for c in report.citations if c.stage is stage]
    if notes:
        lines += ["", "Read: " + "; ".join(dict.fromkeys(notes))]
    return ReportAnswer("\n".join(lines), tuple(result.evidence), stage)


def _named_stage(asked: str, flow: Flow, *, cues: bool) -> Stage | None:
    """The stage the question names by its title or id ("metrics", "mvp design"), or with `cues` by the flow's cue
    words for it."""
    said = asked.lower()
    for stage in STAGES:
        guide = flow.guide(stage)
        names = (*guide.cues,) if cues else (guide.title.lower(), stage.value.replace("_", " "))
        if any(name and name.lower() in said for name in names):
            return stage
    return None


def _lowest(report: Report) -> Stage:
    return min(report.scope(), key=lambda s: (report.stages[s].score or 0, STAGES.index(s)))


def _score_line(title: str, score: int | None, anchors: Mapping[int, str]) -> str:
    if score is None:
        return f"**{title}: not reached.** The interview never got to it, so it counts as 1 in the overall score."
    line = f"**{title}: {score}/4.** The rubric's anchor for {score}: {anchors.get(score, '')}"
    if score < max(anchors, default=score):
        line += f"\n\nFor {score + 1}: {anchors[score + 1]}"
    return line
