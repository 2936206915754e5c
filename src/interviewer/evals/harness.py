"""The service an eval runs against: built for the chosen backend, with every model call and turn metered.

The clock is fixed so that nothing in a run depends on how fast the machine (or the model) is: the same transcripts
give the same prompts, which is what lets a recorded run replay byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from tempfile import TemporaryDirectory

from interviewer.bootstrap import build_service
from interviewer.config import Settings
from interviewer.domain import Transcript
from interviewer.evals.backends import BackendChoice
from interviewer.evals.usage import Meter, MeteredChat, metered, timed
from interviewer.llm.base import ChatModel
from interviewer.llm.judge import LLMJudge, ModelReading
from interviewer.llm.tokens import TokenCounter
from interviewer.service import InterviewService
from interviewer.storage import SQLiteSessionStore

EVAL_EPOCH = 1_767_225_600.0  # 2026-01-01 00:00 UTC: every eval session starts and stays here


@dataclass(frozen=True)
class EvalEnv:
    service: InterviewService
    meter: Meter
    choice: BackendChoice
    model_judge: LLMJudge | None = None  # the service's judge, when a model judges: the judge task reads with it
    model: str | None = None  # the model's name as the app would be configured with it (INTERVIEWER_LLM_MODEL)

    def read(self, transcript: Transcript) -> ModelReading:
        """The model judge's reading of a transcript (against its question), timed as a scoring."""
        if self.model_judge is None:
            raise ValueError("no model judges in this eval")
        question = self.service.bank.get(transcript.question_id) if transcript.question_id else None
        with timed(self.meter.scores_ms):
            return self.model_judge.read(transcript, question)

    def usage(self) -> dict[str, object]:
        return self.meter.summary(self.choice.backend.value)


@contextmanager
def eval_env(settings: Settings, choice: BackendChoice) -> Iterator[EvalEnv]:
    """The service for one eval run; its sessions go to a throwaway database, never the user's."""
    meter = Meter(TokenCounter(settings.data_dir / "tiktoken").count)

    def wrap(chat: ChatModel) -> ChatModel:
        return MeteredChat(choice.guard(chat), meter)

    chosen = choice.settings(settings)
    service = build_service(chosen, wrap=wrap)
    if isinstance(service.judge, LLMJudge):  # no calibration file of the user's changes what an eval measures
        service = replace(service, judge=service.judge.calibrated(None))
    with TemporaryDirectory(prefix="interviewer-eval-") as scratch:
        store = SQLiteSessionStore(Path(scratch) / "sessions.sqlite3")
        model_judge = service.judge if isinstance(service.judge, LLMJudge) else None
        served = replace(metered(service, meter), store=store, clock=lambda: EVAL_EPOCH)
        yield EvalEnv(served, meter, choice, model_judge, chosen.llm_model)
