"""Group event frames from many reports into incidents: one incident per event (pure, deterministic).

A frame (:mod:`athar.incidents.frames`) is one report's account of one event.
Frames join the same incident when their places could be one event's
(:func:`athar.incidents.frames.near`: the same place, one inside the other, or
within a few kilometres) and:

* both are dated by the event: their days are at most ``WINDOW_DAYS`` apart;
* one is dated only by its report's publication (*weak*): the event's day is
  on or before that publication and at most :data:`LATER_DAYS` before it, so a
  denial a week later joins the event it denies, but an undated report never
  pulls an event's date to its own publication;
* a frame with no date at all (no day named, no publication date) joins the
  incident at the same place that most reports speak of, if there is one.

Frames are taken in a fixed order (dated ones first, by day, report and
frame), so the result depends only on the set of frames. An incident's place
is the most specific place its dated frames name most often; its date the
event day they name most often (never a publication date when a frame names
the event's day). Each incident keeps every source's version side by side:
what it asserts or denies, its figures and whom it accuses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from athar.incidents.facts import GENERIC_AGENTS
from athar.incidents.frames import WINDOW_DAYS, Frame, Place, main_place, near, partial_match, same_place
from athar.incidents.models import ClaimFacts, Figure, Incident, Relation, SourceVersion

__all__ = ["LATER_DAYS", "build_incident", "group_incidents", "incident_place", "joins", "new_incident_id"]

LATER_DAYS = 30


def _day(iso: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso) if iso and len(iso) == 10 else None
    except ValueError:
        return None


@dataclass
class _Cluster:
    first: Frame
    frames: list[Frame] = field(default_factory=list)
    place: Place | None = None

    def add(self, frame: Frame) -> None:
        self.frames.append(frame)
        self.place = incident_place([f.place for f in self.frames if f.place is not None])

    @property
    def date(self) -> str | None:
        return self.first.date if not self.first.weak_date else None


def joins(frame: Frame, place: Place | None, event_day: str | None, published_days: Iterable[str]) -> bool:
    """True when ``frame`` is about the event at ``place`` on ``event_day`` (None: known only by
    the publication days of its reports, ``published_days``)."""
    if frame.place is None or place is None or not near(frame.place, place):
        return False
    if frame.date is not None and event_day is not None and (len(frame.date) < 10 or len(event_day) < 10):
        return not frame.weak_date and partial_match(frame.date, event_day)  # a month or a year
    mine = _day(frame.date)
    if mine is None:
        return False
    if event_day is not None:
        theirs = _day(event_day)
        assert theirs is not None
        if frame.weak_date:
            return 0 <= (mine - theirs).days <= LATER_DAYS
        return abs((mine - theirs).days) <= WINDOW_DAYS
    # An event known only by publication days: a weak frame within the window of one of them.
    return any(abs((mine - d).days) <= WINDOW_DAYS for p in published_days if (d := _day(p)))


def group_incidents(frames: Sequence[Frame]) -> list[Incident]:
    """Incidents from event frames; the same set of frames always gives the same incidents."""
    ordered = sorted(frames, key=lambda f: (f.date is None, f.weak_date, -len(f.date or ""), f.date or "",
                                            f.report_id, f.frame_no))
    clusters: list[_Cluster] = []
    for fr in ordered:
        home = None
        if fr.date is None:
            home = _best_known_near(fr, clusters)
        for cl in clusters if home is None else ():
            if joins(fr, cl.place, cl.date, [f.date for f in cl.frames if f.weak_date and f.date]):
                home = cl
                break
        if home is None:
            home = _Cluster(fr)
            clusters.append(home)
        home.add(fr)
    incidents = [build_incident(new_incident_id(cl.first.key), cl.frames) for cl in clusters]
    incidents.sort(key=lambda inc: (inc.date_from or "", inc.place, inc.incident_id))
    return incidents


def _best_known_near(frame: Frame, clusters: Sequence[_Cluster]) -> _Cluster | None:
    """For a frame with no date at all: the incident at the same place that most reports speak of,
    if two or more do and they name its day. (Nearness is not enough without a date: a town has
    seen many events, and an undated report must not be pinned on the wrong one.)"""
    if frame.place is None:
        return None
    fp = frame.place
    known = [cl for cl in clusters if cl.place is not None and cl.date is not None and len(cl.date) == 10
             and same_place(cl.place, fp)
             and len({f.report_id for f in cl.frames}) >= 2]
    if not known:
        return None
    return max(known, key=lambda cl: len({f.report_id for f in cl.frames}))


def new_incident_id(first_frame_key: str) -> str:
    """An incident's id, fixed by the frame that opened it: later frames never change it."""
    return "inc-" + hashlib.sha256(first_frame_key.encode()).hexdigest()[:12]


