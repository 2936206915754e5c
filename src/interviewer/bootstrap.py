"""The composition root: settings in, a wired service out. The only place adapters are chosen."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from interviewer.ask import OfflineAsker, ReportAsker
from interviewer.config import Settings
from interviewer.domain import Passage, Retriever, Stage
from interviewer.judge import Judge, OfflineJudge
from interviewer.llm.asker import LLMReportAsker
from interviewer.llm.base import ChatModel
from interviewer.llm.calibration import Calibration, CalibrationError, load_calibration
from interviewer.llm.interviewer import LLMInterviewer, LLMSettings
from interviewer.llm.judge import LLMJudge
from interviewer.llm.prompt import system_prompt
from interviewer.meaning import FactFinder, read_ahead
from interviewer.policy import Interviewer, OfflineInterviewer
from interviewer.questions import QuestionBank, load_bank, load_judge_model
from interviewer.retrieval.chunks import front_matter
from interviewer.retrieval.similarity import EmbeddingSimilarity
from interviewer.service import SLOW_TURN_S, DraftReader, InterviewService, ReadTexts
from interviewer.session_store import SessionStore
from interviewer.storage import SQLiteSessionStore

if TYPE_CHECKING:
    from interviewer.llm.tokens import TokenCounter
    from interviewer.retrieval.knowledge import KnowledgeBase

log = logging.getLogger(__name__)

# Chroma, LangChain's OpenAI client and tiktoken load only where they are used (index and search, a configured model):
# `interviewer questions`, `score` and `--help` start without them (tests/test_cli_imports.py).


def quiet_third_parties() -> None:
    """No analytics or telemetry calls leave this machine."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")


def question_bank(settings: Settings) -> QuestionBank:
    """The question bank alone, for commands that only list it."""
    return load_bank(settings.knowledge_dir)


def build_knowledge(settings: Settings) -> KnowledgeBase:
    """Open the index (on disk, or the Chroma server at INTERVIEWER_CHROMA_URL) and bring our notes up to date."""
    from interviewer.retrieval.knowledge import KnowledgeBase  # noqa: PLC0415 - chromadb loads only when used
    from interviewer.retrieval.store import chroma_client  # noqa: PLC0415

    knowledge = KnowledgeBase(chroma_client(settings.data_dir, settings.chroma_url))
    knowledge.index_notes(settings.knowledge_dir)
    return knowledge


class LazyRetriever:
    """Opens and syncs the knowledge base on the first search, so commands that never search start fast."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._retriever: Retriever | None = None

    def search(self, query: str, k: int = 5, stage: Stage | None = None) -> list[Passage]:
        if self._retriever is None:
            self._retriever = build_knowledge(self._settings).retriever()
        return self._retriever.search(query, k, stage)


class ConfigurationError(ValueError):
    """Settings that cannot work together; the message says which variable to set."""


ChatWrapper = Callable[[ChatModel], ChatModel]


def _unwrapped(chat: ChatModel) -> ChatModel:
    return chat


NO_MODEL = "set INTERVIEWER_LLM_BASE_URL and INTERVIEWER_LLM_MODEL, or INTERVIEWER_LLM=local"


def _openai_compatible(settings: Settings, temperature: float) -> ChatModel:
    if not (settings.llm_base_url and settings.llm_model):
        raise ConfigurationError(NO_MODEL)
    from interviewer.llm.openai_compat import OpenAICompatChat  # noqa: PLC0415 - the client loads only when used

    return OpenAICompatChat(
        settings.llm_base_url,
        settings.llm_model,
        settings.api_key(),
        timeout_s=settings.llm_timeout_s,
        temperature=temperature,
        structured_output=settings.structured_output(),
    )


# How each model mode (`INTERVIEWER_LLM`) is served; a new provider is one more row. "local" is the bundled llama.cpp
# server, which `serve --local-model` starts and points `llm_base_url` at.
PROVIDERS: Mapping[str, Callable[[Settings, float], ChatModel]] = {
    "openai": _openai_compatible,
    "local": _openai_compatible,
}


def model_client(settings: Settings, temperature: float, wrap: ChatWrapper = _unwrapped) -> ChatModel:
    """The configured model server; `wrap` lets the eval meter or guard it."""
    provider = PROVIDERS.get(settings.model_mode())
    if provider is None:
        raise ConfigurationError(NO_MODEL)
    return wrap(provider(settings, temperature))


def build_interviewer(
    settings: Settings, bank: QuestionBank, retriever: Retriever, wrap: ChatWrapper = _unwrapped
) -> Interviewer:
    """The offline policy, or the LLM interviewer on top of it when a model server is configured."""
    similarity = EmbeddingSimilarity(cache_dir=settings.data_dir / "embeddings")
    offline = OfflineInterviewer(
        bank.flow, bank.probes, settings.interview_minutes, retriever, FactFinder(similarity),
        flags=bank.flags, similarity=similarity,
    )
    if settings.model_mode() == "offline":
        return offline
    chat = model_client(settings, temperature=settings.llm_temperature, wrap=wrap)
    counter = _token_counter(settings)
    limits = LLMSettings(settings.prompt_token_budget, settings.llm_max_tokens)
    return LLMInterviewer(offline, bank.flow, chat, counter, settings=limits, retriever=retriever)


def _token_counter(settings: Settings) -> TokenCounter:
    from interviewer.llm.tokens import TokenCounter  # noqa: PLC0415 - tiktoken loads only with a model

    return TokenCounter(settings.data_dir / "tiktoken")


def build_judge(settings: Settings, bank: QuestionBank, wrap: ChatWrapper = _unwrapped) -> Judge:
    """The offline judge, or the LLM judge checked against it when a model server is configured."""
    similarity = EmbeddingSimilarity(cache_dir=settings.data_dir / "embeddings")
    offline = OfflineJudge(
        bank.flow, bank.flags, similarity, load_judge_model(settings.knowledge_dir), probes=bank.probes
    )
    if settings.model_mode() == "offline" or not (settings.llm_base_url and settings.llm_model):
        return offline
    chat = model_client(settings, temperature=0.0, wrap=wrap)
    _, rubric = front_matter((settings.knowledge_dir / "rubric.md").read_text(encoding="utf-8"))
    instructions = f"{system_prompt('judge')}\n\n{rubric}"
    counter = _token_counter(settings)
    calibration = judge_calibration(settings)
    return LLMJudge(
        offline, chat, counter, rubric=instructions, budget=settings.prompt_token_budget, calibration=calibration
    )


def judge_calibration(settings: Settings) -> Calibration | None:
    """The configured model's calibration, or None (with the reason logged): then the offline scores stand."""
    path = settings.calibration_path()
    if settings.llm_calibration is None and not path.is_file():
        log.info("no judge calibration at %s: the offline judge scores every stage (README: calibrate the judge)", path)
        return None
    try:
        calibration = load_calibration(path)
    except CalibrationError as exc:
        log.warning("%s; the offline judge scores every stage", exc)
        return None
    if calibration.model != settings.llm_model:
        log.warning(
            "the judge calibration %s is for %s, not %s; the offline judge scores every stage",
            path, calibration.model, settings.llm_model,
        )
        return None
    trusted = ", ".join(calibration.trusted()) or "no stage"
    log.info("judge calibration %s: the model scores %s", path, trusted)
    return calibration


