"""Custody JSON API under ``/api/v1``: exhibits, events, timelines, verification, export.

Uploads stream (raw ``application/octet-stream`` bodies through
``request.stream()``, or multipart in chunks): no file is ever read whole into
memory, and a dropped upload leaves no blob and no entry. Responses carry only
public fields; committed values never leave through this API.

Every event is signed with the key of the user making the request (session or
API token): the actor the server made for them (:mod:`athar.accounts.actor_keys`),
so a hand-over is signed by its giver and a receipt by its receiver. The old
``X-Athar-Actor`` header, which let any writer sign as another actor, is refused.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask

from athar.accounts.users import User
from athar.api.errors import error_responses
from athar.custody.models import CustodyEvent, Exhibit
from athar.custody.service import CustodyService
from athar.http.deps import get_workspace, require_roles
from athar.http.uploads import ingest_request, request_signer
from athar.workspace import Workspace

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["custody"])
WRITERS = require_roles("investigator", "custodian", "lab", "admin")
READERS = require_roles()
WsDep = Annotated[Workspace, Depends(get_workspace)]
Writer = Annotated[User, Depends(WRITERS)]


def _service(ws: Workspace) -> CustodyService:
    return CustodyService.for_workspace(ws)


class ExhibitOut(BaseModel):
    exhibit: str
    kind: str
    parent: str | None
    registered_index: int
    registered_leaf: str
    sha256: str | None
    size: int | None
    media_type: str | None
    public: dict[str, Any]
    state: dict[str, Any] | None = None


class EventOut(BaseModel):
    index: int
    leaf_hash: str
    kind: str
    exhibit: str
    prev: str | None
    at: str
    author: str
    body: dict[str, Any] = Field(description="the logged body: public fields and commitments")


class RecordedOut(BaseModel):
    index: int
    leaf_hash: str
    exhibit: str
    duplicate: bool


class PhysicalIn(BaseModel):
    code: str | None = None
    parent: str | None = None
    at: str | None = None
    public: dict[str, Any] = Field(default_factory=dict, description="container, quantity")
    private: dict[str, Any] = Field(default_factory=dict, description="committed fields")


class EventIn(BaseModel):
    action: str
    at: str | None = None
    public: dict[str, Any] = Field(default_factory=dict)
    private: dict[str, Any] = Field(default_factory=dict)


class ExportIn(BaseModel):
    exhibits: list[str] = Field(min_length=1)
    blobs: bool = False


def _ex(e: Exhibit, state: dict[str, Any] | None = None) -> ExhibitOut:
    return ExhibitOut(exhibit=e.exhibit_id, kind=e.kind, parent=e.parent_id,
                      registered_index=e.registered_index, registered_leaf=e.registered_leaf,
                      sha256=e.sha256, size=e.size, media_type=e.media_type, public=e.public,
                      state=state)


def _ev(e: CustodyEvent) -> EventOut:
    return EventOut(index=e.index, leaf_hash=e.leaf_hash, kind=e.kind, exhibit=e.exhibit_id,
                    prev=e.prev, at=e.at, author=e.author, body=e.body)


@router.get("/exhibits", response_model=list[ExhibitOut], dependencies=[Depends(READERS)],
            responses=error_responses(401, 403, 422))
def list_exhibits(ws: WsDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                  offset: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0) -> list[ExhibitOut]:
    """Registered exhibits (public fields), in registration order."""
    return [_ex(e) for e in _service(ws).exhibits(limit, offset)]


@router.get("/exhibits/{code}", response_model=ExhibitOut, dependencies=[Depends(READERS)],
            responses=error_responses(401, 403, 404))
def get_exhibit(code: str, ws: WsDep) -> ExhibitOut:
    """One exhibit with its current custody state."""
    svc = _service(ws)
    return _ex(svc.exhibit(code), svc.state(code).to_json())


@router.post("/exhibits", response_model=RecordedOut,
             responses=error_responses(400, 401, 403, 409, 422, notes={
                 409: "the code is taken, or the parent exhibit is not registered",
                 422: "not a file upload, an invalid parameter or code, or unreadable sensor data"}))
async def upload_exhibit(
    request: Request, ws: WsDep, user: Writer,
    name: Annotated[str | None, Query(description="original file name (kept private)")] = None,
    kind: Annotated[str, Query(pattern="^(digital|sensor|report)$")] = "digital",
    code: str | None = None, parent: str | None = None, at: str | None = None,
) -> RecordedOut:
    """Register a file: the body streams (octet-stream, or multipart with a 'file' part)."""
    r = await ingest_request(request, ws, user, name=name, kind=kind, code=code, parent=parent,
                             at=at)
    return RecordedOut(index=r.index, leaf_hash=r.leaf_hash, exhibit=r.exhibit_id,
                       duplicate=r.duplicate)


@router.post("/exhibits/physical", response_model=RecordedOut,
             responses=error_responses(400, 401, 403, 409, 422, notes={
                 409: "the code is taken, or the parent exhibit is not registered"}))
def register_physical(payload: PhysicalIn, request: Request, ws: WsDep, user: Writer) -> RecordedOut:
    """Register a sample or object; ``private`` fields are committed, never logged in clear."""
    r = _service(ws).register_physical(request_signer(ws, request, user), code=payload.code,
                                       parent=payload.parent, at=payload.at,
                                       public=payload.public, private=payload.private)
    return RecordedOut(index=r.index, leaf_hash=r.leaf_hash, exhibit=r.exhibit_id,
                       duplicate=r.duplicate)


@router.post("/exhibits/{code}/events", response_model=RecordedOut,
             responses=error_responses(400, 401, 403, 404, 409, 422))
def record_event(code: str, payload: EventIn, request: Request, ws: WsDep,
                 user: Writer) -> RecordedOut:
    """Record one custody event after the exhibit's latest event (409 if a rule forbids it)."""
    r = _service(ws).record(code, payload.action, request_signer(ws, request, user), at=payload.at,
                            public=payload.public, private=payload.private)
    return RecordedOut(index=r.index, leaf_hash=r.leaf_hash, exhibit=r.exhibit_id,
                       duplicate=r.duplicate)


