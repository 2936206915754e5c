"""The CLI's local profile: the ids of the sessions `interviewer chat` started, so `interviewer progress` can follow
them as the page follows a browser's own. A JSON file in the data folder; a damaged file is reported, never replaced."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from interviewer.progress import MAX_SESSIONS


class ProfileError(ValueError):
    """The profile file cannot be read; the message names it and says what to do."""


class _ProfileFile(BaseModel):
    model_config = ConfigDict(extra="ignore")
    sessions: list[str] = []


def profile_path(data_dir: Path) -> Path:
    return data_dir / "profile.json"


def session_ids(path: Path) -> list[str]:
    """The profile's session ids, oldest first; none when there is no profile yet."""
    if not path.is_file():
        return []
    try:
        return _ProfileFile.model_validate_json(path.read_text(encoding="utf-8")).sessions
    except (OSError, ValidationError) as exc:
        raise ProfileError(f"the profile {path} cannot be read ({type(exc).__name__}); fix or move it away") from exc


def remember(path: Path, session_id: str) -> None:
    """Adds a session to the profile (a damaged profile raises `ProfileError` and is left as it is)."""
    known = [s for s in session_ids(path) if s != session_id] + [session_id]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(_ProfileFile(sessions=known[-MAX_SESSIONS:]).model_dump_json(indent=2), encoding="utf-8")
    partial.replace(path)
