"""Pages for cases: the signed-in home (my cases and what waits in each), a case, its review queue.

Who sees a case: its team and admins always; anyone (signed in or not) once it
is published; anyone else gets 404, as if it did not exist. Every form posts one
signed log entry with the user's own key, naming the state the page showed
(``seen``): when someone changed it in between, the page comes back (409) and
says what the newer decision is, and nothing is written.

The review queue shows one claim at a time inside its report; ``review.js``
binds the keys (``j``/``k`` or the arrows to move, ``a`` accept, ``r`` reject,
``e`` edit, ``n`` add from the selected text) and turns a text selection into
character offsets. Without JavaScript the same forms still post.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from athar.accounts.users import User
from athar.cases.entries import CASE_ROLES, CASE_STATUSES, ITEM_TYPES, SPEAKER_TYPES
from athar.cases.service import CaseService, CaseView, ReviewedClaim
from athar.custody.service import CustodyService
from athar.errors import AtharError, AuthError, Conflict, EntryRejected, Forbidden, IntakeError, NotFound
from athar.http.auth import current_user
from athar.http.deps import get_workspace, report_store, require_roles
from athar.http.uploads import bounded_body, ingest_upload, request_signer
from athar.web import i18n
from athar.web.findings import finding_title
from athar.web.highlight import Span, render
from athar.web.pages_intake import headline, headline_of
from athar.web.templating import templates
from athar.workspace import Workspace

__all__ = ["case_page", "cases_page", "router", "work_home"]

router = APIRouter(include_in_schema=False)
WsDep = Annotated[Workspace, Depends(get_workspace)]
Reader = Annotated[User, Depends(require_roles())]
Opener = Annotated[User, Depends(require_roles("investigator", "admin"))]
Member = Annotated[User, Depends(require_roles("admin", "investigator", "custodian", "lab", "reviewer"))]
Reviewer = Annotated[User, Depends(require_roles("reviewer", "investigator", "admin"))]
SIGNERS = frozenset({"admin", "investigator", "custodian", "lab", "reviewer"})
REVIEWERS = frozenset({"reviewer", "investigator", "admin"})
_FINDINGS = "cases.findings"


def _svc(ws: Workspace) -> CaseService:
    return CaseService(ws.log())


def _viewer(request: Request) -> User | None:
    try:
        return current_user(request)
    except AuthError:
        return None


def _visible(svc: CaseService, case_id: str, user: User | None, *, team_only: bool = False) -> CaseView:
    """The case if ``user`` may see it (``team_only``: its team and admins); NotFound otherwise."""
    try:
        case = svc.case(case_id)
    except NotFound:
        raise NotFound(f"no case {case_id}") from None
    admin = user is not None and "admin" in user.roles
    name = user.name if user is not None else None
    allowed = (admin or (name is not None and case.role_of(name) is not None)) if team_only \
        else case.visible_to(name, admin=admin)
    if not allowed:
        raise NotFound(f"no case {case_id}")
    return case


def _message(exc: AtharError) -> str:
    return exc.message


# -- what waits in a case ------------------------------------------------------------------------

def exhibit_findings(ws: Workspace, codes: list[str]) -> list[dict[str, Any]]:
    """The custody findings of ``codes`` (gaps, hand-overs without a receipt, broken seals ...).

    Each exhibit's are kept on the workspace until the signed checkpoint moves or an event
    is recorded on it, its portions or results (verifying hashes its files: not on every view).
    """
    log = ws.log()
    checkpoint = log.latest_checkpoint().checkpoint.size
    cache = ws.cache.get(_FINDINGS)
    if not isinstance(cache, dict):
        cache = ws.cache[_FINDINGS] = {}
    custody = CustodyService.for_workspace(ws)
    out = []
    for code in codes:
        try:
            closure = custody.closure([code])
        except NotFound:
            continue
        marks = ", ".join("?" * len(closure))
        newest = log.read(f"SELECT MAX(idx) FROM custody_events WHERE exhibit_id IN ({marks})",  # noqa: S608
                          tuple(closure))[0][0]
        key = (checkpoint, newest)
        hit = cache.get(code)
        if not (isinstance(hit, tuple) and hit[0] == key):
            report = custody.verify(code, max_gap=timedelta(hours=ws.settings.custody_max_gap_hours))
            hit = (key, [(f.severity, f.code, f.message) for f in report.findings])
            cache[code] = hit
        out += [{"exhibit": code, "severity": s, "code": c, "title": finding_title(c), "message": m}
                for s, c, m in hit[1]]
    return out


def _waiting(ws: Workspace, svc: CaseService, case: CaseView, *, activity: int = 5,
             to_review: int | None = None) -> dict[str, Any]:
    exhibits = [k.item_id for k in case.links if k.item_type == "exhibit"]
    if to_review is None:
        to_review = len(svc.queue(case.case_id))
    return {"to_review": to_review, "exhibits": len(exhibits),
            "findings": exhibit_findings(ws, exhibits),
            "unlinked": svc.unlinked_exhibits(case.case_id, limit=20),
            "activity": svc.activity(case.case_id, limit=activity)}


def work_home(request: Request, ws: Workspace, user: User, error: str = "",
              status: int = 200) -> HTMLResponse:
    """The signed-in home: the user's cases (an admin's: all), each with what waits in it."""
    svc = _svc(ws)
    cards = []
    for summary in svc.cases_for(user.name, everything="admin" in user.roles):
        case = svc.case(summary.case_id)
        cards.append({"case": case, "role": summary.role,
                      **_waiting(ws, svc, case, to_review=summary.to_review)})
    log = ws.log()
    return templates.TemplateResponse(request, "work.html", {
        "cards": cards, "can_open": user.has_any(frozenset({"investigator", "admin"})), "error": error,
        "size": log.size(), "checkpoint": log.latest_checkpoint(), "vkey": ws.vkey}, status_code=status)


# -- pages ---------------------------------------------------------------------------------------

@router.get("/cases", response_class=HTMLResponse)
def cases_page(request: Request, ws: WsDep) -> HTMLResponse:
    """Signed in: my cases (an admin's: all) and a form to open one; anyone else: published cases."""
    user = _viewer(request)
    if user is not None:
        return work_home(request, ws, user)
    published = _svc(ws).cases_for(None)
    return templates.TemplateResponse(request, "cases.html", {"published": published})


@router.post("/cases")
async def open_case(request: Request, user: Opener, ws: WsDep) -> Response:
    """Open a case from the form; its author becomes its lead."""
    form = await request.form()
    case_id, name = str(form.get("case_id") or "").strip(), str(form.get("name") or "").strip()
    try:
        _svc(ws).create(request_signer(ws, request, user), case_id, name, str(form.get("summary") or ""))
    except (EntryRejected, Forbidden) as exc:
        return work_home(request, ws, user, _message(exc), exc.http_status)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


def _headlines(ws: Workspace, report_ids: list[str]) -> dict[str, str]:
    """What to call each report, read from its first lines only (a case may link a thousand)."""
    out: dict[str, str] = {}
    for at in range(0, len(report_ids), 500):
        chunk = report_ids[at:at + 500]
        marks = ", ".join("?" * len(chunk))
        for rid, title, head, filename in ws.log().read(
                f"SELECT report_id, title, substr(text, 1, 600), filename FROM reports "  # noqa: S608
                f"WHERE report_id IN ({marks})", tuple(chunk)):
            out[rid] = headline_of(title, head, filename)
    return out


def _link_target(item_type: str, item_id: str, names: dict[str, str]) -> tuple[str, str]:
    """Where a linked item's page is, and what to call it."""
    if item_type == "report":
        return f"/reports/{item_id}", names.get(item_id, item_id[:12] + "…")
    if item_type == "claim":
        rid, _, key = item_id.partition(":")
        return f"/reports/{rid}#claim-{key}", names.get(rid, rid[:12] + "…") + f" · #{key}"
    if item_type == "incident":
        return f"/incidents/{item_id}", item_id
    return f"/exhibits/{item_id}", item_id


def _case_context(request: Request, ws: Workspace, case: CaseView, user: User | None) -> dict[str, Any]:
    svc = _svc(ws)
    names = _headlines(ws, list(dict.fromkeys(k.item_id.partition(":")[0] for k in case.links
                                              if k.item_type in ("report", "claim"))))
    groups: dict[str, list[dict[str, Any]]] = {t: [] for t in ITEM_TYPES}
    for k in case.links:
        href, label = _link_target(k.item_type, k.item_id, names)
        groups.setdefault(k.item_type, []).append({"link": k, "href": href, "label": label})
    name = user.name if user else None
    admin = user is not None and "admin" in user.roles
    on_team = admin or (name is not None and case.role_of(name) is not None)
    role = case.role_of(name) if name else None
    return {"case": case, "groups": groups, "on_team": on_team, "role": role,
            "can_act": on_team and user is not None and user.has_any(SIGNERS),
            "can_lead": admin or role == "lead",
            "can_review": on_team and user is not None and user.has_any(REVIEWERS),
            "roles": CASE_ROLES, "statuses": CASE_STATUSES, "item_types": ITEM_TYPES,
            **(_waiting(ws, svc, case, activity=10) if on_team else
               {"to_review": 0, "exhibits": 0, "findings": [], "unlinked": [], "activity": []})}


def _case_response(request: Request, ws: Workspace, case: CaseView, user: User | None,
                   error: str = "", status: int = 200, notice: str = "") -> HTMLResponse:
    ctx = _case_context(request, ws, case, user)
    return templates.TemplateResponse(request, "case.html", {**ctx, "error": error, "notice": notice},
                                      status_code=status)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: str, ws: WsDep) -> HTMLResponse:
    """A case: summary, status, team, links by type, what waits, and the forms to change it."""
    user = _viewer(request)
    case = _visible(_svc(ws), case_id, user)
    notice = {"linked": "linked", "uploaded": "uploaded"}.get(request.query_params.get("done", ""), "")
    return _case_response(request, ws, case, user, notice=notice)


