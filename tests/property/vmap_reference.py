"""A naive reference of the completeness index's map, straight from its definition.

Works on sets of bit strings ("0101…") with no sorting, bisection or caching:
an empty set hashes to 32 zero bytes, one leaf to its leaf hash, more to
SHA-256(0x11 || left || right) split on the next bit.
"""

from __future__ import annotations

import hashlib


def bits(key: bytes) -> str:
    return "".join(f"{b:08b}" for b in key)


def leaf(key: bytes, count: int, head: bytes) -> bytes:
    return hashlib.sha256(b"\x10" + key + count.to_bytes(8, "big") + head).digest()


def root(items: dict[str, bytes], depth: int = 0) -> bytes:
    """``items``: bit string of the key -> leaf hash."""
    if not items:
        return bytes(32)
    if len(items) == 1:
        return next(iter(items.values()))
    left = {k: v for k, v in items.items() if k[depth] == "0"}
    right = {k: v for k, v in items.items() if k[depth] == "1"}
    return hashlib.sha256(b"\x11" + root(left, depth + 1) + root(right, depth + 1)).digest()


def proof(items: dict[str, bytes], key: str, depth: int = 0) -> list[bytes]:
    """Siblings of ``key``'s leaf, root first."""
    if len(items) <= 1:
        return []
    same = {k: v for k, v in items.items() if k[depth] == key[depth]}
    other = {k: v for k, v in items.items() if k[depth] != key[depth]}
    return [root(other, depth + 1), *proof(same, key, depth + 1)]
