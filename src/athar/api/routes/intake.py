"""Reports, claims and incidents in the JSON API (``/api/v1/reports``, ``/claims``, ``/incidents``).

Reading needs any logged-in role (observers included); uploading a report
needs the investigator or admin role. An upload is a ``multipart/form-data``
POST with a ``file`` part and optional ``source``, ``url`` and ``published``
fields. Its body must declare its length (411 otherwise) and stay under the
limit (413), checked before a byte is read; the form parser then streams the
file part to a temporary file (spooled to disk past 1 MiB, never the whole
body in memory), and the file is read back in chunks, counted against the
limit again, before it is ingested. A file that cannot be
read as a report is refused with 422 and nothing is stored; the same bytes
uploaded twice are stored once (``new: false`` the second time).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field, TypeAdapter

from athar.accounts.users import User
from athar.api.errors import error_responses
from athar.errors import NotFound
from athar.http.deps import claim_filter, get_workspace, report_store, reports_snapshot, require_roles
from athar.http.uploads import bounded_body, ingest_upload
from athar.incidents.claims_view import ClaimFilter, to_csv
from athar.incidents.store import ReportRecord
from athar.incidents.views import located
from athar.workspace import Workspace

__all__ = ["CasualtyOut", "ClaimOut", "ClaimRefOut", "IncidentOut", "RelationOut", "ReportDetailOut",
           "ReportOut", "UploadOut", "VersionOut", "get_incident", "get_report", "incidents_out",
           "list_claims", "list_incidents", "list_reports", "report_out", "router", "upload_report"]

router = APIRouter(prefix="/api/v1")
_INCIDENT_ID = re.compile(r"^inc-[0-9a-f]{1,12}$")
Reader = Annotated[User, Depends(require_roles())]
Uploader = Annotated[User, Depends(require_roles("investigator", "admin"))]


# -- response models ---------------------------------------------------------------------------

class ReportOut(BaseModel):
    report_id: str = Field(description="SHA-256 of the report's bytes")
    filename: str
    media_type: str
    size: int
    source: str = Field(description="the outlet that published the report")
    url: str | None
    published: str | None
    language: str
    title: str | None
    claims: int
    extractor_version: str
    received_idx: int | None = Field(description="log index of the report.received entry")
    extraction_idx: int | None = Field(description="log index of the extraction.recorded entry")


class ReportDetailOut(ReportOut):
    text: str = Field(description="the report's text, as the extractor read it")
    extraction: dict[str, Any] = Field(description="the intake output contract, spans included")


class UploadOut(BaseModel):
    report_id: str
    new: bool = Field(description="false when the same bytes were uploaded before")
    claims: int
    filename: str
    page: str = Field(description="the report's page")


class ClaimOut(BaseModel):
    report_id: str
    claim_no: int
    source: str
    published: str | None
    language: str
    speaker: str
    speaker_normalized: str
    speaker_type: str
    verb: str | None
    claim: str
    direct_quote: bool
    via: str | None
    places: list[str]
    place_inherited: bool
    date: str | None
    agents: list[str]
    casualties: list[str]
    perpetrators: list[str]
    denial: bool
    start: int
    end: int
    review: str = Field("suggested", description="suggested (as the machine read it) or a decision")


class ClaimRefOut(BaseModel):
    report_id: str
    claim_no: int
    verb: str | None
    text: str
    date: str | None


class CasualtyOut(BaseModel):
    figure: int
    kind: str


class VersionOut(BaseModel):
    source: str
    speaker: str
    speaker_type: str
    agents: list[str]
    perpetrators: list[str]
    casualties: list[CasualtyOut]
    denies: bool
    claims: list[ClaimRefOut]


class RelationOut(BaseModel):
    kind: str = Field(description="agrees | contradicts")
    about: str
    a: str
    b: str
    detail: str


class IncidentOut(BaseModel):
    incident_id: str
    place: str
    lat: float | None = None
    lon: float | None = None
    date_from: str | None
    date_to: str | None
    agents: list[str]
    sources: list[str]
    versions: list[VersionOut]
    relations: list[RelationOut]


def report_out(rec: ReportRecord) -> ReportOut:
    return ReportOut(report_id=rec.report_id, filename=rec.filename, media_type=rec.media_type,
                     size=rec.size, source=rec.source, url=rec.url, published=rec.published,
                     language=rec.language, title=rec.title, claims=len(rec.claims),
                     extractor_version=rec.extractor_version, received_idx=rec.received_idx,
                     extraction_idx=rec.extraction_idx)


def incidents_out(ws: Workspace, incidents: list[dict[str, Any]]) -> list[IncidentOut]:
    """Incidents with the coordinates of their place (when the gazetteer has them)."""
    return [IncidentOut(**inc) for inc in located(incidents, reports_snapshot(ws).coords)]


# -- upload ------------------------------------------------------------------------------------

# -- routes ------------------------------------------------------------------------------------

WsDep = Annotated[Workspace, Depends(get_workspace)]


@router.get("/reports", response_model=list[ReportOut], tags=["reports"],
            responses=error_responses(401, 403))
def list_reports(user: Reader, ws: WsDep) -> list[ReportOut]:
    """Every stored report, oldest publication first."""
    return [report_out(r) for r in reports_snapshot(ws).records]


@router.get("/reports/{report_id}", response_model=ReportDetailOut, tags=["reports"],
            responses=error_responses(401, 403, 404))
def get_report(report_id: str, user: Reader, ws: WsDep) -> ReportDetailOut:
    """One report with its text and its extraction (claims, places, dates, agents, figures...)."""
    rec = report_store(ws).get(report_id)
    return ReportDetailOut(**report_out(rec).model_dump(), text=rec.text, extraction=rec.extraction)


@router.post("/reports", response_model=UploadOut, status_code=201, tags=["reports"],
             dependencies=[Depends(bounded_body)],
             responses={200: {"description": "the same bytes were already stored"},
                        **error_responses(400, 401, 403, 411, 413, 422, notes={
                            413: "over the size limit; nothing stored",
                            422: "not a readable report, or a bad form field; nothing stored"})})
async def upload_report(request: Request, response: Response, user: Uploader, ws: WsDep) -> UploadOut:
    """Upload a report (multipart: ``file``, optional ``source``, ``url``, ``published``) and ingest it.

    The report is logged (``report.received``, ``extraction.recorded``) and the
    incidents are regrouped. Re-uploading the same bytes changes nothing (200).
    """
    outcome = await ingest_upload(request, ws, user)
    if not outcome.new:
        response.status_code = 200
    assert outcome.report_id is not None
    return UploadOut(report_id=outcome.report_id, new=outcome.new, claims=outcome.claims,
                     filename=outcome.name, page=f"/reports/{outcome.report_id}")


@router.get("/claims", response_model=list[ClaimOut], tags=["claims"],
            responses={200: {"content": {"text/csv": {}}, "description": "JSON, or CSV with format=csv"},
                       **error_responses(401, 403, 422)})
def list_claims(user: Reader, ws: WsDep, flt: Annotated[ClaimFilter, Depends(claim_filter)],
                format: Annotated[str, Query(pattern="^(json|csv)$")] = "json",  # noqa: A002
                ) -> Any:
    """Every claim with its speaker, source and date, filtered; ``format=csv`` downloads a CSV file."""
    rows = flt.apply(reports_snapshot(ws).rows)
    if format == "csv":
        return PlainTextResponse(to_csv(rows), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": 'attachment; filename="athar-claims.csv"'})
    return [ClaimOut(**{**r.__dict__, "places": list(r.places), "agents": list(r.agents),
                        "casualties": list(r.casualties), "perpetrators": list(r.perpetrators)})
            for r in rows]


_INCIDENT_LIST = "api.incident_list_json"


@router.get("/incidents", response_model=list[IncidentOut], tags=["incidents"],
            responses=error_responses(401, 403))
def list_incidents(user: Reader, ws: WsDep) -> Response:
    """Every incident (claims grouped by place, date window and agent), by date.

    The encoded list is kept until the incidents are rebuilt or a report added.
    """
    store = report_store(ws)
    key = (store.generation(), reports_snapshot(ws).count)
    cached = ws.cache.get(_INCIDENT_LIST)
    if not (isinstance(cached, tuple) and cached[0] == key):
        items = incidents_out(ws, store.incidents())
        cached = (key, TypeAdapter(list[IncidentOut]).dump_json(items))
        ws.cache[_INCIDENT_LIST] = cached
    return Response(cached[1], media_type="application/json")


@router.get("/incidents/{incident_id}", response_model=IncidentOut, tags=["incidents"],
            responses=error_responses(401, 403, 404))
def get_incident(incident_id: str, user: Reader, ws: WsDep) -> IncidentOut:
    """One incident (id or unique prefix) with every source's version and their relations."""
    if not _INCIDENT_ID.match(incident_id):
        raise NotFound(f"no incident {incident_id!r}")
    return incidents_out(ws, [report_store(ws).incident(incident_id)])[0]
