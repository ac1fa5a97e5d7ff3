"""The log's JSON API under ``/api/v1/log`` and the C2SP paths ``/checkpoint`` and ``/tile``."""

from __future__ import annotations

import base64
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel, Field

from athar.api.errors import error_responses
from athar.errors import EntryRejected, NotFound
from athar.http.deps import get_log, get_workspace, require_roles
from athar.ledger.hashing import leaf_hash
from athar.ledger.tiles import parse_tile_path
from athar.log.server import AppendResult, Log
from athar.log.tiles_export import tile_bytes
from athar.workspace import Workspace

router = APIRouter(prefix="/api/v1/log", tags=["log"])
public = APIRouter(tags=["tiles"])

LogDep = Annotated[Log, Depends(get_log)]


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode()


class CheckpointOut(BaseModel):
    origin: str
    size: int
    root_hash: str = Field(description="base64 root hash")
    note: str = Field(description="the signed checkpoint note, with witness cosignatures")
    cosignatures: list[str]
    log_vkey: str


class EntryOut(BaseModel):
    index: int
    leaf_hash: str
    entry: dict[str, Any]


class InclusionOut(BaseModel):
    index: int
    tree_size: int
    leaf_hash: str
    root_hash: str
    proof: list[str]


class ConsistencyOut(BaseModel):
    size1: int
    size2: int
    root1: str
    root2: str
    proof: list[str]


class AppendOut(BaseModel):
    index: int
    leaf_hash: str
    duplicate: bool
    checkpoint: str | None = None
    tree_size: int | None = None
    proof: list[str] | None = None


class CosignatureIn(BaseModel):
    size: int
    cosignature: str


def _append_out(r: AppendResult) -> AppendOut:
    out = AppendOut(index=r.index, leaf_hash=_b64(r.leaf_hash), duplicate=r.duplicate)
    if r.checkpoint is not None and r.proof is not None:
        out.checkpoint = r.checkpoint.with_cosignatures()
        out.tree_size = r.checkpoint.size
        out.proof = [_b64(p) for p in r.proof]
    return out


@router.get("/checkpoint", response_model=CheckpointOut)
def checkpoint(log: LogDep, ws: Annotated[Workspace, Depends(get_workspace)]) -> CheckpointOut:
    """The latest signed checkpoint."""
    cp = log.latest_checkpoint()
    return CheckpointOut(origin=cp.checkpoint.origin, size=cp.size,
                         root_hash=_b64(cp.checkpoint.root_hash), note=cp.with_cosignatures(),
                         cosignatures=list(cp.cosignatures), log_vkey=ws.vkey)


@router.get("/checkpoints", response_model=list[CheckpointOut], responses=error_responses(422))
def checkpoints(log: LogDep, ws: Annotated[Workspace, Depends(get_workspace)],
                limit: Annotated[int, Query(ge=1, le=1000)] = 50) -> list[CheckpointOut]:
    """The newest checkpoints, newest first."""
    return [CheckpointOut(origin=c.checkpoint.origin, size=c.size,
                          root_hash=_b64(c.checkpoint.root_hash), note=c.with_cosignatures(),
                          cosignatures=list(c.cosignatures), log_vkey=ws.vkey)
            for c in log.checkpoints(limit)]


@router.get("/entries/{index}", response_model=EntryOut, responses=error_responses(404, 422))
def entry(index: int, log: LogDep) -> EntryOut:
    """One entry as JSON, with its leaf hash."""
    if not 0 <= index < 2**63:  # past SQLite's and PostgreSQL's 64-bit integers: surely absent
        raise NotFound(f"no entry at index {index}")
    data = log.entry(index)
    return EntryOut(index=index, leaf_hash=_b64(leaf_hash(data)), entry=json.loads(data))


@router.get("/proof/inclusion", response_model=InclusionOut,
            responses=error_responses(404, 422))
def inclusion(log: LogDep, index: Annotated[int, Query(ge=0)],
              size: Annotated[int | None, Query(ge=1)] = None) -> InclusionOut:
    """Inclusion proof of entry ``index`` (default size: the latest checkpoint)."""
    size = size if size is not None else log.latest_checkpoint().size
    proof = log.inclusion_proof(index, size)
    return InclusionOut(index=index, tree_size=size, leaf_hash=_b64(leaf_hash(log.entry(index))),
                        root_hash=_b64(log.root(size)), proof=[_b64(p) for p in proof])


@router.get("/proof/consistency", response_model=ConsistencyOut,
            responses=error_responses(404, 422))
def consistency(log: LogDep, size1: Annotated[int, Query(alias="from", ge=1)],
                size2: Annotated[int, Query(alias="to", ge=1)]) -> ConsistencyOut:
    """Consistency proof between two tree sizes."""
    proof = log.consistency_proof(size1, size2)
    return ConsistencyOut(size1=size1, size2=size2, root1=_b64(log.root(size1)),
                          root2=_b64(log.root(size2)), proof=[_b64(p) for p in proof])


@router.post("/append", response_model=AppendOut,
             responses=error_responses(401, 403, 409, 422, notes={
                 409: "a custody entry that breaks a custody rule",
                 422: "not a valid signed entry, over the size limit, or an invalid parameter"}),
             dependencies=[Depends(require_roles("investigator", "custodian", "lab", "admin"))])
async def append(request: Request, log: LogDep,
                 wait: Annotated[bool, Query(description="wait for the checkpoint and proof")] = False
                 ) -> AppendOut:
    """Append one signed entry (its canonical JSON bytes as the request body)."""
    limit = log.options.max_entry_bytes
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise EntryRejected(f"entry is over the {limit}-byte limit", limit=limit)
    import anyio

    result = await anyio.to_thread.run_sync(lambda: log.append(bytes(body), wait_checkpoint=wait))
    return _append_out(result)


@router.post("/cosignature", responses=error_responses(400, 404, 422, notes={
    404: "no checkpoint was published at that size",
    422: "not a valid cosignature from a trusted witness, or no witness is trusted"}))
def cosignature(payload: CosignatureIn, log: LogDep,
                ws: Annotated[Workspace, Depends(get_workspace)]) -> dict[str, str]:
    """Store a trusted witness's cosignature of one of our checkpoints."""
    from athar.witness import accept_cosignature

    if not ws.settings.witnesses:  # the caller's offer is refused, the server is fine (not a 500)
        raise EntryRejected("this log trusts no witnesses: set ATHAR_WITNESSES to their keys")
    name = accept_cosignature(log, list(ws.settings.witnesses), payload.size, payload.cosignature)
    return {"witness": name}


@public.get("/checkpoint", response_class=PlainTextResponse)
def checkpoint_text(log: LogDep) -> PlainTextResponse:
    """The latest checkpoint as C2SP text (tlog-tiles)."""
    return PlainTextResponse(log.latest_checkpoint().with_cosignatures(),
                             headers={"Cache-Control": "no-cache"})


@public.get("/tile/{path:path}", responses=error_responses(404))
def tile(path: str, log: LogDep) -> Response:
    """A C2SP tile or entry bundle."""
    level, n, width = parse_tile_path("tile/" + path)
    size = log.latest_checkpoint().size
    data = tile_bytes(log, level, n, width, size)
    if level == "entries" and len(data) == 0:
        raise NotFound("entry bundle is beyond the log")
    cache = "public, max-age=31536000, immutable" if width == 256 else "no-cache"
    return Response(data, media_type="application/octet-stream",
                    headers={"Cache-Control": cache})
