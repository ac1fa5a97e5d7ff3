"""Typed, frozen results of an extraction and their JSON shape (the output contract)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "AgentMention",
    "Casualty",
    "Claim",
    "DateMention",
    "Extraction",
    "LoadedTerm",
    "Perpetrator",
    "Place",
    "SPEAKER_TYPES",
]

SPEAKER_TYPES = (
    "government", "military", "international_org", "ngo", "media", "person",
    "armed_group", "unnamed_source", "unattributed_outlet_voice",
)


@dataclass(frozen=True, slots=True)
class Claim:
    """An attributed statement. ``claim == text[start:end]`` always holds."""

    speaker: str | None
    speaker_normalized: str
    speaker_type: str
    verb: str | None
    claim: str
    start: int
    end: int
    direct_quote: bool = False
    via: str | None = None
    nested_in: int | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    stance: str = "asserts"  # 'denies' when the verb denies, refutes or rejects the content


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer place named in the text (``as_written == text[start:end]``)."""

    as_written: str
    normalized: str
    lat: float | None
    lon: float | None
    admin: str | None
    start: int
    end: int
    kind: str = "place"


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date reference; ``iso`` is a full or partial ISO 8601 date (or None)."""

    as_written: str
    iso: str | None
    start: int
    end: int
    calendar: str = "gregorian"


@dataclass(frozen=True, slots=True)
class AgentMention:
    """A chemical agent named in the text, with its canonical English label."""

    as_written: str
    normalized: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Casualty:
    """A casualty figure and what it counts: injured, killed or affected.

    ``figure`` is a count, or ``dozens``/``hundreds``/``several`` for a vague quantity
    (only when the caller asks for vague figures)."""

    figure: int | str
    kind: str
    as_written: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Perpetrator:
    """An actor named in the text who could be alleged to have acted (a name, no finding)."""

    as_written: str
    normalized: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class LoadedTerm:
    """Emotive or loaded wording, flagged rather than hidden."""

    as_written: str
    start: int
    end: int
    gloss: str = ""


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything intake found in one report; ``to_json`` is the output contract."""

    language: str
    published: _dt.date | None
    warnings: tuple[str, ...] = ()
    claims: tuple[Claim, ...] = ()
    places: tuple[Place, ...] = ()
    dates: tuple[DateMention, ...] = ()
    agents: tuple[AgentMention, ...] = ()
    casualties: tuple[Casualty, ...] = ()
    alleged_perpetrators: tuple[Perpetrator, ...] = ()
    loaded_language: tuple[LoadedTerm, ...] = field(default=())
    published_precision: str = "day"  # day, month or year
    published_inferred: bool = False  # read from the report's dateline, not given

    def _published_iso(self) -> str | None:
        if self.published is None:
            return None
        if self.published_precision == "year":
            return f"{self.published.year:04d}"
        if self.published_precision == "month":
            return f"{self.published.year:04d}-{self.published.month:02d}"
        return self.published.isoformat()

    def to_json(self) -> dict[str, Any]:
        """Return the JSON-ready dict of the output contract (plus span keys on items)."""
        return {
            "language": self.language,
            "published": self._published_iso(),
            "published_inferred": self.published_inferred,
            "warnings": list(self.warnings),
            "claims": [asdict(c) for c in self.claims],
            "places": [asdict(p) for p in self.places],
            "dates": [asdict(d) for d in self.dates],
            "agents": [asdict(a) for a in self.agents],
            "casualties": [asdict(c) for c in self.casualties],
            "alleged_perpetrators": [asdict(p) for p in self.alleged_perpetrators],
            "loaded_language": [asdict(t) for t in self.loaded_language],
        }
