"""API tokens that expire and can be revoked; server-side sessions that end at logout.

Tokens made before this revision keep working until revoked (``expires_at``
stays NULL); their ``last_used_at`` starts empty.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("expires_at", sa.Text))
        batch.add_column(sa.Column("revoked_at", sa.Text))
        batch.add_column(sa.Column("last_used_at", sa.Text))
    op.create_index("api_tokens_user", "api_tokens", ["user_name"])
    op.create_table(
        "sessions",
        sa.Column("session_id", sa.Text, primary_key=True),
        sa.Column("user_name", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("ended_at", sa.Text))
    op.create_index("sessions_user", "sessions", ["user_name"])