async def _change(request: Request, ws: Workspace, user: User, case_id: str, kind: str) -> Response:
    svc = _svc(ws)
    case = _visible(svc, case_id, user, team_only=True)
    form = await request.form()

    def field(name: str, default: str = "") -> str:
        value = form.get(name)
        return value.strip() if isinstance(value, str) else default

    seen = field("seen") or None
    try:
        signer = request_signer(ws, request, user)
        if kind == "member":
            svc.member(signer, case_id, seen, field("actor_id"), field("role", "investigator"),
                       field("action", "add"))
        elif kind == "link":
            svc.link(signer, case_id, seen, field("item_type"), field("item_id"), field("note"),
                     field("action", "link"))
        else:
            svc.update(signer, case_id, seen, status=field("status"))
    except (EntryRejected, Forbidden, NotFound) as exc:
        return _case_response(request, ws, svc.case(case_id) if isinstance(exc, Conflict) else case,
                              user, error=_message(exc), status=exc.http_status)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.post("/cases/{case_id}/members")
async def case_member(request: Request, case_id: str, user: Member, ws: WsDep) -> Response:
    """Add a member with a role in the case (or remove one): the case's lead or an admin."""
    return await _change(request, ws, user, case_id, "member")


@router.post("/cases/{case_id}/links")
async def case_link(request: Request, case_id: str, user: Member, ws: WsDep) -> Response:
    """Link an incident, report, claim or exhibit to the case with a note (or unlink it)."""
    return await _change(request, ws, user, case_id, "link")


