"""The log page: size, latest checkpoints with their witness cosignatures, and an entry looked up.

Looking up an entry shows its JSON, its leaf hash and its inclusion proof in
the latest checkpoint, which the server checks with
:func:`athar.ledger.proof.verify_inclusion` before saying it holds.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from athar.accounts.users import User
from athar.errors import AtharError, VerificationError
from athar.http.deps import get_workspace, require_roles
from athar.ledger.hashing import leaf_hash
from athar.ledger.proof import verify_inclusion
from athar.log.server import Log
from athar.web import i18n
from athar.web.templating import templates
from athar.workspace import Workspace

__all__ = ["EntryLookup", "log_page", "lookup", "router"]

router = APIRouter(include_in_schema=False)
Reader = Annotated[User, Depends(require_roles())]


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode()


@dataclass(frozen=True)
class EntryLookup:
    """One entry with its inclusion proof in the tree of ``tree_size`` and whether it verified."""

    index: int
    entry: dict[str, Any]
    leaf_hash: bytes
    tree_size: int | None = None
    root: bytes | None = None
    proof: tuple[bytes, ...] = ()
    verified: bool = False
    problem: str = ""

    @property
    def pretty(self) -> str:
        return json.dumps(self.entry, indent=2, ensure_ascii=False, sort_keys=True)

    def b64(self, value: bytes) -> str:
        return _b64(value)


def lookup(log: Log, index: int) -> EntryLookup:
    """Entry ``index`` and its inclusion proof in the latest checkpoint, checked here."""
    data = log.entry(index)
    h = leaf_hash(data)
    entry = json.loads(data)
    size = log.latest_checkpoint().size
    if index >= size:
        return EntryLookup(index, entry, h)
    root = log.root(size)
    proof = tuple(log.inclusion_proof(index, size))
    try:
        verify_inclusion(h, index, size, proof, root)
    except VerificationError as exc:
        return EntryLookup(index, entry, h, size, root, proof, False, exc.message)
    return EntryLookup(index, entry, h, size, root, proof, True)


@router.get("/log", response_class=HTMLResponse)
def log_page(request: Request, user: Reader, ws: Annotated[Workspace, Depends(get_workspace)],
             index: Annotated[str | None, Query()] = None) -> HTMLResponse:
    """The log's size and checkpoints; with ``?index=N``, entry N and its verified inclusion proof."""
    log = ws.log()
    found: EntryLookup | None = None
    error = ""
    status = 200
    if index not in (None, ""):
        _ = i18n.translations(i18n.language_of(request)).gettext
        if not index.strip().isdigit():
            error, status = _("An entry index is a whole number from 0."), 422
        else:
            try:
                found = lookup(log, int(index))
            except AtharError:
                error = _("There is no entry %(index)s: the log holds %(size)s entries.") % {
                    "index": index.strip(), "size": log.size()}
                status = 404
    checkpoint = log.latest_checkpoint()
    return templates.TemplateResponse(request, "log.html", {
        "size": log.size(), "checkpoint": checkpoint, "root_b64": _b64(checkpoint.checkpoint.root_hash),
        "recent": log.checkpoints(20), "vkey": ws.vkey, "found": found, "error": error,
        "asked": index or ""}, status_code=status)
