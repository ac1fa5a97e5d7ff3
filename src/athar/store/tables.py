"""Every table of a workspace's database, defined once (SQLAlchemy Core).

The schema is created and changed only by the migrations in
:mod:`athar.store.migrations` (Alembic), on SQLite and PostgreSQL alike; a test
checks that the migrations at their head build exactly these tables. Queries
are plain SQL run through the database driver (:mod:`athar.store.db`), written
in the subset both engines accept.

Integer keys that SQLite should keep as its rowid (``entries.idx``,
``nodes.id``) are ``INTEGER PRIMARY KEY`` there and ``BIGINT`` on PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
)

__all__ = ["metadata"]

metadata = MetaData()

# SQLite's rowid alias needs the type name INTEGER; PostgreSQL needs 64 bits.
_ROWID = BigInteger().with_variant(Integer(), "sqlite")


def _key(name: str) -> Column[int]:
    return Column(name, _ROWID, primary_key=True, autoincrement=False)


# -- the log -------------------------------------------------------------------------------------

Table("log_state", metadata, _key("id"), Column("size", BigInteger, nullable=False))

Table(
    "entries", metadata,
    _key("idx"),
    Column("leaf_hash", LargeBinary, nullable=False, unique=True),
    Column("data", LargeBinary, nullable=False),
    Column("kind", Text, nullable=False),
    Column("author", Text, nullable=False),
    Column("received_at", Text, nullable=False),
    Index("entries_kind", "kind", "idx"),
)

Table("nodes", metadata, _key("id"), Column("hash", LargeBinary, nullable=False))

Table(
    "checkpoints", metadata,
    Column("size", BigInteger, primary_key=True, autoincrement=False),
    Column("root", LargeBinary, nullable=False),
    Column("note", Text, nullable=False),
    Column("created_at", Text, nullable=False),
)

Table(
    "cosignatures", metadata,
    Column("size", BigInteger, nullable=False),
    Column("witness", Text, nullable=False),
    Column("timestamp", BigInteger, nullable=False),
    Column("line", Text, nullable=False),
    PrimaryKeyConstraint("size", "witness"),
)

Table(
    "witnessed_logs", metadata,
    Column("origin", Text, primary_key=True),
    Column("vkey", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("root", LargeBinary, nullable=False),
    Column("note", Text, nullable=False),
)

# -- identity ------------------------------------------------------------------------------------

Table(
    "actor_keys", metadata,
    Column("vkey", Text, primary_key=True),
    Column("actor_id", Text, nullable=False),
    Column("registered_idx", BigInteger, nullable=False),
    Column("revoked_idx", BigInteger),
)

Table(
    "actors", metadata,
    Column("actor_id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("actor_type", Text, nullable=False),
    Column("registered_idx", BigInteger, nullable=False),
)

Table(
    "actor_roles", metadata,
    Column("actor_id", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("granted_idx", BigInteger, nullable=False),
    PrimaryKeyConstraint("actor_id", "role"),
)

# -- custody -------------------------------------------------------------------------------------

Table(
    "custody_exhibits", metadata,
    Column("exhibit_id", Text, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("parent_id", Text),
    Column("registered_idx", BigInteger, nullable=False),
    Column("sha256", Text),
    Column("size", BigInteger),
    Column("media_type", Text),
    Column("public", Text, nullable=False),
    Column("state", Text, nullable=False),
    Index("custody_exhibits_sha", "sha256"),
)

Table(
    "custody_events", metadata,
    Column("exhibit_id", Text, nullable=False),
    Column("idx", BigInteger, nullable=False),
    Column("action", Text, nullable=False),
    Column("leaf_hash", Text, nullable=False),
    Column("at", Text, nullable=False),
    Column("author", Text, nullable=False),
    Column("actor_id", Text),
    PrimaryKeyConstraint("exhibit_id", "idx"),
    Index("custody_events_idx", "idx"),
)

Table(
    "custody_secrets", metadata,
    Column("commitment", Text, primary_key=True),
    Column("idx", BigInteger, nullable=False),
    Column("leaf_hash", Text, nullable=False),
    Column("exhibit_id", Text, nullable=False),
    Column("field", Text, nullable=False),
    Column("value", Text, nullable=False),
    Column("salt", Text, nullable=False),
    Index("custody_secrets_idx", "idx"),
)

# -- intake and incidents ------------------------------------------------------------------------

Table(
    "reports", metadata,
    Column("report_id", Text, primary_key=True),
    Column("filename", Text, nullable=False),
    Column("media_type", Text, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("published", Text),
    Column("language", Text, nullable=False),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("extraction", Text, nullable=False),
    Column("extractor_version", Text, nullable=False),
    Column("received_idx", BigInteger),
    Column("extraction_idx", BigInteger),
    Column("ingested_at", Text, nullable=False),
)

Table("incidents_meta", metadata, _key("id"), Column("generation", BigInteger, nullable=False))

Table(
    "incidents", metadata,
    Column("incident_id", Text, primary_key=True),
    Column("place", Text, nullable=False),
    Column("date_from", Text),
    Column("date_to", Text),
    Column("data", Text, nullable=False),
    Column("admin", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("place_key", Text),
    Column("reports", Integer, nullable=False, server_default="0"),
    Index("incidents_date", "date_from"),
    Index("incidents_admin", "admin", "date_from"),
    Index("incidents_place_key", "place_key"),
)

# Which report's account of which event (frame) an incident holds: the incident is rebuilt from
# these rows alone, and a new report's frames are matched against the incidents near them.
Table(
    "incident_frames", metadata,
    Column("frame_key", Text, primary_key=True),
    Column("incident_id", Text, nullable=False),
    Column("report_id", Text, nullable=False),
    Column("data", Text, nullable=False),
    Index("incident_frames_incident", "incident_id"),
    Index("incident_frames_report", "report_id"),
)

# -- accounts ------------------------------------------------------------------------------------

Table(
    "users", metadata,
    Column("name", Text, primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("roles", Text, nullable=False),
    Column("must_change", Integer, nullable=False, server_default="0"),
    Column("disabled", Integer, nullable=False, server_default="0"),
    Column("created_at", Text, nullable=False),
)

Table(
    "api_tokens", metadata,
    Column("token_hash", Text, primary_key=True),
    Column("user_name", Text, nullable=False),
    Column("label", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("expires_at", Text),
    Column("revoked_at", Text),
    Column("last_used_at", Text),
    Index("api_tokens_user", "user_name"),
)

Table(
    "sessions", metadata,
    Column("session_id", Text, primary_key=True),
    Column("user_name", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("ended_at", Text),
    Index("sessions_user", "user_name"),
)

# -- cases and review ----------------------------------------------------------------------------

Table(
    "cases", metadata,
    Column("case_id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("created_idx", BigInteger, nullable=False),
    Column("head", Text, nullable=False),
)

Table(
    "case_members", metadata,
    Column("case_id", Text, nullable=False),
    Column("actor_id", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("since_idx", BigInteger, nullable=False),
    PrimaryKeyConstraint("case_id", "actor_id"),
    Index("case_members_actor", "actor_id"),
)

Table(
    "case_links", metadata,
    Column("case_id", Text, nullable=False),
    Column("item_type", Text, nullable=False),
    Column("item_id", Text, nullable=False),
    Column("note", Text, nullable=False),
    Column("linked_idx", BigInteger, nullable=False),
    PrimaryKeyConstraint("case_id", "item_type", "item_id"),
    Index("case_links_item", "item_type", "item_id"),
)

Table(
    "claim_reviews", metadata,
    Column("idx", BigInteger, primary_key=True, autoincrement=False),
    Column("leaf_hash", Text, nullable=False),
    Column("report_id", Text, nullable=False),
    Column("claim_key", Text, nullable=False),
    Column("decision", Text, nullable=False),
    Column("value", Text),
    Column("note", Text),
    Column("actor_id", Text),
    Column("extractor_version", Text),
    Column("at", Text, nullable=False),
    Index("claim_reviews_claim", "report_id", "claim_key"),
)

# The latest review of each claim (its current state); a claim with no row is "suggested".
Table(
    "claim_states", metadata,
    Column("report_id", Text, nullable=False),
    Column("claim_key", Text, nullable=False),
    Column("decision", Text, nullable=False),
    Column("value", Text),
    Column("review_idx", BigInteger, nullable=False),
    Column("leaf_hash", Text, nullable=False),
    PrimaryKeyConstraint("report_id", "claim_key"),
)


# People's curation of incidents: a frame pinned to an incident stays there whatever the grouping
# would choose; an incident's place or date set by a person replaces the one derived.
Table(
    "incident_pins", metadata,
    Column("frame_key", Text, primary_key=True),
    Column("incident_id", Text, nullable=False),
    Column("pinned_idx", BigInteger, nullable=False),
)

Table(
    "incident_overrides", metadata,
    Column("incident_id", Text, primary_key=True),
    Column("place", Text),
    Column("date", Text),
    Column("set_idx", BigInteger, nullable=False),
)
