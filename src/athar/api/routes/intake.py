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

import datetime as dt
import hashlib
import re
import weakref
from dataclasses import dataclass
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field, TypeAdapter
from starlette.datastructures import UploadFile

from athar.api.deps import get_workspace, require_roles
from athar.api.errors import error_responses
from athar.errors import IntakeError, NotFound
from athar.incidents.service import IngestOutcome, ReportMeta, ingest_bytes
from athar.incidents.store import ReportRecord, ReportStore
from athar.store.log import Log
from athar.web.accounts import User
from athar.web.actor_keys import signer_for
from athar.web.claims_view import ClaimFilter, ClaimRow, claim_rows, place_coordinates, to_csv
from athar.workspace import Workspace

__all__ = ["CasualtyOut", "ClaimOut", "ClaimRefOut", "DEFAULT_MAX_REPORT_BYTES", "IncidentOut",
           "LengthRequired", "RelationOut", "ReportDetailOut", "ReportOut", "ReportTooLarge",
           "ReportsSnapshot", "UploadOut", "VersionOut", "bounded_body", "claim_filter", "get_incident",
           "get_report", "incidents_out", "ingest_upload", "list_claims", "list_incidents", "list_reports",
           "max_report_bytes", "report_out", "router", "snapshot", "store_of", "upload_report"]

DEFAULT_MAX_REPORT_BYTES = 20 * 1024 * 1024
_FORM_SLACK = 64 * 1024  # multipart boundaries, headers and the small text fields
router = APIRouter(prefix="/api/v1")
_INCIDENT_ID = re.compile(r"^inc-[0-9a-f]{1,12}$")
Reader = Annotated[User, Depends(require_roles())]
Uploader = Annotated[User, Depends(require_roles("investigator", "admin"))]


class ReportTooLarge(IntakeError):
    code = "payload_too_large"
    http_status = 413


class LengthRequired(IntakeError):
    code = "length_required"
    http_status = 411


def store_of(ws: Workspace) -> ReportStore:
    """The workspace's report store."""
    return ReportStore(ws.log())


@dataclass(frozen=True)
class ReportsSnapshot:
    """Every stored report, parsed once, with its claim rows and place coordinates.

    Reports are never changed once stored (only added), so a snapshot stays
    right for as long as the number of reports is the same: each read costs
    one ``COUNT(*)`` instead of parsing every extraction again.
    """

    count: int
    records: tuple[ReportRecord, ...]
    rows: tuple[ClaimRow, ...]
    coords: dict[str, tuple[float, float]]


_snapshots: weakref.WeakKeyDictionary[Log, ReportsSnapshot] = weakref.WeakKeyDictionary()


def snapshot(ws: Workspace) -> ReportsSnapshot:
    """The current :class:`ReportsSnapshot` of ``ws`` (rebuilt when a report was added)."""
    log = ws.log()
    count = int(log.read("SELECT COUNT(*) FROM reports")[0][0])
    snap = _snapshots.get(log)
    if snap is None or snap.count != count:
        records = tuple(ReportStore(log).all())
        snap = ReportsSnapshot(len(records), records, tuple(claim_rows(records)),
                               place_coordinates(records))
        _snapshots[log] = snap
    return snap


def max_report_bytes(request: Request) -> int:
    """The upload limit in bytes (``app.state.max_report_bytes`` overrides the default)."""
    return int(getattr(request.app.state, "max_report_bytes", DEFAULT_MAX_REPORT_BYTES))


async def bounded_body(request: Request) -> None:
    """Refuse, before any byte is read, a body without a length or over the limit."""
    if request.method != "POST":
        return
    limit = max_report_bytes(request)
    declared = request.headers.get("content-length")
    if declared is None or not declared.isdigit():
        raise LengthRequired("send the upload with a Content-Length header")
    if int(declared) > limit + _FORM_SLACK:
        raise ReportTooLarge(f"a report may be at most {limit} bytes", limit=limit)


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
    coords = snapshot(ws).coords
    out = []
    for inc in incidents:
        lat, lon = coords.get(inc["place"], (None, None))
        out.append(IncidentOut(**inc, lat=lat, lon=lon))
    return out


# -- upload ------------------------------------------------------------------------------------

def _field(form: Any, name: str) -> str | None:
    value = form.get(name)
    return value.strip() or None if isinstance(value, str) else None


