"""One settings object for the whole app: environment variables with the INTERVIEWER_ prefix, or a .env file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from interviewer.domain import DEFAULT_LEVEL, DEFAULT_MINUTES, MAX_MINUTES, MIN_MINUTES, Level
from interviewer.llm.base import BUNDLED_MODEL, DEFAULT_MAX_TOKENS, DEFAULT_PROMPT_TOKENS, StructuredOutput


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "interviewer"


def default_knowledge_dir() -> Path:
    """knowledge/ as installed inside the package (`interviewer/knowledge`, see pyproject.toml), or in a checkout the
    repository's own (src/interviewer/config.py -> ../../knowledge), which an editable install also reads."""
    installed = Path(__file__).resolve().parent / "knowledge"
    return installed if installed.is_dir() else Path(__file__).resolve().parents[2] / "knowledge"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INTERVIEWER_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=7860, ge=1, le=65535)
    data_dir: Path = Field(default_factory=default_data_dir)
    knowledge_dir: Path = Field(default_factory=default_knowledge_dir)
    max_message_chars: int = Field(default=8000, ge=100)
    default_level: Level = DEFAULT_LEVEL
    chroma_url: str | None = None
    interview_minutes: float = Field(default=DEFAULT_MINUTES, ge=MIN_MINUTES, le=MAX_MINUTES)
    llm: Literal["offline", "openai", "local"] | None = None
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = Field(default=None, repr=False)
    llm_timeout_s: float = Field(default=30.0, gt=0)
    llm_max_tokens: int = Field(default=DEFAULT_MAX_TOKENS, ge=16, le=4096)
    llm_temperature: float = Field(default=0.3, ge=0, le=2)
    llm_structured_output: StructuredOutput | None = None  # see `structured_output`
    llm_calibration: Path | None = None  # see `calibration_path`
    prompt_token_budget: int = Field(default=DEFAULT_PROMPT_TOKENS, ge=500)
    auth_token: str | None = Field(default=None, repr=False, min_length=16)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"  # the app's log on stderr (`serve`)
    database_url: str | None = Field(default=None, repr=False)  # postgresql://…; unset means SQLite in data_dir

    def model_mode(self) -> Literal["offline", "openai", "local"]:
        """`INTERVIEWER_LLM` if set; otherwise a configured base URL means an OpenAI-compatible server."""
        if self.llm:
            return self.llm
        return "openai" if self.llm_base_url else "offline"

    def structured_output(self) -> StructuredOutput:
        """How the model server is asked for JSON of a schema: INTERVIEWER_LLM_STRUCTURED_OUTPUT if set; for the
        bundled model (served by llama-cpp-python) its `json_object` with the schema; else OpenAI's `json_schema`."""
        if self.llm_structured_output is not None:
            return self.llm_structured_output
        return "json_object" if self.llm_model == BUNDLED_MODEL else "json_schema"

    def calibration_path(self) -> Path:
        """Where the judge's calibration for the configured model is read (`llm.calibration`):
        INTERVIEWER_LLM_CALIBRATION if set, else judge-calibration.json in the data folder."""
        return self.llm_calibration or self.data_dir / "judge-calibration.json"

    def api_key(self) -> str | None:
        return self.llm_api_key or os.environ.get("OPENAI_API_KEY")

    @property
    def database_path(self) -> Path:
        return self.data_dir / "sessions.sqlite3"
