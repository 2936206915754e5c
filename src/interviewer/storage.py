"""Session storage in SQL: the statements both databases run, and the SQLite store used by default (the protocol
every store keeps is `session_store.SessionStore`).

Every write is one transaction, so a turn pair is stored whole or not at all, and WAL mode keeps readers and the
writer apart. A connection is opened per operation: safe from any thread the web server uses.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, cast

from interviewer.domain import Level, Report, Session, Stage, Turn, TurnKind
from interviewer.records import report_from_json, report_json
from interviewer.session_store import AlreadyDone, RequestKey, SessionEnded

# One schema for both databases: SQLite reads DOUBLE PRECISION as REAL and BOOLEAN as 0/1 (TRUE and FALSE since 3.23).
SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    question_id TEXT NOT NULL,
    level TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL,
    ended BOOLEAN NOT NULL DEFAULT FALSE,
    report TEXT,
    minutes DOUBLE PRECISION,
    drill_stage TEXT
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
CREATE TABLE IF NOT EXISTS request_keys (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    response TEXT NOT NULL,
    PRIMARY KEY (session_id, key)
);
"""
# Columns added since the first schema, for databases made before them (both databases run the same statements).
MIGRATIONS = {
    ("turns", "chunk_ids"): "ALTER TABLE turns ADD COLUMN chunk_ids TEXT NOT NULL DEFAULT ''",
    ("sessions", "minutes"): "ALTER TABLE sessions ADD COLUMN minutes DOUBLE PRECISION",
    ("sessions", "drill_stage"): "ALTER TABLE sessions ADD COLUMN drill_stage TEXT",
}


