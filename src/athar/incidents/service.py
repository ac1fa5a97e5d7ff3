"""Ingest reports: read, extract, store, log, and regroup incidents.

Ingesting the same bytes twice changes nothing: a report's id is the SHA-256
of its bytes, and its log entries are only written the first time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from athar.errors import AtharError, IntakeError
from athar.incidents.store import ReportRecord, ReportStore
from athar.intake import EXTRACTOR_VERSION, extract, read_report
from athar.ledger.entry import Entry, canonical_json
from athar.ledger.note import Signer

__all__ = ["IngestOutcome", "PreparedReport", "ReportMeta", "check_http_url", "ingest_bytes", "ingest_paths",
           "iter_report_files", "prepare_report"]

REPORT_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml", ".pdf", ""}


def check_http_url(url: str) -> None:
    """Raise IntakeError unless ``url`` is an absolute http(s) URL with a host (no ``javascript:``)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if (parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname
            or len(url) > 2048 or any(c.isspace() or ord(c) < 32 for c in url)):
        raise IntakeError("a report's URL must start with http:// or https:// and name a host",
                          field="url")


@dataclass(frozen=True)
class ReportMeta:
    """What the user tells us about a report: outlet, URL and publication date."""

    source: str | None = None
    url: str | None = None
    published: dt.date | None = None

    def __post_init__(self) -> None:
        if self.url is not None:
            check_http_url(self.url)

    @classmethod
    def sidecar(cls, path: Path, default: ReportMeta) -> ReportMeta:
        """Metadata from ``<file>.json`` beside ``path``, falling back to ``default``."""
        candidates = [path.with_name(path.name + ".json"), path.with_suffix(".json"),
                      path.with_name(path.stem + ".gold.json")]
        side = next((c for c in candidates if c.exists() and c != path), None)
        if side is None:
            return default
        try:
            data = json.loads(side.read_text())
            published = data.get("published")
            return cls(data.get("outlet") or data.get("source") or default.source,
                       data.get("url") or default.url,
                       dt.date.fromisoformat(published) if published else default.published)
        except (ValueError, TypeError, AttributeError) as exc:
            raise IntakeError(f"{side}: sidecar metadata is not valid JSON ({exc})") from None


@dataclass(frozen=True)
class IngestOutcome:
    """What happened to one input."""

    name: str
    report_id: str | None
    new: bool
    claims: int = 0
    error: str | None = None


def iter_report_files(paths: Iterable[Path]) -> list[Path]:
    """Files to ingest: the given files, and the report files (text, HTML, PDF) in given folders."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file()
                          and f.suffix.lower() in REPORT_SUFFIXES
                          and not f.name.startswith((".", "_")))
        else:
            out.append(p)
    return out


@dataclass(frozen=True)
class PreparedReport:
    """A report read and extracted, with its two signed entries, ready to append."""

    record: ReportRecord
    received: Entry
    recorded: Entry

    def contexts(self) -> tuple[ReportRecord, None]:
        """The hook contexts of :meth:`entries`, in order: the record goes with ``report.received``."""
        return (self.record, None)

    def entries(self) -> tuple[Entry, Entry]:
        """``report.received`` then ``extraction.recorded``."""
        return (self.received, self.recorded)


def ingest_bytes(store: ReportStore, signer: Signer, data: bytes, filename: str,
                 meta: ReportMeta, media_type: str | None = None) -> IngestOutcome:
    """Ingest one report's bytes; raise IntakeError on unreadable input (nothing stored)."""
    report_id = hashlib.sha256(data).hexdigest()
    if store.exists(report_id):
        return IngestOutcome(filename, report_id, False, len(store.get(report_id).claims))
    prepared = prepare_report(data, filename, meta, signer, media_type)
    # The intake hook writes the report's row (and groups its events) with report.received, in
    # that entry's own transaction.
    for entry, context in zip(prepared.entries(), prepared.contexts(), strict=True):
        store.log.append(entry, context=context)
    return IngestOutcome(filename, report_id, True, len(prepared.record.claims))


def prepare_report(data: bytes, filename: str, meta: ReportMeta, signer: Signer,
                   media_type: str | None = None) -> PreparedReport:
    """Read and extract a report and sign its entries, writing nothing; IntakeError if unreadable."""
    report_id = hashlib.sha256(data).hexdigest()
    doc = read_report(data, filename=filename, media_type=media_type)
    published = meta.published or _published_from(doc.metadata)
    source = meta.source or doc.metadata.get("outlet") or doc.metadata.get("sitename") or "unknown"
    ex = extract(doc.text, published=published, source=source)
    output = ex.to_json()
    record = ReportRecord(report_id, filename, doc.media_type, len(data), source, meta.url,
                          output["published"], ex.language, doc.title, doc.text, output,
                          EXTRACTOR_VERSION, None, None)
    received = Entry.create("report.received", {
        "report_sha256": report_id, "media_type": doc.media_type, "size": len(data),
        "outlet": source, "url": meta.url, "language": ex.language,
        "published": published.isoformat() if published else None}, signer)
    recorded = Entry.create("extraction.recorded", {
        "report_sha256": report_id, "extractor_version": EXTRACTOR_VERSION,
        "output_sha256": hashlib.sha256(canonical_json(output)).hexdigest()}, signer)
    return PreparedReport(record, received, recorded)


def _published_from(metadata: dict[str, Any]) -> dt.date | None:
    value = metadata.get("published") or metadata.get("date")
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def ingest_paths(store: ReportStore, signer: Signer, paths: Iterable[Path], meta: ReportMeta,
                 progress: Callable[[IngestOutcome], None] | None = None) -> list[IngestOutcome]:
    """Ingest every report under ``paths``; a bad file is recorded as an error, not a crash."""
    outcomes = []
    for path in iter_report_files(paths):
        try:
            file_meta = ReportMeta.sidecar(path, meta)
            outcome = ingest_bytes(store, signer, path.read_bytes(), path.name, file_meta)
        except (AtharError, OSError) as exc:
            msg = exc.message if isinstance(exc, AtharError) else str(exc)
            outcome = IngestOutcome(path.name, None, False, error=msg)
        outcomes.append(outcome)
        if progress:
            progress(outcome)
    return outcomes
