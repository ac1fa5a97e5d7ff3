"""Incidents grouped incrementally: each incident's frames, and where and when it is, indexed.

Incidents are derived from the reports; after this revision they are rebuilt
once, from the stored reports, the first time a report is taken in
(:func:`athar.incidents.assign.ensure_frames`).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("admin", sa.Text))
        batch.add_column(sa.Column("lat", sa.Float))
        batch.add_column(sa.Column("lon", sa.Float))
        batch.add_column(sa.Column("place_key", sa.Text))
        batch.add_column(sa.Column("reports", sa.Integer, nullable=False, server_default="0"))
    op.create_index("incidents_date", "incidents", ["date_from"])
    op.create_index("incidents_admin", "incidents", ["admin", "date_from"])
    op.create_index("incidents_place_key", "incidents", ["place_key"])
    op.create_table(
        "incident_frames",
        sa.Column("frame_key", sa.Text, primary_key=True),
        sa.Column("incident_id", sa.Text, nullable=False),
        sa.Column("report_id", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False))
    op.create_index("incident_frames_incident", "incident_frames", ["incident_id"])
    op.create_index("incident_frames_report", "incident_frames", ["report_id"])
