"""The events a report speaks of: its claims sorted into event frames (pure, deterministic).

A report about an alleged chemical attack is mostly about one event, its
*main frame*; it may also mention others in passing ("the 2013 Ghouta attack",
"an air strike elsewhere killed twelve"). Rules, in order:

1. A claim is *relevant* when it names an agent or an alleged perpetrator, or
   denies something; a claim that only gives casualty figures is a *figure
   claim*. Claims that say none of this stay out of incidents.
2. The main frame's place is the most specific place named most often inside
   the relevant claims (a town before its governorate, anything before a
   country or a foreign capital); its date is the day named most often inside
   them, never after the report's publication. A report that names no day is
   dated by its publication, marked as *weak*: it may join an event that
   happened shortly before, but never fixes an event's date.
3. A relevant claim naming its own day more than :data:`WINDOW_DAYS` away
   from the main date belongs to another frame, at its own place when it
   names one; with no place of its own it is a passing mention that cannot be
   placed, and is left out rather than pinned on the main place.
4. A figure claim belongs to the main frame unless it names a place that is
   not near the main place or a day outside the window: then its figures are
   about another event, and are left out.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from athar.incidents.facts import claim_facts
from athar.incidents.models import ClaimFacts

__all__ = [
    "WINDOW_DAYS", "Frame", "Place", "contains", "main_place", "near", "partial_match", "report_frames",
    "fold_name", "same_place",
]

WINDOW_DAYS = 2
NEAR_KM = 25.0
_SPECIFIC = {"neighbourhood": 0, "street": 0, "hospital": 0, "village": 1, "town": 1, "area": 2,
             "city": 2, "capital": 3, "district": 3, "governorate": 4, "region": 5, "country": 6}
_FOREIGN_OK = {"Syria"}


@dataclass(frozen=True)
class Place:
    """A place as the gazetteer gives it: name, kind, governorate (``admin``), coordinates."""

    name: str
    kind: str
    admin: str | None
    lat: float | None
    lon: float | None

    @classmethod
    def from_json(cls, p: dict[str, Any]) -> Place:
        """The place of an intake ``places`` item."""
        return cls(p["normalized"], p.get("kind") or "place", p.get("admin"), p.get("lat"), p.get("lon"))

    @property
    def rank(self) -> int:
        """Smaller is more specific."""
        return _SPECIFIC.get(self.kind, 2)


def fold_name(name: str) -> str:
    """A place name without its vowels, article, hyphens and doubled letters: one key for the
    transliterations of one Arabic name (Saraqib, Saraqeb; al-Lataminah, Latamneh)."""
    s = name.lower().removeprefix("al-").removeprefix("el-")
    s = "".join(ch for ch in s if ch.isalpha() and ch not in "aeiouy")
    return "".join(ch for i, ch in enumerate(s) if i == 0 or ch != s[i - 1])


def same_place(a: Place, b: Place) -> bool:
    """True when ``a`` and ``b`` name one place (in two transliterations, perhaps)."""
    return a.name == b.name or (len(fold_name(a.name)) >= 3 and fold_name(a.name) == fold_name(b.name)
                                and (a.admin is None or b.admin is None or a.admin == b.admin))


def contains(a: Place, b: Place) -> bool:
    """True when ``a`` and ``b`` are one place, or one is the governorate (or its seat) of the other."""
    return same_place(a, b) or (a.admin == b.name and b.rank >= 2) or (b.admin == a.name and a.rank >= 2)


def near(a: Place, b: Place) -> bool:
    """True when ``a`` and ``b`` could be the place of one event.

    The same place; one inside the other (a town and its governorate); or two
    places within :data:`NEAR_KM` of each other (a city and its suburbs).
    """
    if contains(a, b):
        return True
    if None in (a.lat, a.lon, b.lat, b.lon) or max(a.rank, b.rank) >= 4:
        return False
    return _km(a, b) <= NEAR_KM


def _km(a: Place, b: Place) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat or 0.0, a.lon or 0.0, b.lat or 0.0, b.lon or 0.0))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


@dataclass(frozen=True)
class Frame:
    """One event as one report speaks of it: where, when, and the claims about it."""

    report_id: str
    frame_no: int
    place: Place | None
    date: str | None
    weak_date: bool
    published: str | None
    claims: tuple[ClaimFacts, ...]

    @property
    def key(self) -> str:
        """A stable id of this frame: its report and its number there."""
        return f"{self.report_id}:{self.frame_no}"

    def to_json(self) -> dict[str, Any]:
        """The frame as JSON: stored beside its incident, which is rebuilt from its frames alone."""
        return {"report_id": self.report_id, "frame_no": self.frame_no,
                "place": None if self.place is None else self.place.__dict__,
                "date": self.date, "weak_date": self.weak_date, "published": self.published,
                "claims": [c.__dict__ for c in self.claims]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Frame:
        """The frame :meth:`to_json` wrote."""
        place = Place(**data["place"]) if data["place"] else None
        claims = tuple(ClaimFacts(**{**c, "places": tuple(c["places"]), "agents": tuple(c["agents"]),
                                     "casualties": tuple(tuple(x) for x in c["casualties"]),
                                     "perpetrators": tuple(c["perpetrators"])})
                       for c in data["claims"])
        return cls(data["report_id"], data["frame_no"], place, data["date"], data["weak_date"],
                   data["published"], claims)


def _day(iso: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso) if iso and len(iso) == 10 else None
    except ValueError:
        return None


def _inside(item: dict[str, Any], claim: dict[str, Any]) -> bool:
    return bool(claim["start"] <= item["start"] and item["end"] <= claim["end"])


def _local(p: Place) -> bool:
    return p.kind != "country" and not (p.kind == "capital" and p.admin not in (None, p.name)
                                        and p.name not in _FOREIGN_OK and p.admin != "Damascus")


def report_frames(report_id: str, source: str, extraction: dict[str, Any]) -> list[Frame]:
    """The event frames of one report (its main frame first); see the module docstring."""
    facts = claim_facts(report_id, source, extraction)
    claims = extraction.get("claims", [])
    places = [(p, Place.from_json(p)) for p in extraction.get("places", [])]
    dates = extraction.get("dates", [])
    published = extraction.get("published")
    pub_day = _day(published)
    own: list[tuple[ClaimFacts, list[Place], list[str]]] = []
    partial: list[str] = []
    for c, f in zip(claims, facts, strict=True):
        if c.get("review") == "rejected":
            continue  # a person found the machine wrong: it counts for nothing
        ps = [pl for p, pl in places if _inside(p, c) and _local(pl)]
        ds = [d["iso"] for d in dates if _inside(d, c) and (day := _day(d.get("iso"))) is not None
              and (pub_day is None or day <= pub_day)]
        if f.agents or f.perpetrators or f.denial:
            partial += [d["iso"] for d in dates if _inside(d, c) and _partial(d.get("iso"), published)]
        own.append((f, ps, ds))
    relevant = [o for o in own if o[0].agents or o[0].perpetrators or o[0].denial]
    if not relevant:
        return []
    main_at = main_place([p for _, ps, _ in relevant for p in ps]
                         or [pl for _, pl in places if _local(pl)])
    # The event's day: named in claims at the main place (weight 2) or at no place (weight 1);
    # a day named with another place is that place's event, not this one.
    day_counts: Counter[str] = Counter()
    in_order: list[str] = []
    for _, ps, ds in relevant:
        weight = 1 if not ps else 2 if main_at is not None and any(near(p, main_at) for p in ps) else 0
        for d in ds if weight else ():
            day_counts[d] += weight
            in_order.append(d)
    main_date = _first_most_common(day_counts, in_order)
    if main_date is None and partial:  # only a month or a year: the event is known that well
        main_date = _first_most_common(Counter(partial), partial)
    weak = main_date is None
    if weak:
        main_date = published if pub_day else None
    main: list[ClaimFacts] = []
    others: dict[tuple[str, str], list[ClaimFacts]] = {}
    other_places: dict[tuple[str, str], Place] = {}
    for f, ps, ds in own:
        is_relevant = bool(f.agents or f.perpetrators or f.denial)
        if not (is_relevant or f.casualties):
            continue
        away = [d for d in ds if not weak and _apart(d, main_date) > WINDOW_DAYS]
        far = [p for p in ps if main_at is not None and not near(p, main_at)]
        if is_relevant and away and len(away) == len(ds):
            if ps:
                key = (ps[0].name, away[0])
                others.setdefault(key, []).append(f)
                other_places[key] = main_place(ps) or ps[0]
            continue
        if not is_relevant and ((ps and len(far) == len(ps)) or (ds and len(away) == len(ds))):
            continue  # figures about another event
        main.append(f)
    frames = [Frame(report_id, 0, main_at, main_date, weak, published, tuple(main))] if main else []
    for n, (key, cs) in enumerate(sorted(others.items()), start=1):
        frames.append(Frame(report_id, n, other_places[key], key[1], False, published, tuple(cs)))
    return [fr for fr in frames if any(c.agents or c.perpetrators or c.denial for c in fr.claims)]


def _partial(iso: str | None, published: str | None) -> bool:
    """A month (YYYY-MM) or a year (YYYY), not after the publication."""
    if not iso or len(iso) not in (4, 7) or not iso[:4].isdigit():
        return False
    return published is None or iso <= published[: len(iso)]


def partial_match(a: str, b: str) -> bool:
    """True when dates of different precision can be one day: ``2017-04`` and ``2017-04-04``."""
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _apart(a: str | None, b: str | None) -> int:
    da, db = _day(a), _day(b)
    return abs((da - db).days) if da and db else 0


def _first_most_common(counts: Counter[str], in_order: Sequence[str]) -> str | None:
    if not counts:
        return None
    best = max(counts.values())
    return next(d for d in in_order if counts[d] == best)


def main_place(candidates: Sequence[Place]) -> Place | None:
    """The place named most often (ties: the first named), refined to a more specific place near it.

    "Idlib" five times and "Khan Shaykhun" once: the event is at Khan Shaykhun,
    in Idlib. The refinement is the most frequent of the more specific places near it.
    """
    if not candidates:
        return None
    counts = Counter(p.name for p in candidates)
    first: dict[str, int] = {}
    for i, p in enumerate(candidates):
        first.setdefault(p.name, i)
    by_name = {p.name: p for p in candidates}

    def pick(names: Sequence[str]) -> Place:
        return by_name[min(names, key=lambda n: (-counts[n], first[n]))]

    top = pick(list(counts))
    finer = [n for n in counts if by_name[n].rank < top.rank and near(by_name[n], top)]
    return pick(finer) if finer else top
