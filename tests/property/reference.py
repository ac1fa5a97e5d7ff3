"""A naive recursive RFC 9162 reference: MTH, PATH and PROOF straight from §2.1."""

from __future__ import annotations

import hashlib


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(leaves: list[bytes]) -> bytes:
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = _k(n)
    return hashlib.sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:])).digest()


def path(m: int, leaves: list[bytes]) -> list[bytes]:
    n = len(leaves)
    if n == 1:
        return []
    k = _k(n)
    if m < k:
        return path(m, leaves[:k]) + [mth(leaves[k:])]
    return path(m - k, leaves[k:]) + [mth(leaves[:k])]


def proof(m: int, leaves: list[bytes]) -> list[bytes]:
    return _subproof(m, leaves, True) if 0 < m < len(leaves) else []


def _subproof(m: int, leaves: list[bytes], b: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if b else [mth(leaves)]
    k = _k(n)
    if m <= k:
        return _subproof(m, leaves[:k], b) + [mth(leaves[k:])]
    return _subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]


def path_shape(m: int, n: int) -> list[str]:
    """The left/right decisions PATH(m, D[0:n]) makes, leaf first ([] for n == 1)."""
    out: list[str] = []
    while n > 1:
        k = _k(n)
        if m < k:
            out.append("L")
            n = k
        else:
            out.append("R")
            m, n = m - k, n - k
    return out[::-1]


def proof_shape(m: int, n: int) -> tuple[list[str], bool, bool]:
    """The decisions PROOF(m, D[0:n]) makes, and whether m is a power of two.

    Two (m, n) pairs with the same shape combine the same hashes in the same
    order, so a proof for one also verifies, with the same roots, for the other:
    the sizes are bound by the signed checkpoint, not by the proof.
    """
    out: list[str] = []
    b = True
    while m != n:
        k = _k(n)
        if m <= k:
            out.append("L")
            n = k
        else:
            out.append("R")
            m, n, b = m - k, n - k, False
    return out[::-1], b, (m & (m - 1)) == 0
