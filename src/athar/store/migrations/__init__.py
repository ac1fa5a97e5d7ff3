"""Alembic migrations of the workspace database (see :mod:`athar.store.migrate`)."""