@router.post("/cases/{case_id}/status")
async def case_status(request: Request, case_id: str, user: Member, ws: WsDep) -> Response:
    """Open, close or publish the case: its lead or an admin."""
    return await _change(request, ws, user, case_id, "status")


@router.post("/cases/{case_id}/reports", dependencies=[Depends(bounded_body)])
async def case_upload(request: Request, case_id: str, user: Opener, ws: WsDep) -> Response:
    """Take in a report and link it to the case: two signed steps, the report's then the link."""
    svc = _svc(ws)
    _visible(svc, case_id, user, team_only=True)
    try:
        outcome = await ingest_upload(request, ws, user)
        case = svc.case(case_id)
        assert outcome.report_id is not None
        if not any(k.item_type == "report" and k.item_id == outcome.report_id for k in case.links):
            svc.link(request_signer(ws, request, user), case_id, case.head, "report", outcome.report_id)
    except (IntakeError, EntryRejected, Forbidden) as exc:
        _ = i18n.translations(i18n.language_of(request)).gettext
        message = _("The report could not be taken in: %(reason)s") % {"reason": exc.message}
        return _case_response(request, ws, svc.case(case_id), user, error=message, status=exc.http_status)
    return RedirectResponse(f"/cases/{case_id}?done=uploaded", status_code=303)


