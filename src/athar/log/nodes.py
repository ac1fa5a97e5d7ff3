"""How the stored Merkle tree is keyed (the tables are in :mod:`athar.store.tables`).

Node ids pack a complete subtree's coordinates into one integer key,
``level * 2**48 + index``, so every node a proof needs is one primary-key
lookup in one query.
"""

from __future__ import annotations

__all__ = ["NODE_LEVEL_SHIFT", "node_id"]

NODE_LEVEL_SHIFT = 1 << 48


def node_id(level: int, index: int) -> int:
    """The primary key of node ``(level, index)``."""
    return level * NODE_LEVEL_SHIFT + index