def describe_backend(settings: Settings) -> str:
    """What the page shows: the model and its host, never a key."""
    if settings.model_mode() == "offline":
        return "offline (no model)"
    host = urlparse(settings.llm_base_url or "").netloc or "local"
    return f"{settings.llm_model} at {host} (offline fallback)"


def session_store(settings: Settings) -> SessionStore:
    """SQLite in the data directory, or PostgreSQL when INTERVIEWER_DATABASE_URL is set (replicas share it)."""
    if settings.database_url:
        from interviewer.storage_pg import PostgresSessionStore  # noqa: PLC0415 - psycopg loads only when used

        return PostgresSessionStore(settings.database_url)
    return SQLiteSessionStore(settings.database_path)


def _reader_ahead(similarity: EmbeddingSimilarity) -> ReadTexts:
    """Embeds a draft's finished sentences as a turn would read them (`meaning.read_ahead`)."""

    def read(sentences: Sequence[str]) -> None:
        similarity.warm(read_ahead(sentences))

    return read


def build_service(
    settings: Settings, knowledge: KnowledgeBase | None = None, wrap: ChatWrapper = _unwrapped
) -> InterviewService:
    """With `knowledge`, retrieval is ready now (the web app); without, it opens on first use (the CLI).

    `wrap` is applied to every model client (the eval meters and guards them with it)."""
    bank = load_bank(settings.knowledge_dir)
    retriever: Retriever = knowledge.retriever() if knowledge else LazyRetriever(settings)
    return InterviewService(
        bank=bank,
        store=session_store(settings),
        interviewer=build_interviewer(settings, bank, retriever, wrap),
        judge=build_judge(settings, bank, wrap),
        max_message_chars=settings.max_message_chars,
        retriever=retriever,
        backend=describe_backend(settings),
        drafts=DraftReader(_reader_ahead(EmbeddingSimilarity(cache_dir=settings.data_dir / "embeddings"))),
        default_level=settings.default_level,
        default_minutes=settings.interview_minutes,
        # a model's reply takes seconds by nature: only one as slow as its timeout is worth a warning
        slow_turn_s=SLOW_TURN_S if settings.model_mode() == "offline" else settings.llm_timeout_s,
        asker=build_asker(settings, wrap),
    )


def build_asker(settings: Settings, wrap: ChatWrapper = _unwrapped) -> ReportAsker:
    """Offline, or a model writing the answer from the same material (checked, with the offline one as fallback)."""
    if settings.model_mode() == "offline":
        return OfflineAsker()
    return LLMReportAsker(model_client(settings, temperature=settings.llm_temperature, wrap=wrap))
