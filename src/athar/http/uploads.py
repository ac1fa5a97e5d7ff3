"""Uploads shared by the JSON API and the pages: exhibits (streamed) and reports (bounded).

An exhibit file arrives as a raw ``application/octet-stream`` body or as the ``file``
part of a multipart form; either way it is read in chunks from the request and
hashed and stored by :meth:`CustodyService.ingest` in a worker thread, so no
file is ever held whole in memory and a dropped upload leaves nothing behind.

A report upload must declare its length and stay under the limit
(:func:`bounded_body`, checked before a byte is read); the form parser spools
the file part to disk and it is read back in chunks, counted against the limit
again, before it is ingested and logged under the uploader's own actor key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import anyio.from_thread
from starlette.datastructures import UploadFile
from starlette.requests import Request

from athar.accounts.actor_keys import signer_for
from athar.accounts.users import User
from athar.custody.service import CustodyService, Recorded
from athar.errors import EntryRejected, IntakeError
from athar.incidents.service import IngestOutcome, ReportMeta, ingest_bytes
from athar.incidents.store import ReportStore
from athar.ledger.note import Signer
from athar.workspace import Workspace

__all__ = ["DEFAULT_MAX_REPORT_BYTES", "LengthRequired", "ReportTooLarge", "bounded_body", "ingest_request",
           "ingest_upload", "max_report_bytes", "request_signer"]

DEFAULT_MAX_REPORT_BYTES = 20 * 1024 * 1024
_FORM_SLACK = 64 * 1024  # multipart boundaries, headers and the small text fields


def request_signer(ws: Workspace, request: Request, user: User) -> Signer:
    """The logged-in user's own actor key."""
    if "x-athar-actor" in request.headers:
        raise EntryRejected("X-Athar-Actor is not accepted: events are signed with the key of "
                            "the user the session or API token belongs to")
    return signer_for(ws, user.name, user.roles)


async def _next_chunk(stream: AsyncIterator[bytes]) -> bytes:
    return await stream.__anext__()


class _SyncChunks:
    """A blocking iterator over an async byte stream, for use in a worker thread."""

    def __init__(self, stream: AsyncIterator[bytes]) -> None:
        self.stream = stream

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        try:
            chunk: bytes = anyio.from_thread.run(_next_chunk, self.stream)
            return chunk
        except StopAsyncIteration:
            raise StopIteration from None


async def _multipart_file(request: Request) -> tuple[AsyncIterator[bytes], str | None]:
    form = await request.form()
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise EntryRejected("multipart upload needs a 'file' part")

    async def chunks() -> AsyncIterator[bytes]:
        while chunk := await upload.read(1 << 20):
            yield chunk

    return chunks(), upload.filename


async def ingest_request(request: Request, ws: Workspace, user: User, *, name: str | None = None,
                         kind: str = "digital", code: str | None = None, parent: str | None = None,
                         at: str | None = None) -> Recorded:
    """Stream the request's file (octet-stream, or multipart 'file') into an exhibit signed by ``user``.

    Shared by the JSON route and the exhibits page; never reads the whole file into memory.
    """
    signer = await anyio.to_thread.run_sync(request_signer, ws, request, user)
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        stream, filename = await _multipart_file(request)
        name = name or filename
    elif ctype.startswith("application/octet-stream"):
        stream = request.stream().__aiter__()
    else:
        raise EntryRejected("send the file as application/octet-stream or multipart/form-data")
    svc = CustodyService.for_workspace(ws)

    def work() -> Recorded:
        return svc.ingest(_SyncChunks(stream), signer, name=name, kind=kind, code=code,
                          parent=parent, at=at)

    return await anyio.to_thread.run_sync(work)


# -- reports -----------------------------------------------------------------------------------

class ReportTooLarge(IntakeError):
    code = "payload_too_large"
    http_status = 413


class LengthRequired(IntakeError):
    code = "length_required"
    http_status = 411


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
        store = ReportStore(ws.log())
        # Known bytes change nothing, so they need no key (and provision none).
        known = store.exists(hashlib.sha256(data).hexdigest())
        signer = ws.admin_signer if known else signer_for(ws, user.name, user.roles)
        outcome = ingest_bytes(store, signer, data, filename, meta,
                               media_type=upload.content_type
                               if upload.content_type not in (None, "application/octet-stream")
                               else None)
        return outcome

    try:
        data = await anyio.to_thread.run_sync(receive)
    finally:
        await upload.close()
    return await anyio.to_thread.run_sync(ingest, data)
