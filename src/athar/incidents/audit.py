"""Checks of the stored reports that the log alone cannot rebuild (``--from-scratch``).

A report's text and extraction are kept beside the log, not in it; what the
log fixes is which entry received it and which recorded its extraction. Each
row's ``received_idx`` must be a ``report.received`` entry and its
``extraction_idx`` an ``extraction.recorded`` entry, both for that report's
SHA-256, and no two rows may claim one entry.

Incidents are derived from the stored reports, the latest reviews of their
claims and the curators' pins and overrides: :func:`rederive_incidents`
copies those inputs into the replayed database and groups every report
again, so the stored ``incidents`` and ``incident_frames`` can be compared
with what the grouping gives (:func:`athar.incidents.assign.regroup`).
"""

from __future__ import annotations

import json
from typing import Any

from athar.incidents.assign import regroup

__all__ = ["INCIDENT_TABLES", "check_reports", "rederive_incidents"]

INCIDENT_TABLES = (("incidents", "incident_id"), ("incident_frames", "frame_key"))
"""The tables :func:`rederive_incidents` rebuilds, with the order to compare them in."""
_INPUTS = (("reports", "report_id"), ("claim_states", "report_id, claim_key"),
           ("incident_pins", "frame_key"), ("incident_overrides", "incident_id"))

_PAGE = 5000


def check_reports(log: Any) -> str | None:
    """The first report row whose log indexes do not match the log, or None."""
    offset = 0
    seen: set[int] = set()
    while True:
        rows = log.read("SELECT r.report_id, r.received_idx, a.kind, a.data, r.extraction_idx, "
                        "b.kind, b.data FROM reports r LEFT JOIN entries a ON a.idx = r.received_idx "
                        "LEFT JOIN entries b ON b.idx = r.extraction_idx ORDER BY r.report_id "
                        "LIMIT ? OFFSET ?", (_PAGE, offset))
        for rid, ridx, rkind, rdata, xidx, xkind, xdata in rows:
            for idx, kind, data, want in ((ridx, rkind, rdata, "report.received"),
                                          (xidx, xkind, xdata, "extraction.recorded")):
                if idx is None:
                    continue
                sha = json.loads(bytes(data))["body"].get("report_sha256") if data else None
                if kind != want or sha != rid:
                    return (f"reports: report {rid[:16]}… points at entry {idx} as its {want}, "
                            f"but that entry is {'a ' + str(kind) if kind else 'missing'}"
                            + (f" for report {str(sha)[:16]}…" if kind == want else ""))
                if idx in seen:
                    return f"reports: entry {idx} is claimed by two report rows"
                seen.add(idx)
        if len(rows) < _PAGE:
            return None
        offset += _PAGE


def rederive_incidents(stored: Any, replay: Any) -> None:
    """Copy the grouping's inputs from ``stored`` into ``replay`` and regroup there."""
    for table, order in _INPUTS:
        cols = [r[1] for r in replay.read(f"PRAGMA table_info({table})")]
        offset = 0
        while True:
            rows = stored.read(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {order} "
                               "LIMIT ? OFFSET ?", (_PAGE, offset))
            if rows:
                with replay.db.write() as txn:
                    txn.insert_rows(table, cols, rows)
            if len(rows) < _PAGE:
                break
            offset += _PAGE
    with replay.db.write() as txn:
        regroup(txn)