class SqlSessionStore:
    """The session store over any DB-API connection whose rows read by column name; subclasses only connect.

    Statements are written with `?` placeholders; a driver that wants `%s` sets `placeholder`. `read_ended` reads the
    session's `ended` flag under the lock that serialises writes to one session (`_begin_write` takes it first where
    the database needs that), so an append and a claim of the end never interleave.
    """

    placeholder = "?"
    read_ended = "SELECT ended FROM sessions WHERE id = ?"

    def _connect(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _columns(self, db: Any, table: str) -> set[str]:
        raise NotImplementedError

    def _migrate(self, db: Any) -> None:
        """Add the columns `MIGRATIONS` lists to a database made before them."""
        for (table, column), statement in MIGRATIONS.items():
            if column not in self._columns(db, table):
                db.execute(statement)

    def _begin_write(self, db: Any) -> None:
        """Take the write lock before reading what the write depends on (nothing to do where `read_ended` locks)."""

    def _ended(self, db: Any, session_id: str) -> bool | None:
        """Whether the session has ended, read under the write lock; None when there is no such session."""
        self._begin_write(db)
        row = db.execute(self._sql(self.read_ended), (session_id,)).fetchone()
        return None if row is None else bool(row["ended"])

    def _sql(self, statement: str) -> str:
        return statement.replace("?", self.placeholder)

    def create(self, session: Session) -> None:
        with self._connect() as db:
            db.execute(
                self._sql(
                    "INSERT INTO sessions (id, question_id, level, created_at, ended, minutes, drill_stage) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)"
                ),
                (
                    session.id, session.question_id, session.level, session.created_at, session.ended,
                    session.minutes, session.drill_stage.value if session.drill_stage else None,
                ),
            )
            self._insert_turns(db, session.id, session.turns)

    def load(self, session_id: str) -> Session | None:
        with self._connect() as db:
            row = db.execute(self._sql("SELECT * FROM sessions WHERE id = ?"), (session_id,)).fetchone()
            if row is None:
                return None
            turns = db.execute(
                self._sql("SELECT * FROM turns WHERE session_id = ? ORDER BY seq"), (session_id,)
            ).fetchall()
        return session_from_rows(row, turns)

    def append(self, session_id: str, turns: Sequence[Turn], request: RequestKey | None = None) -> None:
        with self._connect() as db:
            ended = self._ended(db, session_id)
            done = self._response(db, session_id, request.key) if request else None
            if done is not None:
                raise AlreadyDone(done)
            if ended:
                raise SessionEnded(session_id)
            self._insert_turns(db, session_id, turns)
            self._keep(db, session_id, request)

    def response_for(self, session_id: str, key: str) -> str | None:
        with self._connect() as db:
            return self._response(db, session_id, key)

    def _response(self, db: Any, session_id: str, key: str) -> str | None:
        statement = self._sql("SELECT response FROM request_keys WHERE session_id = ? AND key = ?")
        row = db.execute(statement, (session_id, key)).fetchone()
        return None if row is None else str(row["response"])

    def _keep(self, db: Any, session_id: str, request: RequestKey | None) -> None:
        if request is not None:
            statement = "INSERT INTO request_keys (session_id, key, response) VALUES (?, ?, ?)"
            db.execute(self._sql(statement), (session_id, request.key, request.response))

    def claim_end(self, session_id: str) -> bool:
        with self._connect() as db:
            if self._ended(db, session_id) is not False:
                return False
            db.execute(self._sql("UPDATE sessions SET ended = ? WHERE id = ?"), (True, session_id))
            return True

    def release_end(self, session_id: str) -> None:
        with self._connect() as db:
            statement = "UPDATE sessions SET ended = ? WHERE id = ? AND report IS NULL"
            db.execute(self._sql(statement), (False, session_id))

    def finish(self, session_id: str, report: Report, request: RequestKey | None = None) -> None:
        with self._connect() as db:
            statement = self._sql("UPDATE sessions SET ended = ?, report = ? WHERE id = ?")
            db.execute(statement, (True, report_json(report), session_id))
            self._keep(db, session_id, request)

    def report(self, session_id: str) -> Report | None:
        with self._connect() as db:
            row = db.execute(self._sql("SELECT report FROM sessions WHERE id = ?"), (session_id,)).fetchone()
        return report_from_json(row["report"]) if row and row["report"] else None

    def _insert_turns(self, db: Any, session_id: str, turns: Sequence[Turn]) -> None:
        """Each turn takes the next sequence number inside its own INSERT, so concurrent writers cannot collide."""
        db.cursor().executemany(
            self._sql(
                "INSERT INTO turns (session_id, seq, role, content, kind, stage, at, chunk_ids) "
                "SELECT ?, COALESCE(MAX(seq) + 1, 0), ?, ?, ?, ?, ?, ? FROM turns WHERE session_id = ?"
            ),
            [(session_id, *turn_values(t), session_id) for t in turns],
        )


class SQLiteSessionStore(SqlSessionStore):
    def __init__(self, path: Path) -> None:
        self._path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)
            self._migrate(db)

    def _columns(self, db: Any, table: str) -> set[str]:
        return {row["name"] for row in db.execute(f"PRAGMA table_info({table})")}

    def _begin_write(self, db: Any) -> None:
        db.execute("BEGIN IMMEDIATE")  # SQLite locks the whole database for writing; a later claim waits for us

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self._path, timeout=10)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys=ON")
        try:
            with db:
                yield db
        finally:
            db.close()


def turn_values(turn: Turn) -> tuple[str, str, str, str | None, float, str]:
    """(role, content, kind, stage, at, chunk_ids): a turn as stored, in column order."""
    stage = turn.stage.value if turn.stage else None
    return turn.role, turn.content, turn.kind.value, stage, turn.at, ",".join(turn.chunk_ids)


Row = Mapping[str, Any]


def session_from_rows(row: Row, turns: Sequence[Row]) -> Session:
    """A session from its row and its turn rows (any store whose rows read by column name)."""
    return Session(
        id=row["id"],
        question_id=row["question_id"],
        level=cast(Level, row["level"]),
        created_at=row["created_at"],
        ended=bool(row["ended"]),
        minutes=row["minutes"],
        drill_stage=Stage(row["drill_stage"]) if row["drill_stage"] else None,
        turns=tuple(
            Turn(
                role=t["role"],
                content=t["content"],
                kind=TurnKind(t["kind"]),
                stage=Stage(t["stage"]) if t["stage"] else None,
                at=t["at"],
                chunk_ids=tuple(c for c in t["chunk_ids"].split(",") if c),
            )
            for t in turns
        ),
    )
