"""A verifiable map: a compressed sparse Merkle tree from names to (count, head).

The completeness index (``docs/design/completeness.md``) maps each exhibit,
and the log's identity entries, to how many entries of the log belong to it
and the leaf hash of the last one. This module is the pure data structure:
no I/O, no knowledge of what the names mean.

Shape (a Merkle radix tree, as in the Verifiable Index of
transparency-dev and AKD's prefix tree):

* a name's **key** is ``SHA-256(name)``, read as 256 bits, most significant first;
* a **leaf** is ``SHA-256(0x10 || key || uint64be(count) || head)``;
* a subtree holding no leaf hashes to :data:`EMPTY` (32 zero bytes), a subtree
  holding exactly one leaf hashes to that leaf (it is not pushed down to depth
  256), and any other subtree to ``SHA-256(0x11 || left || right)``.

So a proof for a name is the siblings on its key's path from the root down to
the depth where its leaf sits: about log2(number of names) hashes. Every name
has one place (its key's path) and leaves and interior nodes hash with
different prefixes, so one root cannot prove two values for a name without a
SHA-256 collision: no duplicate or hidden key is possible, whoever built the
tree. :func:`verify_map_proof` returns None or raises (never a bool).
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from athar.errors import InvalidProof, RootMismatch, VerificationError

__all__ = ["EMPTY", "MapValue", "VerifiableMap", "map_key", "map_leaf", "root_of",
           "verify_map_proof"]

EMPTY = bytes(32)
"""The hash of a subtree (or map) with no names."""
_LEAF = b"\x10"
_NODE = b"\x11"
_BITS = 256
_MAX_COUNT = 2**64 - 1


def map_key(name: str) -> bytes:
    """The 32-byte key of ``name``: SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).digest()


@dataclass(frozen=True)
class MapValue:
    """What the map holds for a name: a count and the hash of the last item counted."""

    count: int
    head: bytes

    def __post_init__(self) -> None:
        if not isinstance(self.count, int) or isinstance(self.count, bool) \
                or not 0 <= self.count <= _MAX_COUNT:
            raise VerificationError("a map value's count must fit in 64 bits")
        if not isinstance(self.head, bytes) or len(self.head) != 32:
            raise VerificationError("a map value's head must be a 32-byte hash")


def map_leaf(key: bytes, value: MapValue) -> bytes:
    """The hash of the leaf holding ``value`` under ``key``."""
    return hashlib.sha256(_LEAF + key + value.count.to_bytes(8, "big") + value.head).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(_NODE + left + right).digest()


def _bit(key: bytes, depth: int) -> int:
    return (key[depth >> 3] >> (7 - (depth & 7))) & 1


class VerifiableMap:
    """An immutable map from names to :class:`MapValue`, with its root and proofs.

    Built once from all its names (``O(n log n)`` hashes); :meth:`proof`
    walks one key's path.
    """

    def __init__(self, values: Mapping[str, MapValue]) -> None:
        items = sorted((int.from_bytes(map_key(n), "big"), n) for n in values)
        self._ints = [k for k, _ in items]
        self._keys = [k.to_bytes(32, "big") for k in self._ints]
        self._leaves = [map_leaf(k, values[n]) for k, (_, n) in zip(self._keys, items, strict=True)]
        self._names = [n for _, n in items]
        self._cache: dict[tuple[int, int, int], bytes] = {}
        self.root = self._hash(0, len(self._ints), 0)

    def __len__(self) -> int:
        return len(self._ints)

    def _split(self, lo: int, hi: int, depth: int) -> int:
        """The first position in ``[lo, hi)`` whose key has bit ``depth`` set.

        All keys in the range share their first ``depth`` bits.
        """
        prefix = self._ints[lo] >> (_BITS - depth) << (_BITS - depth) if depth else 0
        return bisect_left(self._ints, prefix | (1 << (_BITS - 1 - depth)), lo, hi)

    def _hash(self, lo: int, hi: int, depth: int) -> bytes:
        if hi - lo == 0:
            return EMPTY
        if hi - lo == 1:
            return self._leaves[lo]
        got = self._cache.get((lo, hi, depth))
        if got is not None:
            return got
        mid = self._split(lo, hi, depth)
        h = _node(self._hash(lo, mid, depth + 1), self._hash(mid, hi, depth + 1))
        self._cache[(lo, hi, depth)] = h
        return h

    def proof(self, name: str) -> tuple[bytes, ...]:
        """The siblings on ``name``'s path, root first; KeyError if the map does not hold it."""
        key = map_key(name)
        k = int.from_bytes(key, "big")
        i = bisect_left(self._ints, k)
        if i == len(self._ints) or self._ints[i] != k:
            raise KeyError(name)
        lo, hi, depth, out = 0, len(self._ints), 0, []
        while hi - lo > 1:
            mid = self._split(lo, hi, depth)
            if i < mid:
                out.append(self._hash(mid, hi, depth + 1))
                hi = mid
            else:
                out.append(self._hash(lo, mid, depth + 1))
                lo = mid
            depth += 1
        return tuple(out)

    def names(self) -> Sequence[str]:
        """The names held, in key order."""
        return tuple(self._names)


def root_of(values: Mapping[str, MapValue]) -> bytes:
    """The root of the map holding ``values``."""
    return VerifiableMap(values).root


def verify_map_proof(root: bytes, name: str, value: MapValue, proof: Iterable[bytes]) -> None:
    """Check that the map with ``root`` holds ``value`` for ``name``; raise if not.

    Raises :class:`InvalidProof` for a malformed proof and :class:`RootMismatch`
    when the proof leads to another root (the map holds another value for
    the name, or none).
    """
    siblings = list(proof)
    if len(siblings) > _BITS:
        raise InvalidProof("a map proof has at most 256 hashes")
    for i, s in enumerate(siblings):
        if not isinstance(s, bytes) or len(s) != 32:
            raise InvalidProof(f"map proof[{i}] must be a 32-byte hash")
    if not isinstance(root, bytes) or len(root) != 32:
        raise VerificationError("the map root must be a 32-byte hash")
    key = map_key(name)
    h = map_leaf(key, value)
    for depth in range(len(siblings) - 1, -1, -1):
        s = siblings[depth]
        h = _node(s, h) if _bit(key, depth) else _node(h, s)
    if h != root:
        raise RootMismatch(f"the index does not hold {value.count} entries ending at "
                           f"{value.head.hex()[:16]}… for {name!r}")