async def ingest_upload(request: Request, ws: Workspace, user: User) -> IngestOutcome:
    """Receive the multipart upload of ``request`` within the limit, and ingest it.

    The report's log entries are signed with the uploading user's own actor key.
    """
    limit = max_report_bytes(request)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise IntakeError("send the report as multipart/form-data with a `file` part")
    form = await request.form(max_files=1, max_fields=10)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise IntakeError("the upload has no `file` part: choose a report file")
    published = _field(form, "published")
    try:
        day = dt.date.fromisoformat(published) if published else None
    except ValueError:
        raise IntakeError("`published` must be a date as YYYY-MM-DD", field="published") from None
    meta = ReportMeta(_field(form, "source"), _field(form, "url"), day)
    filename = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:200]

    def receive() -> bytes:
        # The parser spooled the file to disk; read it back in chunks, counting.
        data = bytearray()
        while chunk := upload.file.read(256 * 1024):
            data += chunk
            if len(data) > limit:
                raise ReportTooLarge(f"a report may be at most {limit} bytes", limit=limit)
        return bytes(data)

    def ingest(data: bytes) -> IngestOutcome:
        store = store_of(ws)
        # Known bytes change nothing, so they need no key (and provision none).
        known = store.exists(hashlib.sha256(data).hexdigest())
        signer = ws.admin_signer if known else signer_for(ws, user.name, user.roles)
        outcome = ingest_bytes(store, signer, data, filename, meta,
                               media_type=upload.content_type
                               if upload.content_type not in (None, "application/octet-stream")
                               else None)
        if outcome.new:
            store.rebuild_incidents()
        return outcome

    try:
        data = await anyio.to_thread.run_sync(receive)
    finally:
        await upload.close()
    return await anyio.to_thread.run_sync(ingest, data)


# -- routes ------------------------------------------------------------------------------------

WsDep = Annotated[Workspace, Depends(get_workspace)]


@router.get("/reports", response_model=list[ReportOut], tags=["reports"],
            responses=error_responses(401, 403))
def list_reports(user: Reader, ws: WsDep) -> list[ReportOut]:
    """Every stored report, oldest publication first."""
    return [report_out(r) for r in snapshot(ws).records]


@router.get("/reports/{report_id}", response_model=ReportDetailOut, tags=["reports"],
            responses=error_responses(401, 403, 404))
def get_report(report_id: str, user: Reader, ws: WsDep) -> ReportDetailOut:
    """One report with its text and its extraction (claims, places, dates, agents, figures...)."""
    rec = store_of(ws).get(report_id)
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


@router.get("/claims", response_model=list[ClaimOut], tags=["claims"],
            responses={200: {"content": {"text/csv": {}}, "description": "JSON, or CSV with format=csv"},
                       **error_responses(401, 403, 422)})
def list_claims(user: Reader, ws: WsDep, flt: Annotated[ClaimFilter, Depends(claim_filter)],
                format: Annotated[str, Query(pattern="^(json|csv)$")] = "json",  # noqa: A002
                ) -> Any:
    """Every claim with its speaker, source and date, filtered; ``format=csv`` downloads a CSV file."""
    rows = flt.apply(snapshot(ws).rows)
    if format == "csv":
        return PlainTextResponse(to_csv(rows), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": 'attachment; filename="athar-claims.csv"'})
    return [ClaimOut(**{**r.__dict__, "places": list(r.places), "agents": list(r.agents),
                        "casualties": list(r.casualties), "perpetrators": list(r.perpetrators)})
            for r in rows]


_incident_lists: weakref.WeakKeyDictionary[Log, tuple[tuple[int, int], bytes]] = (
    weakref.WeakKeyDictionary())


@router.get("/incidents", response_model=list[IncidentOut], tags=["incidents"],
            responses=error_responses(401, 403))
def list_incidents(user: Reader, ws: WsDep) -> Response:
    """Every incident (claims grouped by place, date window and agent), by date.

    The encoded list is kept until the incidents are rebuilt or a report added.
    """
    log, store = ws.log(), store_of(ws)
    key = (store.generation(), snapshot(ws).count)
    cached = _incident_lists.get(log)
    if cached is None or cached[0] != key:
        items = incidents_out(ws, store.incidents())
        body = TypeAdapter(list[IncidentOut]).dump_json(items)
        cached = (key, body)
        _incident_lists[log] = cached
    return Response(cached[1], media_type="application/json")


@router.get("/incidents/{incident_id}", response_model=IncidentOut, tags=["incidents"],
            responses=error_responses(401, 403, 404))
def get_incident(incident_id: str, user: Reader, ws: WsDep) -> IncidentOut:
    """One incident (id or unique prefix) with every source's version and their relations."""
    if not _INCIDENT_ID.match(incident_id):
        raise NotFound(f"no incident {incident_id!r}")
    return incidents_out(ws, [store_of(ws).incident(incident_id)])[0]
