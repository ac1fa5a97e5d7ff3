"""Incident pages: an offline map, a timeline, and each incident's versions side by side.

What the sources wrote (speakers, verbs, quotes, places) is shown isolated from
the interface's own text (``<bdi>``, or an element with ``dir``): a quote is set
in its report's direction (:func:`quote_direction`), dates are ``<time>``
elements that never wrap, so an English line stays in order on an Arabic page
and the other way round.

The map is drawn by Leaflet (served from the installed ``xstatic-leaflet``
package at ``/static/leaflet/``) over country outlines and Syrian governorate
points shipped in ``static/map/`` (built by ``scripts/build_map_data.py``); it
has no tile layer and loads nothing from the network.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from athar.accounts.users import User
from athar.errors import NotFound
from athar.http.deps import get_workspace, report_store, reports_snapshot, require_roles
from athar.incidents.views import located
from athar.web.templating import templates
from athar.workspace import Workspace

__all__ = ["TimelineItem", "incident_page", "incidents_page", "mount_leaflet", "quote_direction",
           "relation_marks", "relation_topics", "router", "timeline"]

router = APIRouter(include_in_schema=False)
Reader = Annotated[User, Depends(require_roles())]
WsDep = Annotated[Workspace, Depends(get_workspace)]
_RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "yi", "dv", "sd", "ug"})


def mount_leaflet(app: FastAPI) -> None:
    """Serve Leaflet's files from the ``xstatic-leaflet`` package at ``/static/leaflet``."""
    try:
        from xstatic.pkg import leaflet
    except ModuleNotFoundError:
        return  # the map page then says Leaflet is missing; everything else works
    app.mount("/static/leaflet", StaticFiles(directory=leaflet.BASE_DIR), name="leaflet")


@dataclass(frozen=True)
class TimelineItem:
    """An incident placed on the timeline: ``left`` and ``width`` in percent of the span shown."""

    incident: dict[str, Any]
    left: float
    width: float


def _day(iso: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso[:10]) if iso and len(iso) >= 10 else None
    except ValueError:
        return None


def timeline(incidents: list[dict[str, Any]]) -> tuple[list[TimelineItem], str | None, str | None]:
    """Incidents with a date, placed proportionally between the first and last date (pure)."""
    dated: list[tuple[dict[str, Any], dt.date, dt.date]] = []
    for inc in incidents:
        start = _day(inc.get("date_from"))
        if start is not None:
            dated.append((inc, start, _day(inc.get("date_to")) or start))
    if not dated:
        return [], None, None
    first = min(a for _, a, _ in dated)
    last = max(b for _, _, b in dated)
    span = max((last - first).days, 1)
    items = []
    for inc, a, b in sorted(dated, key=lambda t: (t[1], t[0]["incident_id"])):
        left = 100.0 * (a - first).days / span
        width = max(100.0 * (b - a).days / span, 0.8)
        items.append(TimelineItem(inc, round(min(left, 99.2), 2), round(width, 2)))
    return items, first.isoformat(), last.isoformat()


def quote_direction(language: str | None, text: str) -> str:
    """``rtl`` or ``ltr`` for words quoted from a report: its language's, else the text's first
    strong letter's (what ``dir="auto"`` would find), else ``ltr``."""
    if language:
        return "rtl" if language.split("-")[0].lower() in _RTL_LANGUAGES else "ltr"
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


@router.get("/incidents", response_class=HTMLResponse)
def incidents_page(request: Request, user: Reader, ws: WsDep) -> HTMLResponse:
    """The offline map of incidents, their timeline and their list."""
    incidents = located(report_store(ws).incidents(), reports_snapshot(ws).coords)
    items, first, last = timeline(incidents)
    markers = [{"id": i["incident_id"], "place": i["place"], "lat": i["lat"], "lon": i["lon"],
                "from": i["date_from"], "to": i["date_to"], "agents": i["agents"],
                "sources": len(i["sources"])}
               for i in incidents if i["lat"] is not None and i["lon"] is not None]
    return templates.TemplateResponse(request, "incidents.html", {
        "incidents": incidents, "markers": markers, "timeline": items, "first": first, "last": last})


def relation_marks(incident: dict[str, Any]) -> dict[str, dict[str, set[str]]]:
    """For each version (``speaker (source)``), which of its fields agree or contradict another's."""
    marks: dict[str, dict[str, set[str]]] = {}
    for rel in incident.get("relations", []):
        field = rel["about"].split(":")[0]
        field = {"perpetrator": "perpetrators", "agent": "agents", "denial": "denies"}.get(field, field)
        for label in (rel["a"], rel["b"]):
            marks.setdefault(label, {}).setdefault(field, set()).add(rel["kind"])
    return marks


def relation_topics(incident: dict[str, Any]) -> list[dict[str, Any]]:
    """The relations grouped by what they are about, with counts of agreements and contradictions."""
    topics: dict[str, dict[str, Any]] = {}
    for rel in incident.get("relations", []):
        t = topics.setdefault(rel["about"], {"about": rel["about"], "agrees": 0, "contradicts": 0,
                                             "relations": []})
        t[rel["kind"]] += 1
        t["relations"].append(rel)
    for t in topics.values():
        t["relations"].sort(key=lambda r: (r["kind"] != "contradicts", r["a"], r["b"]))
    return sorted(topics.values(), key=lambda t: t["about"])


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(request: Request, incident_id: str, user: Reader, ws: WsDep) -> HTMLResponse:
    """One incident: every source's version side by side, agreements and contradictions marked."""
    if not incident_id.startswith("inc-") or not incident_id[4:].isalnum():
        raise NotFound(f"no incident {incident_id!r}")
    incident = located([report_store(ws).incident(incident_id)], reports_snapshot(ws).coords)[0]
    reports = {r.report_id: r for r in reports_snapshot(ws).records}
    return templates.TemplateResponse(request, "incident.html", {
        "inc": incident, "marks": relation_marks(incident), "topics": relation_topics(incident),
        "reports": reports, "quote_dir": quote_direction})
