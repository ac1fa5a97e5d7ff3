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
from dataclasses import dataclass

from athar.incidents.facts import GENERIC_AGENTS
from athar.incidents.frames import WINDOW_DAYS, Frame, Place, main_place, near, partial_match, same_place
from athar.incidents.models import ClaimFacts, Figure, Incident, Relation, SourceVersion

__all__ = ["LATER_DAYS", "Candidate", "build_incident", "candidate", "choose", "event_day", "frame_order",
           "group_incidents", "incident_place", "incident_place_of", "joins", "new_incident_id"]

LATER_DAYS = 30


def _day(iso: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso) if iso and len(iso) == 10 else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Candidate:
    """What matching needs to know of an incident: where, when, how many reports speak of it."""

    incident_id: str
    place: Place | None
    date: str | None
    """The event's day (or month, or year); None when only publication days date it."""
    weak_days: tuple[str, ...]
    """Publication days of its reports that name no day of the event."""
    reports: int


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
    # An event known so far only by publication days: a report dated only by its publication
    # joins within the window of one of them; a report naming the event's day joins when they
    # were published on it or in the month after (as a weak report joins a dated event).
    if frame.weak_date:
        return any(abs((mine - d).days) <= WINDOW_DAYS for p in published_days if (d := _day(p)))
    return any(0 <= (d - mine).days <= LATER_DAYS for p in published_days if (d := _day(p)))


def choose(frame: Frame, candidates: Iterable[Candidate]) -> Candidate | None:
    """The incident ``frame`` joins among ``candidates``, or None for a new one.

    Of those it :func:`joins`, the one whose day is closest to the frame's, then
    the one more reports speak of, then the smallest id. A frame with no date at
    all joins only the incident at the same place that most reports (two or
    more) speak of and that names its day: nearness is not enough without a
    date, since a town has seen many events.
    """
    if frame.place is None:
        return None
    if frame.date is None:
        known = [c for c in candidates if c.place is not None and c.date is not None and len(c.date) == 10
                 and same_place(c.place, frame.place) and c.reports >= 2]
        return min(known, key=lambda c: (-c.reports, c.incident_id), default=None)
    joining = [c for c in candidates if joins(frame, c.place, c.date, c.weak_days)]
    return min(joining, key=lambda c: (_gap(frame.date, c), -c.reports, c.incident_id), default=None)


def _gap(day: str | None, c: Candidate) -> int:
    mine = _day(day)
    theirs = _day(c.date) or next((d for w in c.weak_days if (d := _day(w))), None)
    return abs((mine - theirs).days) if mine and theirs else 0


def frame_order(frame: Frame) -> tuple[bool, bool, int, str, str, int]:
    """The order frames are grouped in: dated by day first, then by month or year, then by
    publication, then undated; within each, by date, report and frame."""
    return (frame.date is None, frame.weak_date, -len(frame.date or ""), frame.date or "",
            frame.report_id, frame.frame_no)


def group_incidents(frames: Sequence[Frame]) -> list[Incident]:
    """Incidents from event frames; the same set of frames always gives the same incidents.

    The reference for the store's incremental grouping (:mod:`athar.incidents.assign`),
    which applies :func:`choose` the same way, one report at a time.
    """
    members: dict[str, list[Frame]] = {}
    summaries: dict[str, Candidate] = {}
    for fr in sorted(frames, key=frame_order):
        picked = choose(fr, summaries.values())
        incident_id = picked.incident_id if picked else new_incident_id(fr.key)
        members.setdefault(incident_id, []).append(fr)
        summaries[incident_id] = candidate(incident_id, members[incident_id])
    incidents = [build_incident(i, fs) for i, fs in members.items()]
    incidents.sort(key=lambda inc: (inc.date_from or "", inc.place, inc.incident_id))
    return incidents


def candidate(incident_id: str, frames: Sequence[Frame]) -> Candidate:
    """The matching summary of the incident made of ``frames``."""
    day, dated_by_event = event_day(frames)
    return Candidate(incident_id, incident_place_of(frames), day if dated_by_event else None,
                     _weak_days(frames), len({f.report_id for f in frames}))


def event_day(frames: Sequence[Frame]) -> tuple[str | None, bool]:
    """The event's day its frames name most often (ties: the earliest), and whether any names it;
    without one, the earliest date any frame has (a publication day)."""
    named = [f.date for f in frames if not f.weak_date and f.date]
    days = Counter(d for d in named if len(d) == 10) or Counter(named)
    if days:
        top = max(days.values())
        return min(d for d, n in days.items() if n == top), True
    return min((f.date for f in frames if f.date), default=None), False


def _weak_days(frames: Sequence[Frame]) -> tuple[str, ...]:
    return tuple(sorted({f.date for f in frames if f.weak_date and f.date}))


def incident_place_of(frames: Sequence[Frame]) -> Place | None:
    """An incident's place: from the frames that name the event's day, else from all of them."""
    dated = [f for f in frames if not f.weak_date]
    return incident_place([f.place for f in (dated or frames) if f.place is not None])


def new_incident_id(first_frame_key: str) -> str:
    """An incident's id, fixed by the frame that opened it: later frames never change it."""
    return "inc-" + hashlib.sha256(first_frame_key.encode()).hexdigest()[:12]


def build_incident(incident_id: str, frames: Sequence[Frame]) -> Incident:
    """The incident made of ``frames``: place, event date, versions, figures and relations."""
    dated = [f for f in frames if not f.weak_date]
    place = incident_place_of(frames)
    day, dated_by_event = event_day(frames)
    claims = [c for f in frames for c in f.claims]
    versions = _versions(claims)
    agents = tuple(dict.fromkeys(a for v in versions if not v.denies for a in v.agents))
    last_day = max([day or "", *(f.date for f in dated if f.date)]) or None
    return Incident(incident_id, place.name if place else "unknown", day, last_day,
                    agents, versions, _relations(versions),
                    _figures(versions, {f.report_id: f.published for f in frames}),
                    place_detail=place, dated_by_event=dated_by_event, weak_days=_weak_days(frames),
                    reports=len({f.report_id for f in frames}))


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
