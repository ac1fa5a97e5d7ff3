"""Load the shipped data files once and build the lexicons (cached per process)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from athar.intake.lexicon import Lexicon

__all__ = ["GazEntry", "SpeakerEntry", "agents", "actors", "gazetteer", "loaded", "speakers"]


def _load(name: str) -> Any:
    data = resources.files("athar.intake").joinpath("data", name).read_text("utf-8")
    return json.loads(data)


@dataclass(frozen=True, slots=True)
class GazEntry:
    """One gazetteer place."""

    name: str
    kind: str
    admin: str
    lat: float | None
    lon: float | None
    precision: str


@dataclass(frozen=True, slots=True)
class SpeakerEntry:
    """A known speaker: canonical English name and type."""

    name: str
    type: str
    is_person: bool


@cache
def gazetteer() -> Lexicon:
    """Lexicon from surface forms to a tuple of candidate :class:`GazEntry` (ambiguous names)."""
    by_key: dict[str, list[GazEntry]] = {}
    surfaces: dict[str, str] = {}
    from athar.intake.normalize import fold_key

    for name, kind, admin, lat, lon, ar, en, precision in _load("gazetteer.json")["places"]:
        entry = GazEntry(name, kind, admin, lat, lon, precision)
        for s in [*ar, *en]:
            k = fold_key(s)
            by_key.setdefault(k, []).append(entry)
            surfaces.setdefault(k, s)
    return Lexicon((surfaces[k], tuple(v)) for k, v in by_key.items())


def _simple(name: str) -> Lexicon:
    data = _load(name)
    return Lexicon((s, canon) for canon, forms in data.items() for s in [*forms["ar"], *forms["en"]])


@cache
def agents() -> Lexicon:
    """Lexicon of chemical agents -> canonical English label."""
    return _simple("agents.json")


@cache
def actors() -> Lexicon:
    """Lexicon of armed actors (possible alleged perpetrators) -> canonical name."""
    return _simple("actors.json")


@cache
def loaded() -> Lexicon:
    """Lexicon of loaded or emotive wording -> English gloss."""
    data = _load("loaded.json")
    return Lexicon(
        (s, gloss) for lang in ("ar", "en") for gloss, forms in data[lang].items() for s in forms
    )


@cache
def speakers() -> tuple[Lexicon, Lexicon]:
    """(names lexicon, titles lexicon) mapping surface forms to :class:`SpeakerEntry`."""
    names: list[tuple[str, SpeakerEntry]] = []
    titles: list[tuple[str, SpeakerEntry]] = []
    for e in _load("speakers.json"):
        person = bool(e.get("titles_ar") or e.get("titles_en")) or e["type"] == "person"
        entry = SpeakerEntry(e["name"], e["type"], person)
        names.extend((s, entry) for s in [*e["ar"], *e["en"]])
        titles.extend((s, entry) for s in [*e.get("titles_ar", []), *e.get("titles_en", [])])
    return Lexicon(names), Lexicon(titles)
