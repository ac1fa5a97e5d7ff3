"""The schema as it stood before migrations existed (Athar 0.1, 2026-12).

Workspaces made before then have these tables and no ``alembic_version``;
:func:`athar.store.migrate.revision_of` recognises them as this revision.
This file is a frozen record: later changes go in new revisions, never here.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_ROWID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _key(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, _ROWID, primary_key=True, autoincrement=False)


def upgrade() -> None:
    log_state = op.create_table("log_state", _key("id"), sa.Column("size", sa.BigInteger, nullable=False))
    op.bulk_insert(log_state, [{"id": 1, "size": 0}])
    op.create_table(
        "entries", _key("idx"),
        sa.Column("leaf_hash", sa.LargeBinary, nullable=False, unique=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("received_at", sa.Text, nullable=False))
    op.create_index("entries_kind", "entries", ["kind", "idx"])
    op.create_table("nodes", _key("id"), sa.Column("hash", sa.LargeBinary, nullable=False))
    op.create_table(
        "checkpoints",
        sa.Column("size", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("root", sa.LargeBinary, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False))
    op.create_table(
        "cosignatures",
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("witness", sa.Text, nullable=False),
        sa.Column("timestamp", sa.BigInteger, nullable=False),
        sa.Column("line", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("size", "witness"))
    op.create_table(
        "witnessed_logs",
        sa.Column("origin", sa.Text, primary_key=True),
        sa.Column("vkey", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("root", sa.LargeBinary, nullable=False),
        sa.Column("note", sa.Text, nullable=False))
    op.create_table(
        "actor_keys",
        sa.Column("vkey", sa.Text, primary_key=True),
        sa.Column("actor_id", sa.Text, nullable=False),
        sa.Column("registered_idx", sa.BigInteger, nullable=False),
        sa.Column("revoked_idx", sa.BigInteger))
    op.create_table(
        "actors",
        sa.Column("actor_id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("actor_type", sa.Text, nullable=False),
        sa.Column("registered_idx", sa.BigInteger, nullable=False))
    op.create_table(
        "actor_roles",
        sa.Column("actor_id", sa.Text, nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("granted_idx", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("actor_id", "role"))
    op.create_table(
        "custody_exhibits",
        sa.Column("exhibit_id", sa.Text, primary_key=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("parent_id", sa.Text),
        sa.Column("registered_idx", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.Text),
        sa.Column("size", sa.BigInteger),
        sa.Column("media_type", sa.Text),
        sa.Column("public", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False))
    op.create_index("custody_exhibits_sha", "custody_exhibits", ["sha256"])
    op.create_table(
        "custody_events",
        sa.Column("exhibit_id", sa.Text, nullable=False),
        sa.Column("idx", sa.BigInteger, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("leaf_hash", sa.Text, nullable=False),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("actor_id", sa.Text),
        sa.PrimaryKeyConstraint("exhibit_id", "idx"))
    op.create_index("custody_events_idx", "custody_events", ["idx"])
    op.create_table(
        "custody_secrets",
        sa.Column("commitment", sa.Text, primary_key=True),
        sa.Column("idx", sa.BigInteger, nullable=False),
        sa.Column("leaf_hash", sa.Text, nullable=False),
        sa.Column("exhibit_id", sa.Text, nullable=False),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("salt", sa.Text, nullable=False))
    op.create_index("custody_secrets_idx", "custody_secrets", ["idx"])
    op.create_table(
        "reports",
        sa.Column("report_id", sa.Text, primary_key=True),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("media_type", sa.Text, nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("published", sa.Text),
        sa.Column("language", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("extraction", sa.Text, nullable=False),
        sa.Column("extractor_version", sa.Text, nullable=False),
        sa.Column("received_idx", sa.BigInteger),
        sa.Column("extraction_idx", sa.BigInteger),
        sa.Column("ingested_at", sa.Text, nullable=False))
    meta = op.create_table("incidents_meta", _key("id"),
                           sa.Column("generation", sa.BigInteger, nullable=False))
    op.bulk_insert(meta, [{"id": 1, "generation": 0}])
    op.create_table(
        "incidents",
        sa.Column("incident_id", sa.Text, primary_key=True),
        sa.Column("place", sa.Text, nullable=False),
        sa.Column("date_from", sa.Text),
        sa.Column("date_to", sa.Text),
        sa.Column("data", sa.Text, nullable=False))
    op.create_table(
        "users",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("roles", sa.Text, nullable=False),
        sa.Column("must_change", sa.Integer, nullable=False, server_default="0"),
        sa.Column("disabled", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", sa.Text, nullable=False))
    op.create_table(
        "api_tokens",
        sa.Column("token_hash", sa.Text, primary_key=True),
        sa.Column("user_name", sa.Text, nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False))
