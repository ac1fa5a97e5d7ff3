"""The schema's version, and bringing a database to it (Alembic, SQLite and PostgreSQL).

Every database records its schema revision in Alembic's ``alembic_version``
table. When a log starts, :func:`ensure_current`:

* creates an empty database at :data:`HEAD` (the tables of
  :mod:`athar.store.tables`, then the revision stamped);
* upgrades a database at an older revision with the migrations in
  :mod:`athar.store.migrations`: a SQLite file is first copied aside
  (``<file>.pre-<revision>-<time>.bak``, mode 0600, through SQLite's online
  backup), a PostgreSQL database is upgraded in one transaction, so a failed
  upgrade leaves it as it was;
* refuses (:class:`~athar.errors.ConfigError`) a database at a revision this
  Athar does not know, which a newer Athar wrote: running old code on it could
  lose what the newer schema keeps.

Databases made before migrations existed have the tables and no version:
they are taken to be at :data:`BASELINE`. ``athar db status`` and
``athar db upgrade`` do the same by hand.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from athar.errors import ConfigError, StoreError
from athar.store.db import Database, PostgresDatabase, SQLiteDatabase

__all__ = ["BASELINE", "HEAD", "REVISIONS", "Upgrade", "alembic_config", "engine_for", "ensure_current",
           "revision_of", "run_migrations", "upgrade"]

REVISIONS = ("0001", "0002", "0003", "0004", "0005")
"""Every revision this Athar knows, oldest first (a test pins it to the migration scripts)."""
BASELINE = REVISIONS[0]
HEAD = REVISIONS[-1]
_MIGRATIONS = Path(__file__).with_name("migrations")
_PG_LOCK = 4243  # advisory lock id held while a PostgreSQL schema is upgraded


@dataclass(frozen=True)
class Upgrade:
    """What :func:`upgrade` did: the revisions before and after, and the backup it made."""

    before: str | None
    after: str
    backup: Path | None = None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def revision_of(db: Database) -> str | None:
    """The database's schema revision; None when it has no tables; BASELINE for a pre-migration one."""
    if _has_table(db, "alembic_version"):
        rows = db.read("SELECT version_num FROM alembic_version")
        if rows:
            return str(rows[0][0])
    return BASELINE if _has_table(db, "entries") else None


def ensure_current(db: Database, *, backup_dir: Path | None = None) -> Upgrade:
    """Bring ``db`` to :data:`HEAD` (create, or upgrade after a backup); refuse a newer one."""
    found = revision_of(db)
    if found == HEAD:
        return Upgrade(found, found)
    _check_known(found)
    return upgrade(db, backup_dir=backup_dir)


def upgrade(db: Database, *, backup_dir: Path | None = None) -> Upgrade:
    """Create or upgrade ``db``'s schema to :data:`HEAD`; see the module docstring."""
    with _migration_lock(db):
        before = revision_of(db)  # again, under the lock: another process may have done it
        _check_known(before)
        if before == HEAD:
            return Upgrade(before, HEAD)
        if before is None:
            _create(db)
            return Upgrade(None, HEAD)
        backup = _backup(db, before, backup_dir) if isinstance(db, SQLiteDatabase) else None
        run_migrations(db)
        after = revision_of(db)
        if after != HEAD:  # pragma: no cover - would be a broken migration script
            raise StoreError(f"the schema upgrade stopped at revision {after}, not {HEAD}")
        return Upgrade(before, HEAD, backup)


def _check_known(revision: str | None) -> None:
    if revision is not None and revision not in REVISIONS:
        raise ConfigError(
            f"this database's schema is at revision {revision!r}, which this version of Athar "
            f"does not know (it knows up to {HEAD}): a newer Athar wrote it, so run that version "
            "or upgrade Athar; nothing was changed")


def _has_table(db: Database, name: str) -> bool:
    if isinstance(db, PostgresDatabase):
        sql = ("SELECT 1 FROM information_schema.tables "
               "WHERE table_schema = current_schema() AND table_name = ?")
    else:
        sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    return bool(db.read(sql, (name,)))


def engine_for(db: Database) -> Any:
    """A SQLAlchemy engine on ``db``'s database (no pooling), for schema work only."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    if isinstance(db, SQLiteDatabase):
        return create_engine(f"sqlite:///{db.path}", poolclass=NullPool)
    if isinstance(db, PostgresDatabase):
        db.read("SELECT 1")  # our own connection creates the URL's schema when it is missing
        url = "postgresql+psycopg://" + db.url.split("://", 1)[1]
        args = {"options": f"-csearch_path={db.schema}"} if db.schema else {}
        return create_engine(url, poolclass=NullPool, connect_args=args)
    raise ConfigError(f"no schema support for {type(db).__name__}")  # pragma: no cover


def _create(db: Database) -> None:
    """An empty database: every table at HEAD in one transaction, and HEAD stamped."""
    from sqlalchemy import text

    from athar.store.tables import metadata

    engine = engine_for(db)
    try:
        with engine.begin() as conn:
            metadata.create_all(conn)
            conn.execute(text("INSERT INTO log_state (id, size) VALUES (1, 0)"))
            conn.execute(text("INSERT INTO incidents_meta (id, generation) VALUES (1, 0)"))
            conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                              "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"))
            conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": HEAD})
    finally:
        engine.dispose()


def run_migrations(db: Database, target: str = HEAD) -> None:
    """Run the migration scripts from ``db``'s revision (none: an empty database) to ``target``.

    One transaction on PostgreSQL. A pre-migration database is first stamped
    :data:`BASELINE`. :func:`upgrade` is what callers want; this is its last step.
    """
    from alembic import command

    before = revision_of(db)
    engine = engine_for(db)
    try:
        with engine.begin() as conn:
            cfg = alembic_config(conn)
            if before is not None and not _has_table(db, "alembic_version"):
                command.stamp(cfg, before)
            command.upgrade(cfg, target)
    finally:
        engine.dispose()


def alembic_config(connection: Any) -> Any:
    """Alembic's configuration for Athar's migration scripts, bound to ``connection``."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def _backup(db: SQLiteDatabase, revision: str, backup_dir: Path | None) -> Path:
    source = Path(db.path)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = (backup_dir or source.parent) / f"{source.name}.pre-{revision}-{stamp}.bak"
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    src = dst = None
    try:
        src, dst = sqlite3.connect(source), sqlite3.connect(target)
        src.backup(dst)
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)
        raise StoreError(f"could not back up {source} before upgrading its schema: {exc}; "
                         "nothing was changed") from exc
    finally:
        for conn in (src, dst):
            if conn is not None:
                conn.close()
    return target


@contextmanager
def _migration_lock(db: Database) -> Iterator[None]:
    """One process at a time creates or upgrades a database's schema."""
    if isinstance(db, SQLiteDatabase):
        lock_path = Path(db.path + ".schema-lock")
        fd = os.open(lock_path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)
        return
    import psycopg

    with psycopg.connect(db.url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (_PG_LOCK,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_PG_LOCK,))
