"""FastAPI dependencies and read helpers shared by the JSON API and the pages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Query, Request

from athar.accounts.users import User
from athar.http.auth import current_user, require_roles
from athar.incidents.claims_view import ClaimFilter
from athar.incidents.store import ReportStore
from athar.incidents.views import ReportsSnapshot, refresh
from athar.log.server import Log
from athar.workspace import Workspace

__all__ = ["User", "claim_filter", "current_user", "get_log", "get_workspace", "report_store",
           "reports_snapshot", "require_roles"]

_SNAPSHOT = "incidents.reports_snapshot"


def get_workspace(request: Request) -> Workspace:
    """The workspace the app serves."""
    ws: Workspace = request.app.state.workspace
    return ws


def get_log(request: Request) -> Log:
    """The workspace's log."""
    return get_workspace(request).log()


def claim_filter(
        speaker: Annotated[str | None, Query(description="speaker contains (as written or normalised)")]
        = None,
        speaker_type: Annotated[str | None, Query(description="government, ngo, media, ...")] = None,
        place: Annotated[str | None, Query(description="a place of the claim contains")] = None,
        date_from: Annotated[dt.date | None, Query(alias="from", description="claim date on or after")]
        = None,
        date_to: Annotated[dt.date | None, Query(alias="to", description="claim date on or before")]
        = None,
        agent: Annotated[str | None, Query(description="an agent named in the claim contains")] = None,
        source: Annotated[str | None, Query(description="the outlet contains")] = None,
        language: Annotated[str | None, Query(description="ar or en")] = None) -> ClaimFilter:
    """The claims filter from the query string."""
    return ClaimFilter(speaker, speaker_type, place, date_from, date_to, agent, source, language)


def report_store(ws: Workspace) -> ReportStore:
    """The workspace's report store."""
    return ReportStore(ws.log())


def reports_snapshot(ws: Workspace) -> ReportsSnapshot:
    """Every stored report parsed once, kept on the workspace until a report is added."""
    previous = ws.cache.get(_SNAPSHOT)
    snap = refresh(ws.log(), previous if isinstance(previous, ReportsSnapshot) else None)
    ws.cache[_SNAPSHOT] = snap
    return snap
