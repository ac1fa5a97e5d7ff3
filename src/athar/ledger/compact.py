"""The right border of a Merkle tree: enough to append leaves and compute the root."""

from __future__ import annotations

from athar.ledger.hashing import EMPTY_ROOT, node_hash
from athar.ledger.paths import Node, fold, root_plan

__all__ = ["CompactRange"]


class CompactRange:
    """The complete subtrees covering leaves ``[0, size)``, largest first.

    Appending a leaf hash merges equal-sized neighbours and reports every
    node it completed, so a store can persist them. O(log n) memory.
    """

    def __init__(self, size: int = 0, hashes: list[bytes] | None = None) -> None:
        self.size = size
        self.nodes: list[tuple[int, int, bytes]] = []
        plan = root_plan(size)
        if len(plan) != len(hashes or []):
            raise ValueError("compact range needs one hash per border node")
        for (level, index), h in zip(plan, hashes or [], strict=True):
            self.nodes.append((level, index, h))

    @staticmethod
    def border(size: int) -> list[Node]:
        """The nodes a compact range of ``size`` holds (to load it from storage)."""
        return root_plan(size)

    def copy(self) -> CompactRange:
        c = CompactRange()
        c.size, c.nodes = self.size, list(self.nodes)
        return c

    def append(self, h: bytes) -> list[tuple[int, int, bytes]]:
        """Add one leaf hash; return the ``(level, index, hash)`` of every completed node."""
        created = [(0, self.size, h)]
        self.nodes.append((0, self.size, h))
        self.size += 1
        while len(self.nodes) >= 2 and self.nodes[-1][0] == self.nodes[-2][0]:
            (lvl, idx, right), (_, _, left) = self.nodes.pop(), self.nodes.pop()
            parent = (lvl + 1, idx >> 1, node_hash(left, right))
            self.nodes.append(parent)
            created.append(parent)
        return created

    def root(self) -> bytes:
        """The root of the tree of ``size`` leaves."""
        if not self.nodes:
            return EMPTY_ROOT
        return fold(h for _, _, h in self.nodes)
