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

from interviewer.storage import SCHEMA, SqlSessionStore

_SCHEMA_LOCK = 7_406_211  # an advisory lock id: replicas starting together create the tables once


class PostgresSessionStore(SqlSessionStore):
    placeholder = "%s"
    read_ended = "SELECT ended FROM sessions WHERE id = ? FOR UPDATE"  # the row lock serialises writes per session

    def __init__(self, url: str) -> None:
        self._url = url
        with self._connect() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            db.execute(SCHEMA)
            self._migrate(db)

    def _columns(self, db: Any, table: str) -> set[str]:
        statement = "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
        return {row["column_name"] for row in db.execute(statement, (table,))}

    @contextmanager
    def _connect(self) -> Iterator[psycopg.Connection[dict[str, Any]]]:
        with psycopg.connect(self._url, row_factory=dict_row, connect_timeout=10) as db, db.transaction():
            yield db
