"""Database backends behind one small interface: SQLite (default) and PostgreSQL.

``connect(url)`` returns a :class:`Database` for ``sqlite:///path`` or
``postgresql://...``. Statements are written once in the SQL both engines
accept (``INSERT ... ON CONFLICT DO NOTHING``, no engine-specific types: the
tables are made by :mod:`athar.store.migrate` from :mod:`athar.store.tables`)
with ``?`` placeholders, which the PostgreSQL backend gives psycopg as ``%s``.
Writes go through
:meth:`Database.write`, one transaction that holds the log's write lock;
reads use per-thread connections.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from athar.errors import ConfigError, StoreError

__all__ = ["Database", "connect", "map_db_errors"]


@contextmanager
def map_db_errors() -> Iterator[None]:
    """Translate driver exceptions into :class:`StoreError`."""
    try:
        yield
    except StoreError:
        raise
    except sqlite3.Error as exc:
        raise StoreError(f"database error: {exc}") from exc
    except Exception as exc:
        if type(exc).__module__.startswith("psycopg"):
            raise StoreError(f"database error: {exc}") from exc
        raise


class _Txn:
    def __init__(self, conn: Any, dialect: str) -> None:
        self.conn = conn
        self.dialect = dialect

    def _sql(self, sql: str) -> str:
        return sql if self.dialect == "sqlite" else _pg_sql(sql)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cur = self.conn.cursor()
        cur.execute(self._sql(sql), tuple(params))
        return cur

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        cur = self.conn.cursor()
        cur.executemany(self._sql(sql), [tuple(r) for r in rows])

    def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert ``rows`` with multi-row ``INSERT ... VALUES`` statements.

        One statement per few hundred rows rather than one step per row: the
        driver releases the GIL at each step, and a busy thread elsewhere in
        the process would otherwise make every row wait for it.
        """
        width = len(columns)
        per = max(1, _MAX_PARAMS // width)
        head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
        one = "(" + ", ".join("?" * width) + ")"
        cur = self.conn.cursor()
        for i in range(0, len(rows), per):
            part = rows[i : i + per]
            params = [v for r in part for v in r]
            cur.execute(self._sql(head + ", ".join([one] * len(part))), params)


_MAX_PARAMS = 999  # SQLite's smallest limit on bound parameters per statement
_PG_CACHE: dict[str, str] = {}


def _pg_sql(sql: str) -> str:
    """``sql`` with psycopg's placeholders: the only difference between the two drivers' SQL.

    Athar's statements are written in the SQL both engines accept; they differ
    only in the DB-API parameter style (``?`` for sqlite3, ``%s`` for psycopg).
    Statements carry no literal ``?`` or ``%`` of their own, only placeholders.
    """
    out = _PG_CACHE.get(sql)
    if out is None:
        out = _PG_CACHE[sql] = sql.replace("%", "%%").replace("?", "%s")
    return out


class Database:
    """One database: a writer transaction and per-thread readers."""

    dialect: str

    def __init__(self, url: str) -> None:
        self.url = url
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._writer: Any = None

    # -- connections -------------------------------------------------------
    def _new_connection(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def _reader(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._new_connection()
            self._prepare_reader(conn)
            self._local.conn = conn
        return conn

    def _prepare_reader(self, conn: Any) -> None:
        """Make ``conn`` a reader (each statement on its own, no transaction left open)."""

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a read-only query and return all rows."""
        with map_db_errors():
            cur = _Txn(self._reader(), self.dialect).execute(sql, params)
            return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in cur.fetchall()]

    @contextmanager
    def write(self) -> Iterator[_Txn]:
        """One write transaction holding the log's lock; committed on success."""
        with self._write_lock, map_db_errors():
            if self._writer is None:
                self._writer = self._new_connection()
            conn = self._writer
            self._begin(conn)
            try:
                yield _Txn(conn, self.dialect)
            except BaseException:
                conn.rollback()
                raise
            conn.commit()

    def _begin(self, conn: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def executescript(self, statements: Iterable[str]) -> None:
        """Run DDL statements in one transaction."""
        with self.write() as txn:
            for s in statements:
                txn.execute(s)

    def close(self) -> None:
        """Close the writer and this thread's reader."""
        for conn in (self._writer, getattr(self._local, "conn", None)):
            if conn is not None:
                try:
                    conn.close()
                except Exception:  # noqa: BLE001 - closing is best effort
                    pass
        self._writer = None
        self._local = threading.local()


class SQLiteDatabase(Database):
    dialect = "sqlite"

    def __init__(self, url: str, synchronous: str = "FULL") -> None:
        super().__init__(url)
        path = url.removeprefix("sqlite:///")
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.synchronous = synchronous

    def _new_connection(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                               check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA synchronous={self.synchronous}")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    def _begin(self, conn: Any) -> None:
        conn.execute("BEGIN IMMEDIATE")

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with map_db_errors():
            rows: list[tuple[Any, ...]] = self._reader().execute(sql, tuple(params)).fetchall()
            return rows


class PostgresDatabase(Database):
    """PostgreSQL through psycopg 3. ``?schema=NAME`` in the URL selects (and creates) a schema."""

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        self.schema = query.pop("schema", None)
        if self.schema is not None and not re.fullmatch(r"[a-z_][a-z0-9_]*", self.schema):
            raise ConfigError(f"invalid schema name {self.schema!r}")
        super().__init__(urlunsplit(parts._replace(query=urlencode(query))))

    def _new_connection(self) -> Any:
        import psycopg

        try:
            conn = psycopg.connect(self.url)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL at {self.url}: {exc}") from exc
        # An acknowledged append must survive a crash of the server: commits wait for the WAL
        # flush whatever the server's default (tests/integration/store/test_durability.py).
        conn.execute("SET synchronous_commit TO on")
        if self.schema:
            conn.execute(f"CREATE SCHEMA IF NOT EXISTS {self.schema}")
            conn.execute(f"SET search_path TO {self.schema}")
        conn.commit()
        return conn

    def _prepare_reader(self, conn: Any) -> None:
        # Autocommit: a read is one statement, consistent by itself, and needs no
        # BEGIN and ROLLBACK round trips around it (a proof is then one round trip).
        conn.autocommit = True

    def _begin(self, conn: Any) -> None:
        # psycopg opens a transaction implicitly; take the log's lock first.
        conn.execute("SELECT pg_advisory_xact_lock(4242)")


def connect(url: str, **options: Any) -> Database:
    """A :class:`Database` for ``sqlite:///path`` or ``postgresql://...``."""
    if url.startswith("sqlite:///"):
        return SQLiteDatabase(url, **options)
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(url)
    raise ConfigError(f"unsupported database URL {url!r}: use sqlite:///PATH or postgresql://")