def build_incident(incident_id: str, frames: Sequence[Frame]) -> Incident:
    """The incident made of ``frames``: place, event date, versions, figures and relations."""
    dated = [f for f in frames if not f.weak_date]
    place = incident_place([f.place for f in (dated or frames) if f.place is not None])
    days = Counter(f.date for f in dated if f.date and len(f.date) == 10) or Counter(
        f.date for f in dated if f.date)
    event_day: str | None
    if days:
        top = max(days.values())
        event_day = min(d for d, n in days.items() if n == top)
    else:
        event_day = min((f.date for f in frames if f.date), default=None)
    claims = [c for f in frames for c in f.claims]
    versions = _versions(claims)
    agents = tuple(dict.fromkeys(a for v in versions if not v.denies for a in v.agents))
    last_day = max([event_day or "", *(f.date for f in dated if f.date)]) or None
    return Incident(incident_id, place.name if place else "unknown", event_day, last_day,
                    agents, versions, _relations(versions),
                    _figures(versions, {f.report_id: f.published for f in frames}),
                    admin=place.admin if place else None, dated_by_event=bool(days))


def incident_place(places: Sequence[Place]) -> Place | None:
    """The place its frames name most often, refined to a more specific place near it that they name."""
    return main_place(places)


def _versions(group: list[ClaimFacts]) -> tuple[SourceVersion, ...]:
    by_speaker: dict[tuple[str, str], list[ClaimFacts]] = defaultdict(list)
    for c in group:
        by_speaker[(c.source, c.speaker)].append(c)
    out = []
    for (source, speaker), cs in sorted(by_speaker.items()):
        out.append(SourceVersion(
            source=source, speaker=speaker, speaker_type=cs[0].speaker_type, claims=tuple(cs),
            agents=tuple(dict.fromkeys(a for c in cs for a in c.agents)),
            casualties=tuple(dict.fromkeys(x for c in cs if not c.denial for x in c.casualties)),
            perpetrators=tuple(dict.fromkeys(p for c in cs if not c.denial for p in c.perpetrators)),
            denies=any(c.denial for c in cs) and not any(
                (c.agents or c.perpetrators) and not c.denial for c in cs),
            denied=tuple(dict.fromkeys(p for c in cs if c.denial for p in (*c.perpetrators, *c.agents)))))
    return tuple(out)


def _figures(versions: Iterable[SourceVersion], said_on: dict[str, str | None]) -> tuple[Figure, ...]:
    rows = []
    for v in versions:
        seen = set()
        for c in v.claims:
            if c.denial:
                continue
            for figure, kind in c.casualties:
                if (figure, kind) in seen:
                    continue
                seen.add((figure, kind))
                rows.append(Figure(v.source, v.speaker, v.speaker_type, figure, kind,
                                   said_on.get(c.report_id), c.report_id, c.claim_no))
    return tuple(sorted(rows, key=lambda r: (r.kind, r.said_on or "", r.source, r.speaker)))


def _label(v: SourceVersion) -> str:
    return f"{v.speaker} ({v.source})"


def _relations(versions: Sequence[SourceVersion]) -> tuple[Relation, ...]:
    """Pairwise agreements and contradictions; a denial is never agreement with what it denies."""
    rels: list[Relation] = []
    for i, a in enumerate(versions):
        for b in versions[i + 1:]:
            if a.denies != b.denies:
                rels.append(Relation("contradicts", "denial", _label(a), _label(b),
                                     "one source denies what the other alleges"))
                continue
            if a.denies:
                continue  # two denials agree with each other on nothing the incident alleges
            for kind in ("killed", "injured", "affected"):
                fa = {f for f, k in a.casualties if k == kind}
                fb = {f for f, k in b.casualties if k == kind}
                if fa and fb:
                    rels.append(Relation("agrees" if fa & fb else "contradicts", f"casualties:{kind}",
                                         _label(a), _label(b), f"{sorted(fa)} vs {sorted(fb)} {kind}"))
            pa, pb = set(a.perpetrators), set(b.perpetrators)
            if pa and pb:
                rels.append(Relation("agrees" if pa & pb else "contradicts", "perpetrator",
                                     _label(a), _label(b),
                                     f"{', '.join(sorted(pa))} vs {', '.join(sorted(pb))}"))
            sa = {x for x in a.agents if x not in GENERIC_AGENTS}
            sb = {x for x in b.agents if x not in GENERIC_AGENTS}
            if sa and sb:
                rels.append(Relation("agrees" if sa & sb else "contradicts", "agent", _label(a), _label(b),
                                     f"{', '.join(sorted(sa))} vs {', '.join(sorted(sb))}"))
    return tuple(rels)
