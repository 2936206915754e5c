from pathlib import Path

import pytest

from interviewer.config import Settings


def test_defaults_bind_loopback_on_7860(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("INTERVIEWER_HOST", "INTERVIEWER_PORT"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (settings.host, settings.port) == ("127.0.0.1", 7860)
    assert (settings.knowledge_dir / "flow.yaml").exists()


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("INTERVIEWER_PORT", "9001")
    monkeypatch.setenv("INTERVIEWER_DATA_DIR", str(tmp_path))
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.port == 9001 and settings.database_path == tmp_path / "sessions.sqlite3"


def test_bad_port_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVIEWER_PORT", "99999")
    with pytest.raises(ValueError, match="port"):
        Settings(_env_file=None)  # type: ignore[call-arg]
