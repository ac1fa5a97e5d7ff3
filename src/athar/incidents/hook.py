"""Intake's entries in the log: a report received and an extraction recorded.

- ``report.received``: ``{report_sha256, media_type, size, outlet, url, published, language}``
- ``extraction.recorded``: ``{report_sha256, extractor_version, output_sha256}``

Reports are public material (news, statements), so these fields are in clear;
the report bytes themselves stay in the blob store, referenced by hash.
Anyone can re-run the named extractor version on the report and compare hashes.
"""

from __future__ import annotations

import re

from athar.errors import EntryRejected
from athar.incidents.assign import assign_report, ensure_frames
from athar.incidents.store import ReportRecord, insert_report, record_extraction
from athar.ledger.entry import Entry
from athar.log.hooks import Txn

__all__ = ["IntakeHook"]

_SHA = re.compile(r"^[0-9a-f]{64}$")


class IntakeHook:
    """Checks the intake kinds' bodies; writes the ``reports`` rows and groups the report's events
    into incidents (:mod:`athar.incidents.assign`), in the append's transaction."""

    kinds = frozenset({"report.received", "extraction.recorded"})

    def check(self, entry: Entry, leaf_hash: bytes, txn: Txn) -> None:
        body = entry.body
        if not isinstance(body, dict) or not _SHA.match(str(body.get("report_sha256", ""))):
            raise EntryRejected(f"{entry.kind} needs report_sha256 (64 lower-case hex digits)")
        if entry.kind == "extraction.recorded":
            if not _SHA.match(str(body.get("output_sha256", ""))):
                raise EntryRejected("extraction.recorded needs output_sha256")
            if not isinstance(body.get("extractor_version"), str):
                raise EntryRejected("extraction.recorded needs extractor_version")
        elif not isinstance(body.get("size"), int):
            raise EntryRejected("report.received needs the report's size in bytes")

    def after_upgrade(self, txn: Txn, before: str) -> None:
        """Group the stored reports into incidents by event when the schema had no frames yet."""
        ensure_frames(txn)

    def apply(self, entry: Entry, index: int, leaf_hash: bytes, txn: Txn, context: object) -> None:
        """Store the report handed in as ``context`` (``report.received``), or point it at its extraction.

        A ``report.received`` appended without a :class:`ReportRecord` (by hand,
        from another tool) is logged with no stored text; its extraction entry
        then updates nothing.
        """
        record = context if isinstance(context, ReportRecord) else None
        sha = entry.body["report_sha256"]
        if entry.kind == "report.received":
            if record is not None and record.report_id == sha:
                insert_report(txn, record, index)
                assign_report(txn, record.report_id, record.source, record.extraction)
        else:
            record_extraction(txn, sha, index, record if record and record.report_id == sha else None)
