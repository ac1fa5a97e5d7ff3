"""Incidents: claims about the same event from different sources, side by side."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["ClaimFacts", "Figure", "Incident", "Relation", "SourceVersion"]


@dataclass(frozen=True)
class ClaimFacts:
    """One claim with the facts found inside it (or inherited from its report)."""

    report_id: str
    claim_no: int
    source: str
    published: str | None
    speaker: str
    speaker_type: str
    verb: str | None
    text: str
    places: tuple[str, ...]
    date: str | None
    agents: tuple[str, ...]
    casualties: tuple[tuple[int, str], ...]
    perpetrators: tuple[str, ...]
    denial: bool = False
    place_inherited: bool = False


@dataclass(frozen=True)
class SourceVersion:
    """What one speaker, in one source, says about an incident."""

    source: str
    speaker: str
    speaker_type: str
    claims: tuple[ClaimFacts, ...]
    agents: tuple[str, ...]
    casualties: tuple[tuple[int, str], ...]
    perpetrators: tuple[str, ...]
    denies: bool
    denied: tuple[str, ...] = ()
    """What this speaker denies: the accused and the agents named in its denials."""


@dataclass(frozen=True)
class Figure:
    """One casualty figure as one source gives it: who said it, and when."""

    source: str
    speaker: str
    speaker_type: str
    figure: int | str
    kind: str
    said_on: str | None
    report_id: str
    claim_no: int


@dataclass(frozen=True)
class Relation:
    """Agreement or contradiction between two source versions on one point."""

    kind: str  # "agrees" | "contradicts"
    about: str  # "casualties:injured", "agent", "perpetrator", "denial"
    a: str
    b: str
    detail: str


@dataclass(frozen=True)
class Incident:
    """A group of claims that appear to describe the same event."""

    incident_id: str
    place: str
    date_from: str | None
    date_to: str | None
    agents: tuple[str, ...]
    versions: tuple[SourceVersion, ...]
    relations: tuple[Relation, ...] = field(default=())
    figures: tuple[Figure, ...] = field(default=())
    place_detail: Any = None
    """The :class:`athar.incidents.frames.Place` of ``place`` (kind, governorate, coordinates)."""
    dated_by_event: bool = True
    """False when no report names the event's day: it is dated by the earliest publication."""
    weak_days: tuple[str, ...] = ()
    """Publication days of the reports that name no day of the event."""
    reports: int = 0

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.source for v in self.versions))

    def to_json(self) -> dict[str, Any]:
        """The incident as a JSON-ready dict."""
        return {
            "incident_id": self.incident_id, "place": self.place,
            "date_from": self.date_from, "date_to": self.date_to, "agents": list(self.agents),
            "place_detail": None if self.place_detail is None else self.place_detail.__dict__,
            "dated_by_event": self.dated_by_event, "weak_days": list(self.weak_days),
            "reports": self.reports,
            "sources": list(self.sources),
            "figures": [f.__dict__ for f in self.figures],
            "versions": [{
                "source": v.source, "speaker": v.speaker, "speaker_type": v.speaker_type,
                "agents": list(v.agents), "perpetrators": list(v.perpetrators),
                "casualties": [{"figure": f, "kind": k} for f, k in v.casualties],
                "denies": v.denies, "denied": list(v.denied),
                "claims": [{"report_id": c.report_id, "claim_no": c.claim_no, "verb": c.verb,
                            "text": c.text, "date": c.date} for c in v.claims],
            } for v in self.versions],
            "relations": [r.__dict__ for r in self.relations],
        }
