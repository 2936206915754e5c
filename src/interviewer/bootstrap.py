"""The composition root: settings in, a wired service out. The only place adapters are chosen."""

from __future__ import annotations

import os

from interviewer.config import Settings
from interviewer.domain import Passage, Retriever, Stage
from interviewer.judge import OfflineJudge
from interviewer.policy import OfflineInterviewer
from interviewer.questions import load_bank
from interviewer.retrieval.knowledge import KnowledgeBase
from interviewer.retrieval.store import chroma_client
from interviewer.service import InterviewService
from interviewer.storage import SQLiteSessionStore


def quiet_third_parties() -> None:
    """No analytics or telemetry calls leave this machine."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")


def build_knowledge(settings: Settings) -> KnowledgeBase:
    """Open the index (on disk, or the Chroma server at INTERVIEWER_CHROMA_URL) and bring our notes up to date."""
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


def build_service(settings: Settings, knowledge: KnowledgeBase | None = None) -> InterviewService:
    """With `knowledge`, retrieval is ready now (the web app); without, it opens on first use (the CLI)."""
    bank = load_bank(settings.knowledge_dir)
    retriever: Retriever = knowledge.retriever() if knowledge else LazyRetriever(settings)
    return InterviewService(
        bank=bank,
        store=SQLiteSessionStore(settings.database_path),
        interviewer=OfflineInterviewer(bank.flow, bank.probes, settings.interview_minutes, retriever),
        judge=OfflineJudge(bank.flow),
        max_message_chars=settings.max_message_chars,
        retriever=retriever,
    )
