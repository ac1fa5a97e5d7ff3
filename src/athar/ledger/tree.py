"""An in-memory Merkle tree with RFC 9162 proofs (for tests, verifiers and small logs)."""

from __future__ import annotations

from athar.errors import VerificationError
from athar.ledger.hashing import EMPTY_ROOT, leaf_hash, node_hash
from athar.ledger.paths import Node, consistency_plan, evaluate, fold, inclusion_plan, root_plan

__all__ = ["MemoryTree", "NodeLevels"]


class NodeLevels:
    """Hashes of every complete aligned subtree, level by level.

    ``levels[0]`` holds leaf hashes; ``levels[l][i]`` the subtree of leaves
    ``[i << l, (i + 1) << l)``. Appending a leaf hash costs O(log n).
    The same structure backs the stored tree's incremental updates.
    """

    def __init__(self) -> None:
        self.levels: list[list[bytes]] = [[]]

    @property
    def size(self) -> int:
        return len(self.levels[0])

    def add(self, h: bytes) -> list[tuple[int, int, bytes]]:
        """Append one leaf hash; return every ``(level, index, hash)`` it completed."""
        created = [(0, len(self.levels[0]), h)]
        self.levels[0].append(h)
        level = 0
        while len(self.levels[level]) % 2 == 0:
            row = self.levels[level]
            parent = node_hash(row[-2], row[-1])
            level += 1
            if len(self.levels) == level:
                self.levels.append([])
            created.append((level, len(self.levels[level]), parent))
            self.levels[level].append(parent)
        return created

    def get(self, node: Node) -> bytes:
        level, index = node
        try:
            return self.levels[level][index]
        except IndexError:
            raise VerificationError(f"node {node} is not in the tree") from None


class MemoryTree:
    """An append-only Merkle tree held in memory.

    ``append`` returns the new leaf's index; ``root``, ``inclusion_proof`` and
    ``consistency_proof`` work for any earlier size, as RFC 9162 defines them.
    """

    def __init__(self) -> None:
        self._nodes = NodeLevels()

    @property
    def size(self) -> int:
        """The number of leaves."""
        return self._nodes.size

    def append(self, data: bytes) -> int:
        """Add a leaf (its raw bytes) and return its 0-based index."""
        self._nodes.add(leaf_hash(data))
        return self._nodes.size - 1

    def append_hash(self, h: bytes) -> int:
        """Add an already-hashed leaf and return its index."""
        self._nodes.add(h)
        return self._nodes.size - 1

    def leaf_hash(self, index: int) -> bytes:
        """The hash of leaf ``index``."""
        return self._nodes.get((0, index))

    def _check_size(self, size: int) -> None:
        if not 0 <= size <= self.size:
            raise VerificationError(f"size {size} is outside the tree (size {self.size})")

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first ``size`` leaves (default: all of them)."""
        size = self.size if size is None else size
        self._check_size(size)
        if size == 0:
            return EMPTY_ROOT
        return fold(self._nodes.get(n) for n in root_plan(size))

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """RFC 9162 PATH(index, D[0:size])."""
        self._check_size(size)
        return evaluate(inclusion_plan(index, size), self._nodes.get)

    def consistency_proof(self, size1: int, size2: int) -> list[bytes]:
        """RFC 9162 PROOF(size1, D[0:size2])."""
        self._check_size(size2)
        return evaluate(consistency_plan(size1, size2), self._nodes.get)
