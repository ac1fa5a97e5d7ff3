"""Alembic's environment: migrations always run on a connection Athar hands in.

:func:`athar.store.migrate.upgrade` opens the connection (SQLite or
PostgreSQL) and puts it in ``config.attributes["connection"]``; there is no
``alembic.ini`` and no URL here, so a migration can never reach a database
other than the workspace's own.
"""

from __future__ import annotations

from alembic import context

from athar.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable by running alembic by hand
    raise RuntimeError("run migrations with `athar db upgrade`, not the alembic command")

context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite",
                  transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
