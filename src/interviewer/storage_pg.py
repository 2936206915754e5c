"""PostgreSQL session storage, used when INTERVIEWER_DATABASE_URL is set: app replicas share one database.

Same contract as the SQLite store: a turn pair is one transaction, stored whole or not at all. Appends to one session
are serialised by locking its row, so two replicas serving the same session never collide on a turn's number.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.rows import dict_row

from interviewer.storage import SqlSessionStore

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


class PostgresSessionStore(SqlSessionStore):
    placeholder = "%s"
    read_ended = "SELECT ended FROM sessions WHERE id = ? FOR UPDATE"  # the row lock serialises writes per session

    def __init__(self, url: str) -> None:
        self._url = url
        with self._connect() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            db.execute(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[psycopg.Connection[dict[str, Any]]]:
        with psycopg.connect(self._url, row_factory=dict_row, connect_timeout=10) as db, db.transaction():
            yield db
