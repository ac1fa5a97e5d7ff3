"""Reports, their extractions and the incidents built from them, in the workspace's database.

Report rows are written only by :class:`athar.incidents.hook.IntakeHook`, in the
transaction that appends the report's entries (:func:`insert_report`,
:func:`record_extraction`); :class:`ReportStore` reads them and keeps the
incidents, which are derived from the reports and rebuilt from them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from athar.errors import NotFound
from athar.incidents import assign
from athar.log.hooks import Txn
from athar.log.server import Log

__all__ = ["ReportRecord", "ReportStore", "insert_report", "record_extraction"]

@dataclass(frozen=True)
class ReportRecord:
    """A stored report with its extraction."""

    report_id: str
    filename: str
    media_type: str
    size: int
    source: str
    url: str | None
    published: str | None
    language: str
    title: str | None
    text: str
    extraction: dict[str, Any]
    extractor_version: str
    received_idx: int | None
    extraction_idx: int | None

    @property
    def claims(self) -> list[dict[str, Any]]:
        return list(self.extraction.get("claims", []))


_COLS = ("report_id, filename, media_type, size, source, url, published, language, title, text, "
         "extraction, extractor_version, received_idx, extraction_idx")


def insert_report(txn: Txn, rec: ReportRecord, received_idx: int) -> None:
    """Store ``rec`` as received at log index ``received_idx`` (nothing if its bytes are stored)."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    txn.execute(
        f"INSERT INTO reports ({_COLS}, ingested_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (rec.report_id, rec.filename, rec.media_type, rec.size, rec.source, rec.url,
         rec.published, rec.language, rec.title, rec.text,
         json.dumps(rec.extraction, ensure_ascii=False), rec.extractor_version,
         received_idx, rec.extraction_idx, now))


def record_extraction(txn: Txn, report_id: str, extraction_idx: int,
                      rec: ReportRecord | None = None) -> None:
    """Point ``report_id`` at its ``extraction.recorded`` entry, with ``rec``'s output when given."""
    if rec is None:
        txn.execute("UPDATE reports SET extraction_idx = ? WHERE report_id = ?",
                    (extraction_idx, report_id))
        return
    txn.execute("UPDATE reports SET extraction = ?, extractor_version = ?, extraction_idx = ? "
                "WHERE report_id = ?", (json.dumps(rec.extraction, ensure_ascii=False),
                                        rec.extractor_version, extraction_idx, report_id))


def _record(row: tuple[Any, ...]) -> ReportRecord:
    r = list(row)
    r[10] = json.loads(r[10])
    return ReportRecord(*r)


class ReportStore:
    """Reports and incidents, stored beside the log in the same database."""

    def __init__(self, log: Log) -> None:
        self.log = log.start()

    def get(self, report_id: str) -> ReportRecord:
        """One report by id (its SHA-256); NotFound if absent."""
        rows = self.log.read(f"SELECT {_COLS} FROM reports WHERE report_id = ?", (report_id,))
        if not rows:
            raise NotFound(f"no report {report_id}")
        return _record(rows[0])

    def exists(self, report_id: str) -> bool:
        return bool(self.log.read("SELECT 1 FROM reports WHERE report_id = ?", (report_id,)))

    def all(self) -> list[ReportRecord]:
        """Every report, oldest publication first."""
        rows = self.log.read(f"SELECT {_COLS} FROM reports ORDER BY published, report_id")
        return [_record(r) for r in rows]

    def regroup(self) -> int:
        """Group every stored report into incidents again, from scratch; the number of incidents."""
        with self.log.db.write() as txn:
            return assign.regroup(txn)

    def generation(self) -> int:
        """A number that changes whenever the stored incidents change (for caches)."""
        return int(self.log.read("SELECT generation FROM incidents_meta WHERE id = 1")[0][0])

    def incidents(self) -> list[dict[str, Any]]:
        """Every stored incident (JSON form), by date."""
        rows = self.log.read("SELECT data FROM incidents ORDER BY date_from, place, incident_id")
        return [json.loads(r[0]) for r in rows]

    def incident(self, incident_id: str) -> dict[str, Any]:
        """One incident by id or unique id prefix; NotFound otherwise."""
        rows = self.log.read("SELECT data FROM incidents WHERE incident_id LIKE ?",
                             (incident_id + "%",))
        if len(rows) != 1:
            raise NotFound(f"no single incident matches {incident_id!r}; see athar incidents list")
        return dict(json.loads(rows[0][0]))