# -- the review queue ----------------------------------------------------------------------------

def _review_context(ws: Workspace, svc: CaseService, case: CaseView, at: int,
                    target: tuple[str, int | str] | None) -> dict[str, Any]:
    queue = svc.queue(case.case_id)
    at = max(0, min(at, len(queue) - 1)) if queue else 0
    ctx: dict[str, Any] = {"case": case, "queue": queue, "at": at, "total": len(queue),
                           "speaker_types": SPEAKER_TYPES}
    if target is None:
        if not queue:
            return {**ctx, "claim": None}
        target = queue[at]
    rid, key = target
    rec = report_store(ws).get(rid)
    claims = svc.report_claims(rid)
    claim: ReviewedClaim | None = next((c for c in claims if c.key == str(key)), None)
    if claim is None:
        raise NotFound(f"no claim {key} in report {rid}")
    cur = claim.current
    spans = [Span(c.current["start"], c.current["end"], "hl-claim hl-other", None)
             for c in claims if c.key != claim.key and c.decision != "rejected"
             and isinstance(c.current.get("start"), int)]
    if isinstance(cur.get("start"), int):
        spans.append(Span(cur["start"], cur["end"], "hl-focus", None))
    history = svc.history(rid, claim.key) if claim.seen else []
    return {**ctx, "claim": claim, "cur": cur, "rec": rec, "headline": headline(rec),
            "body": render(rec.text, spans), "text_dir": i18n.direction(rec.language),
            "latest": history[-1] if history else None, "reviewed": claim.decision != "suggested"}


@router.get("/cases/{case_id}/review", response_class=HTMLResponse)
def review_page(request: Request, case_id: str, user: Reader, ws: WsDep, at: int = 0,
                report: str | None = None, claim: str | None = None) -> HTMLResponse:
    """The case's review queue, one claim at a time in its report's text (or one named claim)."""
    svc = _svc(ws)
    case = _visible(svc, case_id, user, team_only=True)
    target = (report, claim) if report and claim else None
    ctx = _review_context(ws, svc, case, at, target)
    return templates.TemplateResponse(request, "review.html", {
        **ctx, "can_review": user.has_any(REVIEWERS)})


def _value(form: Any) -> dict[str, Any]:
    def text(name: str) -> str:
        value = form.get(name)
        return value.strip() if isinstance(value, str) else ""

    def number(name: str) -> int:
        try:
            return int(text(name))
        except ValueError:
            raise EntryRejected(f"{name} must be a character offset (a whole number)", field=name) from None

    return {"speaker": text("speaker"), "speaker_type": text("speaker_type"), "verb": text("verb") or None,
            "via": text("via") or None, "start": number("start"), "end": number("end"),
            "asserts": text("asserts") != "false"}


@router.post("/cases/{case_id}/review")
async def post_review(request: Request, case_id: str, user: Reviewer, ws: WsDep) -> Response:
    """Record one review from the queue's forms; on to the next claim, or back with what went wrong."""
    svc = _svc(ws)
    case = _visible(svc, case_id, user, team_only=True)
    form = await request.form()
    rid = str(form.get("report_id") or "")
    key = str(form.get("claim") or "")
    decision = str(form.get("decision") or "")
    seen = str(form.get("seen") or "") or None
    try:
        at = int(str(form.get("at") or 0))
    except ValueError:
        at = 0
    claim = int(key) if key.isdigit() else None
    try:
        value = _value(form) if decision in ("corrected", "added") else None
        note = str(form.get("note") or "").strip() or None
        svc.review(request_signer(ws, request, user), rid, claim, decision, seen=seen, value=value, note=note)
    except (EntryRejected, Forbidden, NotFound) as exc:
        shown: tuple[str, int | str] | None = (rid, key) if key else None
        try:
            ctx = _review_context(ws, svc, case, at, shown)
        except NotFound:
            ctx = _review_context(ws, svc, case, at, None)
        return templates.TemplateResponse(request, "review.html", {
            **ctx, "can_review": True, "error": _message(exc),
            "conflict": isinstance(exc, Conflict)}, status_code=exc.http_status)
    return RedirectResponse(f"/cases/{case_id}/review?at={at}", status_code=303)