@router.get("/exhibits/{code}/timeline", response_model=list[EventOut],
            dependencies=[Depends(READERS)], responses=error_responses(401, 403, 404))
def timeline(code: str, ws: WsDep) -> list[EventOut]:
    """The exhibit's custody events in log order (public fields and commitments only)."""
    return [_ev(e) for e in _service(ws).timeline(code)]


@router.get("/exhibits/{code}/verify", dependencies=[Depends(READERS)],
            responses=error_responses(401, 403, 404, 422))
def verify(code: str, ws: WsDep,
           max_gap_hours: Annotated[float | None, Query(gt=0, le=876_000)] = None) -> dict[str, Any]:
    """Verify the exhibit's chain: signatures, links, rules, inclusion, blob; as findings."""
    gap = None if max_gap_hours is None else timedelta(hours=max_gap_hours)
    report = _service(ws).verify(code, gap)
    return {"exhibit": code, "intact": report.intact, "clean": report.clean,
            "findings": [f.to_json() for f in report.findings]}


@router.post("/export", dependencies=[Depends(WRITERS)], response_class=FileResponse,
             responses={200: {"content": {"application/zip": {}}, "description": "the bundle (zip)"},
                        **error_responses(400, 401, 403, 404, 422)})
def export(payload: ExportIn, ws: WsDep) -> FileResponse:
    """An offline-verifiable bundle (zip) of the exhibits' custody; no disclosures here."""
    from athar.report.export import export_bundle

    svc = _service(ws)
    for code in payload.exhibits:
        svc.state(code)
    tmpdir = Path(tempfile.mkdtemp(prefix="athar-export-"))
    out = tmpdir / "bundle.zip"
    try:
        export_bundle(svc, payload.exhibits, out, include_blobs=payload.blobs)
    except BaseException:
        _cleanup(tmpdir)
        raise
    return FileResponse(out, media_type="application/zip", filename="athar-bundle.zip",
                        background=BackgroundTask(_cleanup, tmpdir))


def _cleanup(d: Path) -> None:
    import shutil

    shutil.rmtree(d, ignore_errors=True)


