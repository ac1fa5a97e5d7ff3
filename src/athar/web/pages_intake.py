"""Pages for reports and claims: the list with its upload form, one report highlighted, the claims table.

Every page needs a logged-in user (any role); uploading needs investigator or
admin, through the same bounded, streamed upload as the JSON API.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from athar.accounts.users import User
from athar.cases.service import CaseService
from athar.errors import IntakeError
from athar.http.deps import claim_filter, get_workspace, report_store, reports_snapshot, require_roles
from athar.http.uploads import bounded_body, ingest_upload, max_report_bytes
from athar.incidents.claims_view import ClaimFilter, claim_rows
from athar.incidents.reviewed import with_reviews
from athar.incidents.store import ReportRecord
from athar.intake.models import SPEAKER_TYPES
from athar.web import i18n
from athar.web.highlight import render, spans_from_extraction
from athar.web.templating import templates
from athar.workspace import Workspace

__all__ = ["claims_page", "headline", "headline_of", "report_page", "reports_page", "router", "upload_page"]

router = APIRouter(include_in_schema=False)
Reader = Annotated[User, Depends(require_roles())]
Uploader = Annotated[User, Depends(require_roles("investigator", "admin"))]
WsDep = Annotated[Workspace, Depends(get_workspace)]
UPLOAD_ROLES = frozenset({"investigator", "admin"})


def headline(rec: ReportRecord) -> str:
    """What to call a report: its title, else its first line (the outlet's headline), else its file name."""
    return headline_of(rec.title, rec.text, rec.filename)


def headline_of(title: str | None, text: str, filename: str) -> str:
    """:func:`headline` from a report's title, text (its first few hundred characters do) and file name."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return title or (first[:140] + ("…" if len(first) > 140 else "")) or filename


def _reports(request: Request, ws: Workspace, user: User, error: str = "",
             status: int = 200) -> HTMLResponse:
    return templates.TemplateResponse(request, "reports.html", {
        "reports": reports_snapshot(ws).records, "headline": headline, "error": error,
        "can_upload": user.has_any(UPLOAD_ROLES),
        "max_mb": round(max_report_bytes(request) / 2**20, 1),
        "max_bytes": max_report_bytes(request)}, status_code=status)


@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request, user: Reader, ws: WsDep) -> HTMLResponse:
    """Every report, with the upload form for those who may upload."""
    return _reports(request, ws, user)


@router.post("/reports", dependencies=[Depends(bounded_body)])
async def upload_page(request: Request, user: Uploader, ws: WsDep) -> Response:
    """Upload from the form; on success, go to the new (or already stored) report's page."""
    try:
        outcome = await ingest_upload(request, ws, user)
    except IntakeError as exc:
        _ = i18n.translations(i18n.language_of(request)).gettext
        message = _("The report could not be taken in: %(reason)s") % {"reason": exc.message}
        return _reports(request, ws, user, message, exc.http_status)
    flag = "new" if outcome.new else "known"
    return RedirectResponse(f"/reports/{outcome.report_id}?{flag}=1", status_code=303)


@router.get("/reports/{report_id}", response_class=HTMLResponse)
def report_page(request: Request, report_id: str, user: Reader, ws: WsDep) -> HTMLResponse:
    """One report: its text with every claim highlighted, then its claims as a table, each with its
    review state (suggested, accepted, corrected over the machine's reading, rejected, added)."""
    rec = report_store(ws).get(report_id)
    reviewed = CaseService(ws.log()).report_claims(rec.report_id)
    states = {c.key: (c.decision, c.value) for c in reviewed if c.decision != "suggested"}
    rows = claim_rows([rec], {rec.report_id: states})
    extraction = with_reviews(rec.extraction, rec.text, states)
    counts: dict[str, int] = {}
    for c in reviewed:
        counts[c.decision] = counts.get(c.decision, 0) + 1
    return templates.TemplateResponse(request, "report.html", {
        "rec": rec, "rows": rows, "headline": headline(rec), "reviewed": reviewed, "counts": counts,
        "body": render(rec.text, spans_from_extraction(rec.text, extraction)),
        "text_dir": i18n.direction(rec.language),
        "loaded": rec.extraction.get("loaded_language", []),
        "warnings": rec.extraction.get("warnings", []),
        "just_added": "new" in request.query_params, "known": "known" in request.query_params})


@router.get("/claims", response_class=HTMLResponse)
def claims_page(request: Request, user: Reader, ws: WsDep,
                flt: Annotated[ClaimFilter, Depends(claim_filter)]) -> HTMLResponse:
    """The claims table with its filters and CSV / JSON downloads of what it shows."""
    snap = reports_snapshot(ws)
    records, every = snap.records, snap.rows
    rows = flt.apply(every)
    query = {("from" if k == "date_from" else "to" if k == "date_to" else k): v
             for k, v in flt.query().items()}
    return templates.TemplateResponse(request, "claims.html", {
        "rows": rows, "total": len(every), "flt": flt, "speaker_types": SPEAKER_TYPES,
        "sources": sorted({r.source for r in records}),
        "csv_url": "/api/v1/claims?" + urlencode({**query, "format": "csv"}),
        "json_url": "/api/v1/claims?" + urlencode(query)})
