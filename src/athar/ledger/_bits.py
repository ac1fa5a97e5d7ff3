"""Small integer helpers shared by the tree and proof code."""

from __future__ import annotations


def split_point(n: int) -> int:
    """Return the largest power of two strictly less than ``n`` (``n >= 2``)."""
    return 1 << ((n - 1).bit_length() - 1)
