"""RFC 9162 PATH and PROOF as *plans* over perfect subtrees.

A stored Merkle tree keeps the hash of every complete, aligned subtree
("node" ``(level, index)`` covers leaves ``[index << level, (index + 1) << level)``;
this is exactly what C2SP tiles hold). Any range hash MTH(D[lo:hi]) is the
right-to-left fold of a few such nodes, so an inclusion or consistency proof
is a list of folds. Planning first lets a storage backend fetch every node a
proof needs in one query, whatever the tree's size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from athar.errors import VerificationError
from athar.ledger._bits import split_point
from athar.ledger.hashing import node_hash

__all__ = [
    "Node",
    "consistency_plan",
    "evaluate",
    "inclusion_plan",
    "fold",
    "plan_nodes",
    "range_nodes",
    "root_plan",
]

Node = tuple[int, int]
"""``(level, index)`` of a complete aligned subtree."""
Plan = list[list[Node]]


def range_nodes(lo: int, hi: int) -> list[Node]:
    """Return the complete subtrees whose right-to-left fold is MTH(D[lo:hi]).

    ``lo`` must be aligned the way RFC 9162's recursive split aligns it
    (true for every range PATH and PROOF ask for).
    """
    nodes: list[Node] = []
    while hi - lo > 0:
        n = hi - lo
        if n & (n - 1) == 0:
            nodes.append((n.bit_length() - 1, lo >> (n.bit_length() - 1)))
            break
        k = split_point(n)
        nodes.append((k.bit_length() - 1, lo // k))
        lo += k
    return nodes


def _check_sizes(index: int, size: int) -> None:
    if size < 0 or index < 0:
        raise VerificationError("sizes and indexes must be non-negative")


def inclusion_plan(index: int, size: int) -> Plan:
    """Plan the RFC 9162 PATH(index, D[0:size]), leaf-most element first."""
    _check_sizes(index, size)
    if index >= size:
        raise VerificationError(f"index {index} is out of range for tree size {size}")
    plan: Plan = []
    lo, hi, m = 0, size, index
    while hi - lo > 1:
        k = split_point(hi - lo)
        if m < k:
            plan.append(range_nodes(lo + k, hi))
            hi = lo + k
        else:
            plan.append(range_nodes(lo, lo + k))
            lo += k
            m -= k
    plan.reverse()
    return plan


def consistency_plan(size1: int, size2: int) -> Plan:
    """Plan the RFC 9162 PROOF(size1, D[0:size2]); empty when the sizes are equal."""
    _check_sizes(size1, size2)
    if size1 > size2:
        raise VerificationError(f"size1 ({size1}) is larger than size2 ({size2})")
    if size1 == 0 or size1 == size2:
        return []
    plan: Plan = []
    lo, hi, m, complete = 0, size2, size1, True
    while True:
        n = hi - lo
        if m == n:
            if not complete:
                plan.append(range_nodes(lo, hi))
            break
        k = split_point(n)
        if m <= k:
            plan.append(range_nodes(lo + k, hi))
            hi = lo + k
        else:
            plan.append(range_nodes(lo, lo + k))
            lo += k
            m -= k
            complete = False
    plan.reverse()
    return plan


def root_plan(size: int) -> list[Node]:
    """Return the complete subtrees that fold into the root of a tree of ``size``."""
    return range_nodes(0, size)


def fold(hashes: Iterable[bytes]) -> bytes:
    """Fold subtree hashes right to left into one range hash."""
    items = list(hashes)
    acc = items[-1]
    for h in reversed(items[:-1]):
        acc = node_hash(h, acc)
    return acc


def evaluate(plan: Plan, get: Callable[[Node], bytes] | Mapping[Node, bytes]) -> list[bytes]:
    """Turn a plan into proof hashes, looking each node up with ``get``."""
    lookup = get.__getitem__ if isinstance(get, Mapping) else get
    return [fold(lookup(n) for n in element) for element in plan]


def plan_nodes(plan: Plan) -> set[Node]:
    """Every distinct node a plan needs (to fetch in one batch)."""
    return {n for element in plan for n in element}
