"""The composition root: settings in, a wired service out. The only place adapters are chosen."""

from __future__ import annotations

import os

from interviewer.config import Settings
from interviewer.judge import OfflineJudge
from interviewer.policy import OfflineInterviewer
from interviewer.questions import load_bank
from interviewer.service import InterviewService
from interviewer.storage import SQLiteSessionStore


def quiet_third_parties() -> None:
    """No analytics or telemetry calls leave this machine."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")


def build_service(settings: Settings) -> InterviewService:
    bank = load_bank(settings.knowledge_dir)
    return InterviewService(
        bank=bank,
        store=SQLiteSessionStore(settings.database_path),
        interviewer=OfflineInterviewer(bank.flow),
        judge=OfflineJudge(bank.flow),
        max_message_chars=settings.max_message_chars,
    )
