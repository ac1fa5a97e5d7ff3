"""Read views over stored reports: every report parsed once, with its claim rows and places.

Reports are never changed once stored (only added), so a :class:`ReportsSnapshot`
stays right for as long as the number of reports is the same; callers keep the
last one and ask :func:`refresh` for a new one, which costs one ``COUNT(*)``
when nothing was added.
"""

from __future__ import annotations

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


def refresh(log: Log, previous: ReportsSnapshot | None) -> ReportsSnapshot:
    """``previous`` when no report was added since it was taken, else a new snapshot of ``log``."""
    count = int(log.read("SELECT COUNT(*) FROM reports")[0][0])
    if previous is not None and previous.count == count:
        return previous
    records = tuple(ReportStore(log).all())
    return ReportsSnapshot(len(records), records, tuple(claim_rows(records)), place_coordinates(records))


def located(incidents: Iterable[Mapping[str, Any]],
            coords: Mapping[str, tuple[float, float]]) -> list[dict[str, Any]]:
    """The incidents as new dicts with ``lat`` and ``lon`` of their place (None when unknown)."""
    out = []
    for inc in incidents:
        lat, lon = coords.get(inc["place"], (None, None))
        out.append({**inc, "lat": lat, "lon": lon})
    return out
