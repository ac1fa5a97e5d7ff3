"""People's curation of incidents: frames pinned to an incident, an incident's place or date set.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incident_pins",
        sa.Column("frame_key", sa.Text, primary_key=True),
        sa.Column("incident_id", sa.Text, nullable=False),
        sa.Column("pinned_idx", sa.BigInteger, nullable=False))
    op.create_table(
        "incident_overrides",
        sa.Column("incident_id", sa.Text, primary_key=True),
        sa.Column("place", sa.Text),
        sa.Column("date", sa.Text),
        sa.Column("set_idx", sa.BigInteger, nullable=False))
