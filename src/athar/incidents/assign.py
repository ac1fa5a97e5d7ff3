"""Incremental grouping in the database: a new report's frames join the incidents near them.

When a report is stored (in the transaction that appends its ``report.received``
entry), :func:`assign_report` computes its event frames and, for each, asks the
database only for the incidents that could hold it: near its place (the same
governorate, a box of about 30 km around it, or the same place name) and near
its date (a few days for a dated frame, the month before its publication for
one dated only by its publication, the same month or year for a partial date).
It then applies :func:`athar.incidents.grouping.choose` to those, exactly as
the full regrouping does, stores the frame with its incident and rebuilds only
the incidents it touched. The cost of one more report does not grow with the
number of reports already stored.

:func:`regroup` empties the incidents and assigns every stored report again,
in :func:`~athar.incidents.grouping.frame_order`: the result depends only on
the reports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from athar.incidents.frames import Frame, Place, fold_name, report_frames
from athar.incidents.grouping import (
    LATER_DAYS,
    Candidate,
    build_incident,
    candidate,
    choose,
    frame_order,
    new_incident_id,
)
from athar.incidents.reviewed import with_reviews
from athar.log.hooks import Txn

__all__ = [
    "assign_frames",
    "assign_report",
    "ensure_frames",
    "incident_version",
    "reassign_report",
    "rebuild_incidents",
    "regroup",
    "reviewed_extraction",
]

_BOX = 0.3  # degrees of latitude and longitude around a place (about 30 km)


def assign_report(txn: Txn, report_id: str, source: str, extraction: dict[str, Any]) -> set[str]:
    """Group the frames of one new report; the ids of the incidents it touched."""
    ensure_frames(txn)
    return assign_frames(txn, report_frames(report_id, source, extraction))


def reviewed_extraction(txn: Txn, report_id: str) -> tuple[str, dict[str, Any]] | None:
    """A stored report's source and its extraction with people's reviews laid over it."""
    row = txn.execute(
        "SELECT source, text, extraction FROM reports WHERE report_id = ?", (report_id,)
    ).fetchone()
    if row is None:
        return None
    states = {
        key: (decision, json.loads(value) if value else None)
        for key, decision, value in txn.execute(
            "SELECT claim_key, decision, value FROM claim_states WHERE report_id = ?", (report_id,)
        ).fetchall()
    }
    return str(row[0]), with_reviews(json.loads(row[2]), str(row[1]), states)


def reassign_report(txn: Txn, report_id: str) -> set[str]:
    """Group one stored report again after its claims were reviewed; the incidents touched.

    Its frames leave the incidents they were in (an incident left with no frame
    goes); its reviewed frames are then grouped as a new report's would be.
    """
    ensure_frames(txn)
    found = reviewed_extraction(txn, report_id)
    if found is None:
        return set()
    left = {
        r[0]
        for r in txn.execute(
            "SELECT DISTINCT incident_id FROM incident_frames WHERE report_id = ?", (report_id,)
        ).fetchall()
    }
    txn.execute("DELETE FROM incident_frames WHERE report_id = ?", (report_id,))
    rebuild_incidents(txn, left)
    source, extraction = found
    touched = assign_frames(txn, report_frames(report_id, source, extraction))
    txn.execute("UPDATE incidents_meta SET generation = generation + 1 WHERE id = 1")
    return left | touched


def assign_frames(txn: Txn, frames: Iterable[Frame]) -> set[str]:
    """Put each frame in the incident it joins (or a new one) and rebuild the incidents touched.

    A frame a person pinned to an incident (:mod:`athar.incidents.curation`) goes there.
    """
    touched: set[str] = set()
    for fr in sorted(frames, key=frame_order):
        pin = txn.execute("SELECT incident_id FROM incident_pins WHERE frame_key = ?", (fr.key,)).fetchone()
        picked = None if pin else choose(fr, _candidates(txn, fr))
        incident_id = pin[0] if pin else picked.incident_id if picked else new_incident_id(fr.key)
        txn.execute(
            "INSERT INTO incident_frames (frame_key, incident_id, report_id, data) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (fr.key, incident_id, fr.report_id, json.dumps(fr.to_json(), ensure_ascii=False)),
        )
        _store(txn, incident_id)  # at once: the report's next frame may join it
        touched.add(incident_id)
    if touched:
        txn.execute("UPDATE incidents_meta SET generation = generation + 1 WHERE id = 1")
    return touched


def regroup(txn: Txn) -> int:
    """Group every stored report again from scratch; the number of incidents."""
    txn.execute("DELETE FROM incident_frames")
    txn.execute("DELETE FROM incidents")
    frames: list[Frame] = []
    for (report_id,) in txn.execute("SELECT report_id FROM reports ORDER BY report_id").fetchall():
        found = reviewed_extraction(txn, report_id)
        if found is not None:
            frames += report_frames(report_id, found[0], found[1])
    assign_frames(txn, frames)
    txn.execute("UPDATE incidents_meta SET generation = generation + 1 WHERE id = 1")
    return int(txn.execute("SELECT COUNT(*) FROM incidents").fetchone()[0])


def ensure_frames(txn: Txn) -> None:
    """Regroup once when reports exist but no frames do (a database from before frames were kept)."""
    if (
        txn.execute("SELECT 1 FROM incident_frames LIMIT 1").fetchone() is None
        and txn.execute("SELECT 1 FROM reports LIMIT 1").fetchone() is not None
    ):
        regroup(txn)


def _frames_of(txn: Txn, incident_id: str) -> list[Frame]:
    rows = txn.execute(
        "SELECT data FROM incident_frames WHERE incident_id = ? ORDER BY frame_key", (incident_id,)
    ).fetchall()
    return [Frame.from_json(json.loads(r[0])) for r in rows]


def incident_version(frame_keys: Iterable[str], override: tuple[str | None, str | None] | None) -> str:
    """A short digest of what makes an incident: its frames and any place or date a person set."""
    data = json.dumps([sorted(frame_keys), list(override or (None, None))], separators=(",", ":"))
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def rebuild_incidents(txn: Txn, incident_ids: Iterable[str]) -> None:
    """Rebuild each incident from its frames (and a person's overrides); drop one left with none."""
    for incident_id in incident_ids:
        if txn.execute(
            "SELECT 1 FROM incident_frames WHERE incident_id = ? LIMIT 1", (incident_id,)
        ).fetchone():
            _store(txn, incident_id)
        else:
            txn.execute("DELETE FROM incidents WHERE incident_id = ?", (incident_id,))
    txn.execute("UPDATE incidents_meta SET generation = generation + 1 WHERE id = 1")


def _store(txn: Txn, incident_id: str) -> None:
    frames = _frames_of(txn, incident_id)
    inc = build_incident(incident_id, frames)
    summary = candidate(incident_id, frames)
    override = txn.execute(
        "SELECT place, date FROM incident_overrides WHERE incident_id = ?", (incident_id,)
    ).fetchone()
    set_place = Place(**json.loads(override[0])) if override and override[0] else None
    place = set_place or summary.place
    data = inc.to_json()
    if set_place is not None:
        data.update(place=set_place.name, place_detail=set_place.__dict__, place_set_by_person=True)
    if override and override[1]:
        data.update(date_from=override[1], date_to=override[1], dated_by_event=True, date_set_by_person=True)
    data["version"] = incident_version(
        [f.key for f in frames], (override[0], override[1]) if override else None
    )
    data["match"] = {
        "date": override[1] if override and override[1] else summary.date,
        "weak_days": list(summary.weak_days),
        "place": None if place is None else place.__dict__,
    }
    row = (
        data["place"],
        data["date_from"],
        data["date_to"],
        json.dumps(data, ensure_ascii=False),
        place.admin if place else None,
        place.lat if place else None,
        place.lon if place else None,
        fold_name(place.name) if place else None,
        summary.reports,
    )
    cur = txn.execute(
        "UPDATE incidents SET place = ?, date_from = ?, date_to = ?, data = ?, admin = ?, "
        "lat = ?, lon = ?, place_key = ?, reports = ? WHERE incident_id = ?",
        (*row, incident_id),
    )
    if cur.rowcount == 0:
        txn.execute(
            "INSERT INTO incidents (place, date_from, date_to, data, admin, lat, lon, place_key, "
            "reports, incident_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*row, incident_id),
        )


def _candidates(txn: Txn, fr: Frame) -> list[Candidate]:
    """The incidents that could hold ``fr``: near its place and near its date (see the module doc)."""
    if fr.place is None:
        return []
    p = fr.place
    where_place = ["place_key = ?", "admin = ?", "place = ?"]
    args: list[Any] = [fold_name(p.name), p.admin, p.admin]
    if p.lat is not None and p.lon is not None:
        where_place.append("(lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?)")
        args += [p.lat - _BOX, p.lat + _BOX, p.lon - _BOX, p.lon + _BOX]
    where_date, date_args = _date_filter(fr)
    rows = txn.execute(
        f"SELECT incident_id, data FROM incidents WHERE ({' OR '.join(where_place)}) AND ({where_date})",
        [*args, *date_args],
    ).fetchall()
    return [_candidate(incident_id, json.loads(data)) for incident_id, data in rows]


def _date_filter(fr: Frame) -> tuple[str, list[Any]]:
    if fr.date is None:
        return "reports >= 2", []
    if len(fr.date) < 10:  # a month or a year: incidents of that month or year
        return "date_from >= ? AND date_from < ?", [fr.date, fr.date + "~"]
    day = dt.date.fromisoformat(fr.date)
    lo = day - dt.timedelta(days=LATER_DAYS if fr.weak_date else 2)
    hi = day + dt.timedelta(days=2 if fr.weak_date else LATER_DAYS)  # incidents dated by publication
    # Incidents dated by a month or a year that contains the day, too.
    return (
        "(date_from >= ? AND date_from <= ?) OR date_from = ? OR date_from = ?",
        [lo.isoformat(), hi.isoformat(), fr.date[:7], fr.date[:4]],
    )


def _candidate(incident_id: str, data: dict[str, Any]) -> Candidate:
    match = data["match"]
    place = Place(**match["place"]) if match["place"] else None
    return Candidate(incident_id, place, match["date"], tuple(match["weak_days"]), int(data["reports"]))
