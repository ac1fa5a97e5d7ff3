"""The report's publication date: given (YYYY, YYYY-MM or YYYY-MM-DD) or read from its dateline.

A dateline is a date that opens one of the first paragraphs and is followed by the
agency or a dash ("Nov 25 (Reuters) -", "MOSCOW, April 5. /TASS/.", «دمشق - الخميس ٢٩
نوفمبر ٢٠١٨ -»), or a short line holding only a date. A dateline without a year takes
the latest year the report mentions. An inferred date is always marked as such.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from athar.errors import IntakeError
from athar.intake.models import DateMention

__all__ = ["Published", "infer_published", "parse_published"]

_ISO = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?")
_YEAR = re.compile(r"(?<!\d)(?:19[5-9]\d|20\d\d)(?!\d)")
# what may follow a dateline's date: an agency in brackets or slashes, a dash, a full stop
_AFTER = re.compile(r"\s*(?:[.,]?\s*(?:\([^)\n]{1,40}\)|/[^/\n]{1,30}/|\"[^\"\n]{1,40}\")?\s*[.:]?\s*"
                    r"[-–—:/]|\s*\(|\s*\.\s*/|\s*$)")
_FIRST_PARAGRAPHS = 3
_LEAD_CHARS = 80  # the date must start within this many characters of its paragraph


@dataclass(frozen=True, slots=True)
class Published:
    """A publication date: ``date`` (the first day of a partial date), its precision
    (``day``, ``month`` or ``year``), and whether it was read from the text."""

    date: dt.date
    precision: str = "day"
    inferred: bool = False

    def iso(self) -> str:
        """The date as given: YYYY-MM-DD, YYYY-MM or YYYY."""
        if self.precision == "year":
            return f"{self.date.year:04d}"
        if self.precision == "month":
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()


def parse_published(value: str | dt.date | Published | None) -> Published | None:
    """Parse a publication date given as YYYY, YYYY-MM, YYYY-MM-DD or a ``date``.

    Raises :class:`~athar.errors.IntakeError` for anything else (a datetime keeps its date).
    """
    if value is None or isinstance(value, Published):
        return value
    if isinstance(value, dt.datetime):
        return Published(value.date())
    if isinstance(value, dt.date):
        return Published(value)
    if not isinstance(value, str):
        raise IntakeError("published must be a date or a string YYYY, YYYY-MM or YYYY-MM-DD")
    m = _ISO.fullmatch(value.strip()[:10] if len(value.strip()) > 10 and value.strip()[10] in "T "
                       else value.strip())
    if m is None:
        raise IntakeError(f"published date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        y, mo, d = int(m["y"]), int(m["m"] or 1), int(m["d"] or 1)
        date = dt.date(y, mo, d)
    except ValueError as exc:
        raise IntakeError(f"published date {value!r} is not a calendar date") from exc
    precision = "day" if m["d"] else "month" if m["m"] else "year"
    return Published(date, precision)


def _paragraph_starts(text: str) -> list[int]:
    starts = [0] + [m.end() for m in re.finditer(r"\n\s*", text)]
    out = []
    for s in starts:
        if text[s:s + 1].strip():
            out.append(s)
        if len(out) == _FIRST_PARAGRAPHS:
            break
    return out


def infer_published(text: str, dates: list[DateMention]) -> Published | None:
    """The dateline's date, when the report opens with one (see the module docstring).

    ``dates`` are the report's dates found without a publication date (explicit ones
    resolve; relative ones have no ISO value). Returns None when there is no dateline.
    """
    starts = _paragraph_starts(text)
    for d in dates:
        if d.iso is None:
            continue
        para = max((s for s in starts if s <= d.start), default=None)
        if para is None or d.start - para > _LEAD_CHARS or "\n" in text[para:d.start]:
            continue
        line_end = text.find("\n", d.end)
        line_end = len(text) if line_end < 0 else line_end
        short_line = line_end - para <= 60
        if not short_line and not _AFTER.match(text, d.end, min(len(text), d.end + 45)):
            continue
        date = _complete(d.iso, text)
        if date is not None:
            return Published(date, "day", inferred=True)
    return None


def _complete(iso: str, text: str) -> dt.date | None:
    """A full date from an ISO value; '--MM-DD' takes the latest year the text names."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        return dt.date.fromisoformat(iso)
    m = re.fullmatch(r"--(\d{2})-(\d{2})", iso)
    years = [int(y) for y in _YEAR.findall(text)]
    if m is None or not years:
        return None
    try:
        return dt.date(max(years), int(m[1]), int(m[2]))
    except ValueError:
        return None
