"""A model's answer to a question about an ended interview's report, written from the offline answer's material only.

The offline answer (`ask.answer_about_report`: the score and its anchors, the candidate's quoted sentences, what was
missing, the notes) is the material; the model answers the question from it in plain words. The answer is checked
(`guard.check_answer`: no number the material lacks, no talk about instructions, at least one of the candidate's
sentences quoted where there were any); any problem or model error falls back to the offline answer, with a notice.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from interviewer.ask import OfflineAsker, ReportAnswer, Rubric
from interviewer.domain import Flow, Question, Report
from interviewer.llm.base import CallOptions, ChatMessage, ChatModel, ModelError, texts
from interviewer.llm.guard import ReplyRules, check_answer, describe, numbers
from interviewer.llm.prompt import system_prompt

MAX_ASK_TOKENS = 400
log = logging.getLogger(__name__)


class LLMReportAsker:
    def __init__(self, chat: ChatModel, offline: OfflineAsker | None = None) -> None:
        self._chat, self._offline = chat, offline or OfflineAsker()

    def answer(self, asked: str, report: Report, question: Question, flow: Flow, rubric: Rubric) -> ReportAnswer:
        material = self._offline.answer(asked, report, question, flow, rubric)
        user = f"The material:\n\"\"\"{material.answer}\"\"\"\n\nThe candidate asks: \"\"\"{asked}\"\"\""
        messages = [ChatMessage("system", system_prompt("ask")), ChatMessage("user", user)]
        try:
            text = "".join(texts(self._chat.stream(messages, CallOptions(MAX_ASK_TOKENS)))).strip()
        except ModelError as exc:
            log.warning("model did not answer the report question (%s); the offline answer was used", exc)
            return replace(material, notice=f"The model did not answer ({exc}); this answer is assembled offline.")
        rules = ReplyRules(allowed_numbers=frozenset(numbers(f"{material.answer} {asked}")))
        problems = check_answer(text, rules, material.quotes)
        if problems:
            log.info("model answer not used (%s)", ", ".join(p.name.lower() for p in problems))
            notice = f"The model's answer was not used because {describe(problems)}; this one is assembled offline."
            return replace(material, notice=notice)
        quotes = tuple(q for q in material.quotes if q.rstrip("…") in text)
        return ReportAnswer(text, quotes, material.stage)
