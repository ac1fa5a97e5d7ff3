"""Exhibit pages: the list with upload and registration forms, one exhibit's custody drawn as a chain.

Every page needs a logged-in user; the forms need a custody role (investigator,
custodian, lab, admin) and sign with that user's own actor key
(:mod:`athar.accounts.actor_keys`). The upload streams: the page's script sends the
file as ``application/octet-stream`` with a progress bar, and a plain form post
(multipart) works too; neither reads the file whole into memory.

The chain (:func:`build_chain`) groups the events by holder: a box per holder,
an arrow per hand-over from giver to receiver (dashed while the receipt is
pending), seal numbers on the events, custody gaps longer than the
``custody_max_gap_hours`` setting marked between events, broken seals in red.
A voided event stays in the chain, struck through with its correction's reason,
and shapes nothing (no hand-over arrow, no gap); the exhibit's latest event in
force offers a "correct this event" form to its author and to admins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from athar.accounts.actor_keys import CUSTODY_ROLES, signer_for
from athar.accounts.users import User
from athar.custody.events import (
    ACTIONS,
    CORRECTION_REASONS,
    SEAL_STATUSES,
    format_time,
    parse_time,
    valid_code,
)
from athar.custody.models import CustodyEvent, ExhibitState
from athar.custody.service import CustodyService
from athar.custody.verify import ChainReport
from athar.errors import AtharError, EntryRejected
from athar.http.deps import get_workspace, require_roles
from athar.http.uploads import ingest_request
from athar.log.identity import IdentityView
from athar.web import i18n
from athar.web.findings import finding_title
from athar.web.templating import templates
from athar.workspace import Workspace

__all__ = ["Chain", "build_chain", "event_fields", "router", "sensor_text"]

router = APIRouter(include_in_schema=False)
Reader = Annotated[User, Depends(require_roles())]
Writer = Annotated[User, Depends(require_roles("investigator", "custodian", "lab", "admin"))]
WsDep = Annotated[Workspace, Depends(get_workspace)]
_UPLOAD_KINDS = ("digital", "sensor", "report")
_FORM_FIELDS = ("to", "seals", "status", "seal_status", "voids", "correction_reason", "notes",
                "transport", "location", "collected_by", "witnesses", "reason", "portions",
                "result", "method", "conclusion", "recipient", "text", "party", "circumstances")


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _svc(ws: Workspace) -> CustodyService:
    return CustodyService.for_workspace(ws)


def _gettext(request: Request) -> Any:
    return i18n.translations(i18n.language_of(request)).gettext


def max_gap(ws: Workspace) -> timedelta:
    """The configured longest custody gap that is not marked."""
    return timedelta(hours=int(getattr(ws.settings, "custody_max_gap_hours", 48) or 48))


# -- the chain as drawn ------------------------------------------------------
@dataclass
class Node:
    """One event as drawn: who, when, what, and how it is flagged."""

    event: CustodyEvent
    who: str
    details: list[tuple[str, str]] = field(default_factory=list)
    committed: list[str] = field(default_factory=list)
    gap_before: timedelta | None = None
    broken: bool = False
    voided_by: CustodyEvent | None = None
    voids: CustodyEvent | None = None

    @property
    def action(self) -> str:
        return self.event.action


@dataclass
class Segment:
    """A stretch of custody by one holder (None: outside Athar's custody)."""

    holder: str | None
    nodes: list[Node] = field(default_factory=list)
    unverified: bool = False
    type: str = "segment"


@dataclass
class Transfer:
    """A hand-over from ``giver`` to ``receiver``: the giver's event and the receiver's receipt."""

    giver: str | None
    receiver: str
    handed: Node
    received: Node | None = None
    notes: list[Node] = field(default_factory=list)
    type: str = "transfer"


@dataclass
class Chain:
    """An exhibit's custody as segments and transfers, in order."""

    items: list[Segment | Transfer]
    gaps: int = 0
    broken: bool = False


def _details(ev: CustodyEvent) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for key, value in ev.body.items():
        if key in ("exhibit", "prev", "at", "commit", "voids", "reason") or value is None:
            continue
        if key == "seals":
            out.append((key, ", ".join(value)))
        elif key == "portions":
            out.append((key, ", ".join(p["code"] + (f" ({p['quantity']})" if "quantity" in p else "")
                                       for p in value)))
        elif key == "blob":
            out.append(("sha256", value["sha256"]))
            out.append(("size", str(value["size"])))
            out.append(("media_type", value["media_type"]))
        elif key == "metadata":
            for mk, mv in value.items():
                text = sensor_text(mv) if mk == "sensor" and isinstance(mv, dict) else None
                out.append((mk, text or (mv if isinstance(mv, str) else _short_json(mv))))
        else:
            out.append((key, value if isinstance(value, str) else _short_json(value)))
    return out


def sensor_text(summary: dict[str, Any]) -> str:
    """A sensor summary in one line: readings, time range, devices, peak per quantity."""
    try:
        peaks = "; ".join(f"max {q} = {p['value']:g} {p['unit']} ({p['device']}, {p['time']})"
                          for q, p in summary.get("peaks", {}).items())
        return (f"n = {summary['readings']}; {summary['start']} – {summary['end']}; "
                f"{', '.join(summary.get('devices', []))}; {peaks}")
    except (KeyError, TypeError, ValueError, AttributeError):
        return _short_json(summary)


def _short_json(value: Any) -> str:
    import json

    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 200 else text[:199] + "…"


def build_chain(events: list[CustodyEvent], who_of: dict[str, str], gap: timedelta | None) -> Chain:
    """Group ``events`` by holder, with hand-overs between them and long gaps marked."""
    chain = Chain([])
    current: Segment | None = None
    pending: Transfer | None = None
    last_at: datetime | None = None
    by_leaf = {ev.leaf_hash: ev for ev in events}
    voided = {ev.body["voids"]: ev for ev in events if ev.action == "correction"}
    for ev in events:
        who = who_of.get(ev.author, ev.author.split("+", 1)[0])
        node = Node(ev, who, _details(ev), sorted(ev.body.get("commit", {})),
                    voided_by=voided.get(ev.leaf_hash),
                    voids=by_leaf.get(ev.body.get("voids", "")))
        if node.voided_by is not None or ev.action == "correction":
            if pending is not None:
                pending.notes.append(node)
            else:
                if current is None:
                    current = Segment(who, [])
                    chain.items.append(current)
                current.nodes.append(node)
            continue
        at = parse_time(ev.at)
        if last_at is not None and gap is not None and at - last_at > gap:
            node.gap_before = at - last_at
            chain.gaps += 1
        last_at = at
        action = ev.action
        if action == "seal_checked" and ev.body.get("status") == "broken":
            node.broken = chain.broken = True
        if pending is not None:
            if action == "received":
                pending.received = node
                current = Segment(who, [])
                chain.items.append(current)
                pending = None
            else:
                pending.notes.append(node)
            continue
        if action == "handed_over":
            pending = Transfer(current.holder if current else who, str(ev.body.get("to")), node)
            chain.items.append(pending)
            current = None
            continue
        if action == "received_from_unverified_party" or current is None or (
                current.holder is None and action != "note"):
            current = Segment(who, [], unverified=action == "received_from_unverified_party")
            chain.items.append(current)
        current.nodes.append(node)
        if action in ("returned", "destroyed"):
            current = Segment(None, [])
            if action == "returned":
                chain.items.append(current)
    return chain


# -- the event form ------------------------------------------------------------
def _seal_list(text: str) -> list[str]:
    return [s for s in re.split(r"[,\s]+", text.strip()) if s]


def _portions(text: str) -> list[dict[str, str]]:
    out = []
    for part in re.split(r"[,\n]+", text):
        part = part.strip()
        if not part:
            continue
        code, _, qty = part.partition(":")
        item = {"code": code.strip()}
        if qty.strip():
            item["quantity"] = qty.strip()
        out.append(item)
    return out


def _form_time(value: str) -> str | None:
    """A form's ``datetime-local`` (taken as UTC) or RFC 3339 value; None for now."""
    value = value.strip()
    if not value:
        return None
    if value.endswith("Z"):
        return value
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise EntryRejected(f"event time {value!r} must look like 2024-05-01T10:00") from None
    return format_time(when.replace(tzinfo=when.tzinfo or UTC))


def event_fields(action: str, form: dict[str, str], state: ExhibitState) -> tuple[
        dict[str, Any], dict[str, Any]]:
    """The public and committed fields of ``action`` from the event form's values."""
    if action not in ACTIONS or action == "registered":
        raise EntryRejected("choose the event to record")
    f = {k: form.get(k, "").strip() for k in _FORM_FIELDS}
    public: dict[str, Any] = {}
    private: dict[str, Any] = {}
    notes = f["notes"] or None
    if action == "collected":
        private = {"location": f["location"] or None, "collected_by": f["collected_by"] or None,
                   "witnesses": f["witnesses"] or None, "notes": notes}
    elif action in ("sealed", "seal_checked"):
        public["seals"] = _seal_list(f["seals"]) or list(state.seals)
        if action == "seal_checked":
            public["status"] = f["status"] or "intact"
        private = {"notes": notes}
    elif action == "handed_over":
        if not f["to"]:
            raise EntryRejected("name the actor the exhibit is handed over to")
        public["to"] = f["to"]
        private = {"notes": notes, "transport": f["transport"] or None}
    elif action == "received":
        if state.pending_from:
            public["from"] = state.pending_from
        private = {"notes": notes}
    elif action == "opened":
        status = f["seal_status"] or ("" if state.seals else "none")
        if not status:
            raise EntryRejected("say whether the seals were intact or broken when it was opened")
        public["seal_status"] = status
        private = {"reason": f["reason"] or None, "notes": notes}
    elif action == "correction":
        public = {"voids": f["voids"], "reason": f["correction_reason"] or "other"}
        private = {"notes": notes}
    elif action == "split":
        public["portions"] = _portions(f["portions"])
        private = {"notes": notes}
    elif action == "analysed":
        public = {"result": f["result"], "method": f["method"]}
        private = {"notes": notes, "conclusion": f["conclusion"] or None}
    elif action == "stored":
        private = {"location": f["location"] or None, "notes": notes}
    elif action == "returned":
        private = {"recipient": f["recipient"] or None, "notes": notes}
    elif action == "destroyed":
        public["method"] = f["method"] or "unspecified"
        private = {"notes": notes}
    elif action == "note":
        if not (f["text"] or notes):
            raise EntryRejected("write the note's text")
        private = {"text": f["text"] or notes}
    elif action == "received_from_unverified_party":
        private = {"party": f["party"] or None, "circumstances": f["circumstances"] or None,
                   "notes": notes}
    return public, {k: v for k, v in private.items() if v is not None}


# -- pages ---------------------------------------------------------------------
def _actors(ws: Workspace) -> list[tuple[str, str, tuple[str, ...]]]:
    """Actors that can hold an exhibit: (id, name, roles)."""
    return [(a.actor_id, a.name, a.roles) for a in IdentityView(ws.log()).actors()
            if set(a.roles) & CUSTODY_ROLES and len(a.revoked_keys) < len(a.keys)]


def _list(request: Request, ws: Workspace, user: User, error: str = "",
          status: int = 200) -> HTMLResponse:
    svc = _svc(ws)
    rows = []
    for ex in svc.exhibits():
        st = svc.state(ex.exhibit_id)
        rows.append((ex, st))
    return templates.TemplateResponse(request, "exhibits.html", {
        "rows": rows, "error": error, "can_write": user.has_any(CUSTODY_ROLES),
        "kinds": _UPLOAD_KINDS}, status_code=status)


@router.get("/exhibits", response_class=HTMLResponse)
def exhibits_page(request: Request, user: Reader, ws: WsDep) -> HTMLResponse:
    """Every exhibit with its holder and flags; upload and registration for custody roles."""
    return _list(request, ws, user)


@router.post("/exhibits/upload")
async def upload_page(
    request: Request, user: Writer, ws: WsDep,
    name: Annotated[str | None, Query(max_length=255)] = None,
    kind: Annotated[str, Query(pattern="^(digital|sensor|report)$")] = "digital",
    code: Annotated[str | None, Query(max_length=64)] = None,
    parent: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """Stream a file in (the page's script sends octet-stream; a plain form sends multipart).

    Answers JSON ``{exhibit, url}`` to the script and a redirect to the exhibit page to a form.
    """
    wants_json = "application/json" in request.headers.get("accept", "")
    _ = _gettext(request)
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        fields = await request.form()  # the file part is spooled by Starlette, not held in memory
        chosen = fields.get("kind")
        kind = chosen if isinstance(chosen, str) and chosen in _UPLOAD_KINDS else kind
        code = code or _text(fields.get("code"))
        parent = parent or _text(fields.get("parent"))
    try:
        rec = await ingest_request(request, ws, user, name=name or None, kind=kind,
                                   code=code or None, parent=parent or None)
    except AtharError as exc:
        if wants_json:
            raise
        message = _("The file could not be registered: %(reason)s") % {"reason": exc.message}
        return _list(request, ws, user, message, exc.http_status)
    url = "/exhibits/" + quote(rec.exhibit_id) + ("?known=1" if rec.duplicate else "?new=1")
    if wants_json:
        return JSONResponse({"exhibit": rec.exhibit_id, "index": rec.index, "url": url})
    return RedirectResponse(url, status_code=303)


@router.post("/exhibits/physical")
async def physical_page(request: Request, user: Writer, ws: WsDep) -> Response:
    """Register a physical sample from the form; go to its page."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    _ = _gettext(request)
    public = {k: form[k].strip() for k in ("container", "quantity") if form.get(k, "").strip()}
    private = {k: form[k].strip() for k in ("description", "location", "collected_by")
               if form.get(k, "").strip()}
    code = form.get("code", "").strip() or None
    try:
        if code is not None and not valid_code(code):
            raise EntryRejected(f"exhibit code {code!r} must be 1-64 of A-Za-z0-9._-")
        at = _form_time(form.get("at", ""))
        signer = signer_for(ws, user.name, user.roles)
        rec = _svc(ws).register_physical(signer, code=code, parent=form.get("parent", "").strip()
                                         or None, at=at, public=public, private=private)
    except AtharError as exc:
        message = _("The sample could not be registered: %(reason)s") % {"reason": exc.message}
        return _list(request, ws, user, message, exc.http_status)
    return RedirectResponse("/exhibits/" + quote(rec.exhibit_id) + "?new=1", status_code=303)


def _exhibit(request: Request, ws: Workspace, user: User, code: str, *,
             report: ChainReport | None = None, error: str = "", status: int = 200,
             form: dict[str, str] | None = None) -> HTMLResponse:
    svc = _svc(ws)
    ex = svc.exhibit(code)
    st = svc.state(code)
    events = svc.timeline(code)
    identity = IdentityView(ws.log())
    who_of = {e.author: identity.actor_for_vkey(e.author) or e.author.split("+", 1)[0]
              for e in events}
    gap = max_gap(ws)
    chain = build_chain(events, who_of, gap)
    me = user.name
    can_write = user.has_any(CUSTODY_ROLES)
    top = st.undo[-1] if st.undo else None
    correctable = top.leaf if top and can_write and (
        top.who == me or "admin" in user.roles) else ""
    return templates.TemplateResponse(request, "exhibit.html", {
        "ex": ex, "st": st, "chain": chain, "events": events, "report": report, "error": error,
        "gap_hours": int(gap.total_seconds() // 3600), "can_write": can_write,
        "is_holder": st.holder == me, "awaits_me": st.pending_to == me,
        "actors": [a for a in _actors(ws) if a[0] != me],
        "actions": [a for a in ACTIONS[1:] if a != "correction"], "correctable": correctable,
        "reasons": CORRECTION_REASONS, "seal_statuses": SEAL_STATUSES,
        "form": form or {}, "just_added": "new" in request.query_params,
        "known": "known" in request.query_params,
        "recorded": request.query_params.get("recorded", ""),
        "children": st.children, "sensor_text": sensor_text, "finding_title": finding_title,
    }, status_code=status)


@router.get("/exhibits/{code}", response_class=HTMLResponse)
def exhibit_page(request: Request, code: str, user: Reader, ws: WsDep) -> HTMLResponse:
    """One exhibit: its facts, its custody drawn as a chain, the next-event form and Verify."""
    return _exhibit(request, ws, user, code)


@router.get("/exhibits/{code}/verify", response_class=HTMLResponse)
def verify_page(request: Request, code: str, user: Reader, ws: WsDep,
                max_gap_hours: Annotated[int | None, Query(ge=1, le=876_000)] = None,
                ) -> HTMLResponse:
    """Run the full check (signatures, links, rules, inclusion, blob) and show the verdict."""
    gap = max_gap(ws) if max_gap_hours is None else timedelta(hours=max_gap_hours)
    report = _svc(ws).verify(code, gap)
    return _exhibit(request, ws, user, code, report=report)


@router.post("/exhibits/{code}/events")
async def event_page(request: Request, code: str, user: Writer, ws: WsDep) -> Response:
    """Record the next event from the form, signed with the user's key; refusals stay on the page."""
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    _ = _gettext(request)
    svc = _svc(ws)
    st = svc.state(code)
    try:
        action = form.get("action", "").strip()
        public, private = event_fields(action, form, st)
        at = _form_time(form.get("at", ""))
        signer = signer_for(ws, user.name, user.roles)
        rec = svc.record(code, action, signer, at=at, public=public, private=private)
    except AtharError as exc:
        message = _("The event was not recorded: %(reason)s") % {"reason": exc.message}
        return _exhibit(request, ws, user, code, error=message, status=exc.http_status, form=form)
    return RedirectResponse(f"/exhibits/{quote(code)}?recorded={rec.index}#event-{rec.index}",
                            status_code=303)
