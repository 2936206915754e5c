from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from tests.conftest import sample_report

from interviewer.domain import Session, Stage, Turn, TurnKind
from interviewer.storage import SQLiteSessionStore


def _session(session_id: str = "s1") -> Session:
    return Session(session_id, "ads_ctr", "E6", 1.0, (Turn("interviewer", "hello", stage=Stage.PROBLEM_FORMULATION),))


def test_round_trip_survives_a_new_store_on_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    SQLiteSessionStore(path).create(_session())
    SQLiteSessionStore(path).append("s1", [Turn("candidate", "hi", at=2.0), Turn("interviewer", "tip", TurnKind.HINT)])
    loaded = SQLiteSessionStore(path).load("s1")
    assert loaded is not None
    assert [t.content for t in loaded.turns] == ["hello", "hi", "tip"]
    assert loaded.turns[2].kind is TurnKind.HINT and loaded.turns[0].stage is Stage.PROBLEM_FORMULATION
    assert loaded.level == "E6" and not loaded.ended


def test_finish_stores_the_report(tmp_path: Path) -> None:
    store = SQLiteSessionStore(tmp_path / "db.sqlite3")
    store.create(_session())
    store.finish("s1", sample_report(metrics=3))
    assert store.report("s1") == sample_report(metrics=3)  # every field read back as it was
    loaded = store.load("s1")
    assert loaded is not None and loaded.ended


def test_a_failed_append_stores_nothing(tmp_path: Path) -> None:
    store = SQLiteSessionStore(tmp_path / "db.sqlite3")
    store.create(_session())
    bad = Turn("robot", "x")  # type: ignore[arg-type]
    with pytest.raises(sqlite3.IntegrityError):
        store.append("s1", [Turn("candidate", "kept?"), bad])
    loaded = store.load("s1")
    assert loaded is not None and len(loaded.turns) == 1


def test_concurrent_appends_neither_collide_nor_lose_turns(tmp_path: Path) -> None:
    store = SQLiteSessionStore(tmp_path / "db.sqlite3")
    store.create(_session())

    def write(n: int) -> None:
        for i in range(20):
            store.append("s1", [Turn("candidate", f"{n}-{i}")])

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    loaded = store.load("s1")
    assert loaded is not None and len(loaded.turns) == 81


def test_unknown_session_is_none(tmp_path: Path) -> None:
    store = SQLiteSessionStore(tmp_path / "db.sqlite3")
    assert store.load("nope") is None and store.report("nope") is None


def test_the_interview_length_is_stored_and_old_databases_gain_the_column(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:  # a database from before the length existed
        db.execute(
            "CREATE TABLE sessions (id TEXT PRIMARY KEY, question_id TEXT NOT NULL, level TEXT NOT NULL, "
            "created_at REAL NOT NULL, ended INTEGER NOT NULL DEFAULT 0, report TEXT)"
        )
        db.execute("INSERT INTO sessions VALUES ('old', 'ads_ctr', 'E5', 1.0, 0, NULL)")
    store = SQLiteSessionStore(path)
    old = store.load("old")
    assert old is not None and old.minutes is None
    store.create(Session("new", "ads_ctr", "E5", 2.0, minutes=20.0))
    new = SQLiteSessionStore(path).load("new")
    assert new is not None and new.minutes == 20.0
