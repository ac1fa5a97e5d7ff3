"""Read views over stored reports: every report parsed once, with its claim rows and places.

Reports are never changed once stored (only added, and reviewed), so a
:class:`ReportsSnapshot` stays right for as long as the number of reports and
the newest review are the same; callers keep the last one and ask
:func:`refresh` for a new one, which costs one small query when nothing changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from athar.incidents.claims_view import ClaimRow, claim_rows, place_coordinates
from athar.incidents.store import ReportRecord, ReportStore
from athar.log.server import Log

__all__ = ["ReportsSnapshot", "located", "refresh"]


@dataclass(frozen=True)
class ReportsSnapshot:
    """Every stored report, parsed once, with its claim rows and place coordinates."""

    count: int
    records: tuple[ReportRecord, ...]
    rows: tuple[ClaimRow, ...]
    coords: dict[str, tuple[float, float]]
    version: tuple[int, int] = (0, -1)
    """The number of reports and the newest review's index when it was taken."""


def refresh(log: Log, previous: ReportsSnapshot | None) -> ReportsSnapshot:
    """``previous`` when no report was added or reviewed since it was taken, else a new snapshot."""
    count, reviewed = log.read(
        "SELECT (SELECT COUNT(*) FROM reports), (SELECT MAX(idx) FROM claim_reviews)")[0]
    version = (int(count), int(reviewed or -1))
    if previous is not None and previous.version == version:
        return previous
    records = tuple(ReportStore(log).all())
    states: dict[str, dict[str, tuple[str, Any]]] = {}
    for report_id, key, decision, value in log.read(
            "SELECT report_id, claim_key, decision, value FROM claim_states"):
        states.setdefault(report_id, {})[key] = (decision, json.loads(value) if value else None)
    return ReportsSnapshot(len(records), records, tuple(claim_rows(records, states)),
                           place_coordinates(records), version)


def located(incidents: Iterable[Mapping[str, Any]],
            coords: Mapping[str, tuple[float, float]]) -> list[dict[str, Any]]:
    """The incidents as new dicts with ``lat`` and ``lon`` of their place (None when unknown)."""
    out = []
    for inc in incidents:
        lat, lon = coords.get(inc["place"], (None, None))
        out.append({**inc, "lat": lat, "lon": lon})
    return out
