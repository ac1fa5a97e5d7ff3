"""The custody side of the completeness index: each exhibit's and identity's (count, head).

An exhibit's events are its rows in ``custody_events`` (one per entry whose
replay changes the exhibit's state, written by the custody hook in the
append's transaction); identity is every entry of an identity kind. The
offline verifier counts the same things while it replays a bundle
(:mod:`athar.report.completeness`). See ``docs/design/completeness.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from athar.custody.identity import IDENTITY_KINDS
from athar.ledger.completeness import IDENTITY_NAME, exhibit_name
from athar.ledger.vmap import MapValue

__all__ = ["index_values"]

_BIG = 2**62


def index_values(rows: Any, upto: int | None = None) -> dict[str, MapValue]:
    """The index over entries below ``upto`` (all when None); ``rows(sql, params)`` runs a query."""
    limit = _BIG if upto is None else upto
    out: dict[str, MapValue] = {}
    got: Sequence[Sequence[Any]] = rows(
        "SELECT c.exhibit_id, n.cnt, c.leaf_hash FROM custody_events c JOIN "
        "(SELECT exhibit_id, COUNT(*) AS cnt, MAX(idx) AS last FROM custody_events "
        "WHERE idx < ? GROUP BY exhibit_id) n ON n.exhibit_id = c.exhibit_id AND n.last = c.idx",
        (limit,))
    for code, count, head in got:
        out[exhibit_name(code)] = MapValue(int(count), bytes.fromhex(head))
    marks = ",".join("?" * len(IDENTITY_KINDS))
    ident = rows(f"SELECT e.idx, e.leaf_hash, n.cnt FROM entries e JOIN (SELECT COUNT(*) AS cnt, "
                 f"MAX(idx) AS last FROM entries WHERE kind IN ({marks}) AND idx < ?) n "
                 "ON e.idx = n.last", (*sorted(IDENTITY_KINDS), limit))
    for _, lh, count in ident:
        out[IDENTITY_NAME] = MapValue(int(count), bytes(lh))
    return out
