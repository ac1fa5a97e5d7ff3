"""RFC 9162 §2.1 Merkle tree hashing: SHA-256 with domain-separation prefixes."""

from __future__ import annotations

import hashlib

__all__ = ["EMPTY_ROOT", "HASH_SIZE", "leaf_hash", "node_hash"]

HASH_SIZE = 32
EMPTY_ROOT: bytes = hashlib.sha256(b"").digest()
"""The root of the empty tree: SHA-256 of the empty string."""

_LEAF = b"\x00"
_NODE = b"\x01"


def leaf_hash(data: bytes) -> bytes:
    """Return SHA-256(0x00 || data), the hash of one leaf."""
    return hashlib.sha256(_LEAF + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return SHA-256(0x01 || left || right), the hash of an interior node."""
    return hashlib.sha256(_NODE + left + right).digest()
