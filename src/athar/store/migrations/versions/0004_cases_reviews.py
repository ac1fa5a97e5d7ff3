"""Cases (team, links) and people's reviews of extracted claims.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("case_id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("created_idx", sa.BigInteger, nullable=False),
        sa.Column("head", sa.Text, nullable=False))
    op.create_table(
        "case_members",
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("actor_id", sa.Text, nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("since_idx", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("case_id", "actor_id"))
    op.create_index("case_members_actor", "case_members", ["actor_id"])
    op.create_table(
        "case_links",
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("item_type", sa.Text, nullable=False),
        sa.Column("item_id", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("linked_idx", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("case_id", "item_type", "item_id"))
    op.create_index("case_links_item", "case_links", ["item_type", "item_id"])
    op.create_table(
        "claim_reviews",
        sa.Column("idx", sa.BigInteger, primary_key=True,
                  autoincrement=False),
        sa.Column("leaf_hash", sa.Text, nullable=False),
        sa.Column("report_id", sa.Text, nullable=False),
        sa.Column("claim_key", sa.Text, nullable=False),
        sa.Column("decision", sa.Text, nullable=False),
        sa.Column("value", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("actor_id", sa.Text),
        sa.Column("extractor_version", sa.Text),
        sa.Column("at", sa.Text, nullable=False))
    op.create_index("claim_reviews_claim", "claim_reviews", ["report_id", "claim_key"])
    op.create_table(
        "claim_states",
        sa.Column("report_id", sa.Text, nullable=False),
        sa.Column("claim_key", sa.Text, nullable=False),
        sa.Column("decision", sa.Text, nullable=False),
        sa.Column("value", sa.Text),
        sa.Column("review_idx", sa.BigInteger, nullable=False),
        sa.Column("leaf_hash", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("report_id", "claim_key"))
