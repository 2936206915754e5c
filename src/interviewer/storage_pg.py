"""PostgreSQL session storage, used when INTERVIEWER_DATABASE_URL is set: app replicas share one database.

Same contract as the SQLite store: a turn pair is one transaction, stored whole or not at all. Appends to one session
are serialised by locking its row, so two replicas serving the same session never collide on a turn's number.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

import psycopg
from psycopg.rows import dict_row

from interviewer.domain import Session, Turn
from interviewer.storage import session_from_rows, turn_values

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    question_id TEXT NOT NULL,
    level TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL,
    ended BOOLEAN NOT NULL DEFAULT FALSE,
    report TEXT,
    minutes DOUBLE PRECISION
);
CREATE TABLE IF NOT EXISTS turns (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('interviewer', 'candidate')),
    content TEXT NOT NULL,
    kind TEXT NOT NULL,
    stage TEXT,
    at DOUBLE PRECISION NOT NULL,
    chunk_ids TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (session_id, seq)
);
"""
_SCHEMA_LOCK = 7_406_211  # an advisory lock id: replicas starting together create the tables once


class PostgresSessionStore:
    def __init__(self, url: str) -> None:
        self._url = url
        with self._connect() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            db.execute(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[psycopg.Connection[dict[str, Any]]]:
        with psycopg.connect(self._url, row_factory=dict_row, connect_timeout=10) as db, db.transaction():
            yield db

    def create(self, session: Session) -> None:
        with self._connect() as db:
            db.execute(
                "INSERT INTO sessions (id, question_id, level, created_at, ended, minutes) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                (session.id, session.question_id, session.level, session.created_at, session.ended, session.minutes),
            )
            _insert_turns(db, session.id, session.turns)

    def load(self, session_id: str) -> Session | None:
        with self._connect() as db:
            row = db.execute("SELECT * FROM sessions WHERE id = %s", (session_id,)).fetchone()
            if row is None:
                return None
            turns = db.execute("SELECT * FROM turns WHERE session_id = %s ORDER BY seq", (session_id,)).fetchall()
        return session_from_rows(row, turns)

    def append(self, session_id: str, turns: Sequence[Turn]) -> None:
        with self._connect() as db:
            db.execute("SELECT id FROM sessions WHERE id = %s FOR UPDATE", (session_id,))
            _insert_turns(db, session_id, turns)

    def finish(self, session_id: str, report: dict[str, Any]) -> None:
        with self._connect() as db:
            db.execute("UPDATE sessions SET ended = TRUE, report = %s WHERE id = %s", (json.dumps(report), session_id))

    def report(self, session_id: str) -> dict[str, Any] | None:
        with self._connect() as db:
            row = db.execute("SELECT report FROM sessions WHERE id = %s", (session_id,)).fetchone()
        return cast(dict[str, Any], json.loads(row["report"])) if row and row["report"] else None

    def list_sessions(self, limit: int = 50) -> list[Session]:
        with self._connect() as db:
            rows = db.execute("SELECT * FROM sessions ORDER BY created_at DESC LIMIT %s", (limit,)).fetchall()
        return [session_from_rows(row, []) for row in rows]


def _insert_turns(db: psycopg.Connection[dict[str, Any]], session_id: str, turns: Sequence[Turn]) -> None:
    with db.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO turns (session_id, seq, role, content, kind, stage, at, chunk_ids) "
            "SELECT %s, COALESCE(MAX(seq) + 1, 0), %s, %s, %s, %s, %s, %s FROM turns WHERE session_id = %s",
            [(session_id, *turn_values(t), session_id) for t in turns],
        )
