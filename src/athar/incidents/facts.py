"""Each claim of a report with the facts found inside its span (pure).

A claim takes the places, dates, agents, casualty figures and perpetrators
found inside its span; a claim without a place or date inherits its report's
main place and event date (``place_inherited`` says so). A claim whose verb
denies (``نفى``, "denied", "rejected") is a denial: what it names is what the
speaker denies, never what they allege; a reviewer's ``asserts`` (true or
false) overrides the verb.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from athar.incidents.models import ClaimFacts

__all__ = ["DENIAL_VERBS", "GENERIC_AGENTS", "claim_facts"]

DENIAL_VERBS = ("نفى", "نفت", "ينفي", "تنفي", "نافيا", "نافية", "deny", "denied", "denies",
                "rejected", "dismissed")
GENERIC_AGENTS = {"chemical weapons", "toxic chemicals", "toxic gas", "chemical agent"}
_NON_LOCAL = {"Syria", "Russia", "United States", "Turkey", "Iraq", "Lebanon", "Jordan", "Israel",
              "Iran", "United Kingdom", "France"}


def _remote(place: dict[str, Any]) -> bool:
    kind = place.get("kind")
    return (kind == "country" or place["normalized"] in _NON_LOCAL
            or (kind == "capital" and place["normalized"] != "Damascus"))


def _inside(item: dict[str, Any], start: int, end: int) -> bool:
    return bool(start <= item["start"] and item["end"] <= end)


def _date_only(iso: str | None) -> str | None:
    return iso if iso and len(iso) == 10 else None


def _main(values: Iterable[str]) -> str | None:
    counts = Counter(values)
    return counts.most_common(1)[0][0] if counts else None


def claim_facts(report_id: str, source: str, extraction: dict[str, Any]) -> list[ClaimFacts]:
    """Attach each claim's facts from an extraction's JSON (the intake output contract)."""
    all_places = extraction.get("places", [])
    # Countries and foreign capitals are usually where a statement was made,
    # not where an event happened: use them only when nothing more local is named.
    local = [p for p in all_places if not _remote(p)]
    places = local or [p for p in all_places if p.get("kind") != "country"
                       and p["normalized"] not in _NON_LOCAL]
    dates = [d for d in extraction.get("dates", []) if _date_only(d.get("iso"))]
    main_place = _main(p["normalized"] for p in places)
    published = extraction.get("published")
    main_date = _main(d["iso"] for d in dates) or published
    out = []
    for no, c in enumerate(extraction.get("claims", [])):
        s, e = c["start"], c["end"]

        def inside(key: str, s: int = s, e: int = e) -> list[dict[str, Any]]:
            return [x for x in extraction.get(key, []) if _inside(x, s, e)]

        own_places = [p["normalized"] for p in places if _inside(p, s, e)]
        own_dates = [d["iso"] for d in dates if _inside(d, s, e)]
        verb = c.get("verb")
        out.append(ClaimFacts(
            report_id=report_id, claim_no=no, source=source, published=published,
            speaker=c.get("speaker_normalized") or c.get("speaker") or source,
            speaker_type=c.get("speaker_type", "unattributed_outlet_voice"), verb=verb,
            text=c["claim"],
            places=tuple(dict.fromkeys(own_places)) or ((main_place,) if main_place else ()),
            date=own_dates[0] if own_dates else main_date,
            agents=tuple(dict.fromkeys(a["normalized"] for a in inside("agents"))),
            casualties=tuple((x["figure"], x["kind"]) for x in inside("casualties")),
            perpetrators=tuple(dict.fromkeys(p["normalized"]
                                             for p in inside("alleged_perpetrators"))),
            denial=(not c["asserts"]) if isinstance(c.get("asserts"), bool) else bool(verb) and any(
                verb.lower().lstrip("و").startswith(d) or d in verb.lower() for d in DENIAL_VERBS),
            place_inherited=not own_places,
        ))
    return out
