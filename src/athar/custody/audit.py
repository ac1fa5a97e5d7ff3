"""Checks of custody's stored state that the log alone cannot rebuild (``--from-scratch``).

The committed secrets (``custody_secrets``) are not in the log, only their
commitments are: each stored value and salt must still open the commitment
of its field in the entry it belongs to, and belong to that entry's exhibit.
An edited sensitive value, salt or field is reported with the entry.
"""

from __future__ import annotations

import json
from typing import Any

from athar.custody.commitments import Disclosure, verify_disclosure
from athar.errors import AtharError
from athar.ledger.hashing import leaf_hash

__all__ = ["check_secrets"]

_PAGE = 5000


def check_secrets(log: Any) -> str | None:
    """The first stored secret that does not open its entry's commitment, or None."""
    offset = 0
    while True:
        rows = log.read("SELECT s.commitment, s.idx, s.leaf_hash, s.exhibit_id, s.field, s.value, "
                        "s.salt, e.data FROM custody_secrets s LEFT JOIN entries e ON e.idx = s.idx "
                        "ORDER BY s.idx, s.field LIMIT ? OFFSET ?", (_PAGE, offset))
        for commitment, idx, lh, exhibit, fld, value, salt, data in rows:
            where = f"custody_secrets: the {fld!r} of entry {idx}"
            if data is None or leaf_hash(bytes(data)).hex() != lh:
                return f"{where} names a leaf hash that is not entry {idx}'s"
            body = json.loads(bytes(data))["body"]
            if body.get("exhibit") != exhibit:
                return f"{where} is filed under exhibit {exhibit!r}, not the entry's"
            if (body.get("commit") or {}).get(fld) != commitment:
                return f"{where} names a commitment the entry does not hold for that field"
            try:
                verify_disclosure(Disclosure(lh, fld, json.loads(value), salt), body)
            except (AtharError, ValueError) as exc:
                return f"{where} no longer opens the entry's commitment (edited?): {exc}"
        if len(rows) < _PAGE:
            return None
        offset += _PAGE
