"""Every stored claim as a flat row, with its filters and its CSV form (shared by API and pages).

A row keeps the claim's speaker, source and date beside what it says: Athar
never shows a claim without who made it, where and when. The places, date and
agents of a row are those the incidents use (found inside the claim, or else
the report's main place and event date: ``place_inherited`` says which).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from athar.incidents.facts import claim_facts
from athar.incidents.reviewed import with_reviews
from athar.incidents.store import ReportRecord

__all__ = ["ClaimFilter", "ClaimRow", "ReviewStates", "claim_rows", "place_coordinates", "to_csv"]


@dataclass(frozen=True)
class ClaimRow:
    """One claim, attributed: who, in which source, published when, says what."""

    report_id: str
    claim_no: int
    source: str
    published: str | None
    language: str
    speaker: str
    speaker_normalized: str
    speaker_type: str
    verb: str | None
    claim: str
    direct_quote: bool
    via: str | None
    places: tuple[str, ...]
    place_inherited: bool
    date: str | None
    agents: tuple[str, ...]
    casualties: tuple[str, ...]
    perpetrators: tuple[str, ...]
    denial: bool
    start: int
    end: int
    review: str = "suggested"
    """``suggested`` (as the machine read it), or a reviewer's decision."""


ReviewStates = Mapping[str, Mapping[str, tuple[str, Mapping[str, Any] | None]]]
"""Per report, each reviewed claim's ``(decision, value)`` by its key."""


def claim_rows(records: Iterable[ReportRecord], states: ReviewStates | None = None) -> list[ClaimRow]:
    """The claims of ``records`` as reviewed (``states``), in report order then text order."""
    out = []
    for rec in records:
        extraction = with_reviews(rec.extraction, rec.text, (states or {}).get(rec.report_id, {}))
        raw = extraction.get("claims", [])
        for facts in claim_facts(rec.report_id, rec.source, extraction):
            c = raw[facts.claim_no]
            out.append(ClaimRow(
                report_id=rec.report_id, claim_no=facts.claim_no, source=rec.source,
                published=rec.published, language=rec.language,
                speaker=c.get("speaker") or facts.speaker, speaker_normalized=facts.speaker,
                speaker_type=facts.speaker_type, verb=facts.verb, claim=facts.text,
                direct_quote=bool(c.get("direct_quote")), via=c.get("via"), places=facts.places,
                place_inherited=facts.place_inherited, date=facts.date, agents=facts.agents,
                casualties=tuple(f"{n} {kind}" for n, kind in facts.casualties),
                perpetrators=facts.perpetrators, denial=facts.denial,
                start=c["start"], end=c["end"], review=c.get("review", "suggested")))
    return out


def _has(needle: str | None, *haystacks: str | None) -> bool:
    if not needle:
        return True
    n = needle.casefold().strip()
    return any(h and n in h.casefold() for h in haystacks)


@dataclass(frozen=True)
class ClaimFilter:
    """What the claims table is narrowed to; empty fields match everything.

    Text filters match a case-insensitive substring; ``speaker_type`` and
    ``language`` match exactly; dates are inclusive and compare the claim's
    date (a partial date such as ``2019-10`` matches by its prefix).
    """

    speaker: str | None = None
    speaker_type: str | None = None
    place: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    agent: str | None = None
    source: str | None = None
    language: str | None = None

    def matches(self, row: ClaimRow) -> bool:
        if self.speaker_type and row.speaker_type != self.speaker_type:
            return False
        if self.language and row.language != self.language:
            return False
        if not (_has(self.speaker, row.speaker, row.speaker_normalized)
                and _has(self.place, *row.places) and _has(self.agent, *row.agents)
                and _has(self.source, row.source)):
            return False
        if self.date_from or self.date_to:
            if not row.date:
                return False
            if self.date_from and row.date < self.date_from.isoformat()[:len(row.date)]:
                return False
            if self.date_to and row.date[:10] > self.date_to.isoformat():
                return False
        return True

    def apply(self, rows: Iterable[ClaimRow]) -> list[ClaimRow]:
        return [r for r in rows if self.matches(r)]

    def query(self) -> dict[str, str]:
        """The filter as query parameters (for links such as the CSV download)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value:
                out[f.name] = value.isoformat() if isinstance(value, dt.date) else str(value)
        return out


def place_coordinates(records: Iterable[ReportRecord]) -> dict[str, tuple[float, float]]:
    """Latitude and longitude of every gazetteer place named in ``records``."""
    out: dict[str, tuple[float, float]] = {}
    for rec in records:
        for p in rec.extraction.get("places", []):
            if p.get("lat") is not None and p.get("lon") is not None:
                out.setdefault(p["normalized"], (float(p["lat"]), float(p["lon"])))
    return out


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    if isinstance(value, tuple):
        value = "; ".join(map(str, value))
    text = "" if value is None else str(value)
    # A cell starting like a formula is quoted so spreadsheets show it instead of running it.
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(rows: Iterable[ClaimRow]) -> str:
    """The rows as CSV with a header line (lists joined with ``; ``)."""
    buf = io.StringIO()
    names = [f.name for f in fields(ClaimRow)]
    writer = csv.writer(buf)
    writer.writerow(names)
    for row in rows:
        d = asdict(row)
        writer.writerow([_cell(d[n] if not isinstance(getattr(row, n), tuple) else getattr(row, n))
                         for n in names])
    return buf.getvalue()
