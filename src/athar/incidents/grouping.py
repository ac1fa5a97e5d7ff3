"""Group claims into incidents by place, date window and agent (pure, deterministic).

A claim takes the places, dates, agents, casualty figures and perpetrators
found inside its span; a claim without a place or date inherits its report's
main place and event date. Claims that allege nothing about an event (no
agent, no figure, no perpetrator) stay out of incidents. Two claims join the
same incident when they share a place, their dates lie within the window,
and their agents do not disagree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from athar.incidents.models import ClaimFacts, Incident, Relation, SourceVersion

__all__ = ["DENIAL_VERBS", "claim_facts", "group_incidents"]

DENIAL_VERBS = ("نفى", "نفت", "ينفي", "تنفي", "نافيا", "نافية", "deny", "denied", "denies",
                "rejected", "dismissed")
_GENERIC_AGENTS = {"chemical weapons", "toxic chemicals", "toxic gas", "chemical agent"}
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
            denial=bool(verb) and any(verb.lower().lstrip("و").startswith(d) or d in verb.lower()
                                      for d in DENIAL_VERBS),
            place_inherited=not own_places,
        ))
    return out


def _relevant(c: ClaimFacts) -> bool:
    return bool(c.places) and bool(c.agents or c.casualties or c.perpetrators or c.denial)


def _days_apart(a: str | None, b: str | None) -> int:
    if a is None or b is None:
        return 0
    return abs((dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days)


def _agents_agree(a: Sequence[str], b: Sequence[str]) -> bool:
    sa = {x for x in a if x not in _GENERIC_AGENTS}
    sb = {x for x in b if x not in _GENERIC_AGENTS}
    return not sa or not sb or bool(sa & sb)


def group_incidents(claims: Sequence[ClaimFacts], window_days: int = 3) -> list[Incident]:
    """Group relevant claims into incidents; the result does not depend on input order.

    Claims are taken in date order; each joins the first incident that shares
    one of its places, whose whole date span stays within ``window_days`` with
    it, and whose specific agents do not disagree with its own. Chains cannot
    drift: an incident never spans more than the window.
    """
    items = sorted((c for c in claims if _relevant(c)),
                   key=lambda c: (c.date or "", c.report_id, c.claim_no))
    clusters: list[dict[str, Any]] = []
    for c in items:
        home = None
        for cl in clusters:
            if not set(c.places) & cl["places"]:
                continue
            if _days_apart(c.date, cl["first"]) > window_days:
                continue
            if not _agents_agree(c.agents, tuple(cl["agents"])):
                continue
            home = cl
            break
        if home is None:
            home = {"places": set(), "agents": set(), "first": c.date, "claims": []}
            clusters.append(home)
        home["claims"].append(c)
        home["agents"].update(c.agents)
        if not c.place_inherited or not home["places"]:
            home["places"].update(c.places)
        if home["first"] is None:
            home["first"] = c.date
    incidents = [_incident(cl["claims"]) for cl in clusters]
    incidents.sort(key=lambda inc: (inc.date_from or "", inc.place, inc.incident_id))
    return incidents


def _incident(group: list[ClaimFacts]) -> Incident:
    place = _main(p for c in group for p in c.places if not c.place_inherited) or _main(
        p for c in group for p in c.places) or "unknown"
    dates = sorted(c.date for c in group if c.date)
    key = "|".join(sorted(f"{c.report_id}:{c.claim_no}" for c in group))
    incident_id = "inc-" + hashlib.sha256(key.encode()).hexdigest()[:12]
    versions = _versions(group)
    agents = tuple(dict.fromkeys(a for c in group for a in c.agents))
    return Incident(incident_id, place, dates[0] if dates else None,
                    dates[-1] if dates else None, agents, versions, _relations(versions))


def _versions(group: list[ClaimFacts]) -> tuple[SourceVersion, ...]:
    by_speaker: dict[tuple[str, str], list[ClaimFacts]] = defaultdict(list)
    for c in group:
        by_speaker[(c.source, c.speaker)].append(c)
    out = []
    for (source, speaker), cs in sorted(by_speaker.items()):
        out.append(SourceVersion(
            source=source, speaker=speaker, speaker_type=cs[0].speaker_type, claims=tuple(cs),
            agents=tuple(dict.fromkeys(a for c in cs for a in c.agents)),
            casualties=tuple(dict.fromkeys(x for c in cs for x in c.casualties)),
            perpetrators=tuple(dict.fromkeys(p for c in cs for p in c.perpetrators)),
            denies=any(c.denial for c in cs)))
    return tuple(out)


def _label(v: SourceVersion) -> str:
    return f"{v.speaker} ({v.source})"


def _relations(versions: Sequence[SourceVersion]) -> tuple[Relation, ...]:
    rels: list[Relation] = []
    for i, a in enumerate(versions):
        for b in versions[i + 1:]:
            for kind in ("killed", "injured", "affected"):
                fa = {f for f, k in a.casualties if k == kind}
                fb = {f for f, k in b.casualties if k == kind}
                if fa and fb:
                    same = bool(fa & fb)
                    rels.append(Relation("agrees" if same else "contradicts", f"casualties:{kind}",
                                         _label(a), _label(b),
                                         f"{sorted(fa)} vs {sorted(fb)} {kind}"))
            pa, pb = set(a.perpetrators), set(b.perpetrators)
            if pa and pb and not (a.denies or b.denies):
                rels.append(Relation("agrees" if pa & pb else "contradicts", "perpetrator",
                                     _label(a), _label(b),
                                     f"{', '.join(sorted(pa))} vs {', '.join(sorted(pb))}"))
            if a.denies != b.denies:
                rels.append(Relation("contradicts", "denial", _label(a), _label(b),
                                     "one source denies what the other alleges"))
            sa = {x for x in a.agents if x not in _GENERIC_AGENTS}
            sb = {x for x in b.agents if x not in _GENERIC_AGENTS}
            if sa and sb:
                rels.append(Relation("agrees" if sa & sb else "contradicts", "agent",
                                     _label(a), _label(b),
                                     f"{', '.join(sorted(sa))} vs {', '.join(sorted(sb))}"))
    return tuple(rels)
