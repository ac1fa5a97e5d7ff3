"""The core tables: entries, tree nodes, checkpoints, cosignatures, identity.

Node ids pack a complete subtree's coordinates into one integer key,
``level * 2**48 + index``, so every node a proof needs is one primary-key
lookup in one query.
"""

from __future__ import annotations

__all__ = ["CORE_SCHEMA", "node_id"]

NODE_LEVEL_SHIFT = 1 << 48


def node_id(level: int, index: int) -> int:
    """The primary key of node ``(level, index)``."""
    return level * NODE_LEVEL_SHIFT + index


CORE_SCHEMA = [
    "CREATE TABLE IF NOT EXISTS log_state (id INTEGER PRIMARY KEY, size BIGINT NOT NULL)",
    "INSERT OR IGNORE INTO log_state (id, size) VALUES (1, 0)",
    """CREATE TABLE IF NOT EXISTS entries (
        idx INTEGER PRIMARY KEY,
        leaf_hash BLOB NOT NULL UNIQUE,
        data BLOB NOT NULL,
        kind TEXT NOT NULL,
        author TEXT NOT NULL,
        received_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS entries_kind ON entries (kind, idx)",
    "CREATE TABLE IF NOT EXISTS nodes (id INTEGER PRIMARY KEY, hash BLOB NOT NULL)",
    """CREATE TABLE IF NOT EXISTS checkpoints (
        size BIGINT PRIMARY KEY,
        root BLOB NOT NULL,
        note TEXT NOT NULL,
        created_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS cosignatures (
        size BIGINT NOT NULL,
        witness TEXT NOT NULL,
        timestamp BIGINT NOT NULL,
        line TEXT NOT NULL,
        PRIMARY KEY (size, witness))""",
    """CREATE TABLE IF NOT EXISTS witnessed_logs (
        origin TEXT PRIMARY KEY,
        vkey TEXT NOT NULL,
        url TEXT NOT NULL,
        size BIGINT NOT NULL,
        root BLOB NOT NULL,
        note TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS actor_keys (
        vkey TEXT PRIMARY KEY,
        actor_id TEXT NOT NULL,
        registered_idx BIGINT NOT NULL,
        revoked_idx BIGINT)""",
    """CREATE TABLE IF NOT EXISTS actors (
        actor_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        actor_type TEXT NOT NULL,
        registered_idx BIGINT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS actor_roles (
        actor_id TEXT NOT NULL,
        role TEXT NOT NULL,
        granted_idx BIGINT NOT NULL,
        PRIMARY KEY (actor_id, role))""",
]
