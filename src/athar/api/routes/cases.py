"""Cases and reviews in the JSON API (``/api/v1/cases``, ``/api/v1/reports/{id}/reviews``).

A user sees only the cases they are on (admins every case; a published case
anyone logged in): any other case answers 404, as if it did not exist, so case
ids do not leak. Every change is one log entry signed with the user's own actor
key. A change names the newest state its author saw (``seen``: the case's
``head``, or the claim's latest review); a stale one is refused with 409 and a
message naming the newer decision, and nothing is written.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from athar.accounts.users import User
from athar.api.errors import error_responses
from athar.cases.service import CaseService, CaseView, ReviewedClaim
from athar.errors import NotFound
from athar.http.deps import get_workspace, require_roles
from athar.http.uploads import request_signer
from athar.log.server import AppendResult
from athar.workspace import Workspace

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["cases"])
WsDep = Annotated[Workspace, Depends(get_workspace)]
Reader = Annotated[User, Depends(require_roles())]
Opener = Annotated[User, Depends(require_roles("investigator", "admin"))]
# Anyone who signs entries may act on a case; the case hook decides by their role in it.
Member = Annotated[User, Depends(require_roles("admin", "investigator", "custodian", "lab", "reviewer"))]
Reviewer = Annotated[User, Depends(require_roles("reviewer", "investigator", "admin"))]
CaseId = Annotated[str, Path(description="the case's id, such as C-2018-aleppo")]
ReportId = Annotated[str, Path(description="the report's SHA-256")]
ClaimKey = Annotated[str, Path(description="the claim's number, or +INDEX for one a reviewer added")]
_Text = Annotated[str, Field(max_length=4000)]
_Seen = Annotated[str | None, Field(pattern=r"^[0-9a-f]{64}$",
                                    description="leaf hash of the newest entry you saw (null: none)")]
SpeakerType = Literal["government", "military", "international_org", "ngo", "media", "person",
                      "armed_group", "unnamed_source", "unattributed_outlet_voice"]
_STALE = {409: "someone changed it since you saw it (`seen` is stale), or the id is taken; "
               "nothing was written"}


# -- models ------------------------------------------------------------------------------------

class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CaseIn(_In):
    case_id: str = Field(pattern=r"^C-[A-Za-z0-9][A-Za-z0-9_-]{0,62}$", examples=["C-2019-ariha"])
    name: str = Field(min_length=1, max_length=200)
    summary: _Text = ""


class CaseUpdateIn(_In):
    seen: _Seen = Field(description="the case's head as you saw it")
    name: str | None = Field(None, min_length=1, max_length=200)
    summary: _Text | None = None
    status: Literal["open", "closed", "published"] | None = None


class MemberIn(_In):
    seen: _Seen = Field(description="the case's head as you saw it")
    actor_id: str = Field(min_length=1, max_length=64)
    role: Literal["lead", "investigator", "reviewer", "observer"] = "investigator"
    action: Literal["add", "remove"] = "add"


class LinkIn(_In):
    seen: _Seen = Field(description="the case's head as you saw it")
    item_type: Literal["incident", "report", "claim", "exhibit"]
    item_id: str = Field(min_length=1, max_length=200, description="a claim is REPORT_ID:N")
    note: _Text = ""
    action: Literal["link", "unlink"] = "link"


class ClaimValue(_In):
    """A claim as the reviewer holds it."""

    speaker: str = Field(min_length=1, max_length=300)
    speaker_type: SpeakerType
    verb: str | None = Field(None, max_length=100)
    via: str | None = Field(None, max_length=300)
    start: int = Field(ge=0, le=2**31, description="character offset in the report's text")
    end: int = Field(ge=1, le=2**31, description="character offset just after the span")
    asserts: bool = Field(description="true: the speaker asserts it; false: denies it")


class ReviewIn(_In):
    claim: int | None = Field(ge=0, le=2**31, description="the claim's number; null to add one")
    decision: Literal["accepted", "corrected", "rejected", "added"]
    seen: _Seen = Field(description="the claim's latest review as you saw it (null: none)")
    value: ClaimValue | None = Field(None, description="for corrected and added claims")
    note: _Text | None = None


class AppendedOut(BaseModel):
    index: int = Field(description="the entry's index in the log")
    leaf_hash: str = Field(description="its leaf hash: the `seen` of the next change")


class MemberOut(BaseModel):
    actor_id: str
    role: str


class LinkOut(BaseModel):
    item_type: str
    item_id: str
    note: str
    linked_idx: int


class CaseSummaryOut(BaseModel):
    case_id: str
    name: str
    status: str
    role: str | None = Field(description="your role in the case; null when you are not on its team")
    to_review: int = Field(description="claims of its reports still as the machine suggested them")


class CaseOut(BaseModel):
    case_id: str
    name: str
    summary: str
    status: str
    head: str = Field(description="leaf hash of the case's newest entry: the `seen` of a change")
    role: str | None
    members: list[MemberOut]
    links: list[LinkOut]
    to_review: int


class ReadingOut(BaseModel):
    speaker: str
    speaker_type: str | None
    verb: str | None
    via: str | None
    start: int | None
    end: int | None
    asserts: bool
    claim: str = Field(description="the span's text")


class ClaimStateOut(BaseModel):
    key: str = Field(description="the claim's number, or +INDEX for one a reviewer added")
    number: int | None
    decision: str = Field(description="suggested, accepted, corrected, rejected or added")
    machine: ReadingOut | None = Field(description="what the extractor read (null for an added claim)")
    value: ReadingOut | None = Field(description="the reviewer's reading (corrected and added claims)")
    seen: str | None = Field(description="leaf hash of its latest review: the `seen` of the next")


class QueueItemOut(ClaimStateOut):
    report_id: str


class ReviewOut(BaseModel):
    index: int
    leaf_hash: str
    decision: str
    value: dict[str, Any] | None
    note: str | None
    actor_id: str | None
    at: str


# -- helpers -----------------------------------------------------------------------------------

def _svc(ws: Workspace) -> CaseService:
    return CaseService(ws.log())


def _visible(svc: CaseService, case_id: str, user: User) -> CaseView:
    """The case if ``user`` may see it; NotFound otherwise (the same answer as a missing case)."""
    try:
        case = svc.case(case_id)
    except NotFound:
        raise NotFound(f"no case {case_id}") from None
    if not case.visible_to(user.name, admin="admin" in user.roles):
        raise NotFound(f"no case {case_id}")
    return case


def _appended(r: AppendResult) -> AppendedOut:
    return AppendedOut(index=r.index, leaf_hash=r.leaf_hash.hex())


def _case_out(svc: CaseService, case: CaseView, user: User) -> CaseOut:
    return CaseOut(case_id=case.case_id, name=case.name, summary=case.summary, status=case.status,
                   head=case.head, role=case.role_of(user.name),
                   members=[MemberOut(actor_id=m.actor_id, role=m.role) for m in case.members],
                   links=[LinkOut(**k.__dict__) for k in case.links], to_review=len(svc.queue(case.case_id)))


def _reading(r: dict[str, Any] | None) -> ReadingOut | None:
    return None if r is None else ReadingOut(**r)


def claim_state_out(c: ReviewedClaim) -> ClaimStateOut:
    return ClaimStateOut(key=c.key, number=c.number, decision=c.decision, machine=_reading(c.machine),
                         value=_reading(c.value), seen=c.seen)


# -- routes ------------------------------------------------------------------------------------

@router.get("/cases", response_model=list[CaseSummaryOut], responses=error_responses(401, 403))
def list_cases(user: Reader, ws: WsDep) -> list[CaseSummaryOut]:
    """The cases you are on (an admin: every case), with how many claims wait for review."""
    cases = _svc(ws).cases_for(user.name, everything="admin" in user.roles)
    return [CaseSummaryOut(**c.__dict__) for c in cases]


@router.post("/cases", response_model=AppendedOut, status_code=201,
             responses=error_responses(400, 401, 403, 409, 422, notes={409: "a case with that id exists"}))
def create_case(body: CaseIn, request: Request, user: Opener, ws: WsDep) -> AppendedOut:
    """Open a case; you become its lead."""
    signer = request_signer(ws, request, user)
    return _appended(_svc(ws).create(signer, body.case_id, body.name, body.summary))


@router.get("/cases/{case_id}", response_model=CaseOut, responses=error_responses(401, 403, 404))
def get_case(case_id: CaseId, user: Reader, ws: WsDep) -> CaseOut:
    """One case: its team, its links, how many claims wait, and its head (the `seen` of a change)."""
    svc = _svc(ws)
    return _case_out(svc, _visible(svc, case_id, user), user)


@router.patch("/cases/{case_id}", response_model=AppendedOut,
              responses=error_responses(400, 401, 403, 404, 409, 422, notes={409: _STALE[409]}))
def update_case(case_id: CaseId, body: CaseUpdateIn, request: Request, user: Member,
                ws: WsDep) -> AppendedOut:
    """Change a case's name, summary or status (open, closed, published): its lead or an admin."""
    svc = _svc(ws)
    _visible(svc, case_id, user)
    fields = {k: v for k, v in body.model_dump(exclude={"seen"}).items() if v is not None}
    return _appended(svc.update(request_signer(ws, request, user), case_id, body.seen, **fields))


@router.post("/cases/{case_id}/members", response_model=AppendedOut,
             responses=error_responses(400, 401, 403, 404, 409, 422, notes={409: _STALE[409]}))
def case_member(case_id: CaseId, body: MemberIn, request: Request, user: Member, ws: WsDep) -> AppendedOut:
    """Add a registered actor to the team with a role in this case, or remove one: its lead or an admin."""
    svc = _svc(ws)
    _visible(svc, case_id, user)
    return _appended(svc.member(request_signer(ws, request, user), case_id, body.seen, body.actor_id,
                                body.role, body.action))


@router.post("/cases/{case_id}/links", response_model=AppendedOut,
             responses=error_responses(400, 401, 403, 404, 409, 422, notes={409: _STALE[409]}))
def case_link(case_id: CaseId, body: LinkIn, request: Request, user: Member, ws: WsDep) -> AppendedOut:
    """Link an incident, report, claim or exhibit to the case with a note, or unlink it."""
    svc = _svc(ws)
    _visible(svc, case_id, user)
    return _appended(svc.link(request_signer(ws, request, user), case_id, body.seen, body.item_type,
                              body.item_id, body.note, body.action))


@router.get("/cases/{case_id}/queue", response_model=list[QueueItemOut],
            responses=error_responses(401, 403, 404))
def case_queue(case_id: CaseId, user: Reader, ws: WsDep) -> list[QueueItemOut]:
    """The claims of the case's reports still as the machine suggested them, in report order."""
    svc = _svc(ws)
    _visible(svc, case_id, user)
    out: list[QueueItemOut] = []
    claims: dict[str, list[ReviewedClaim]] = {}
    for rid, no in svc.queue(case_id):
        if rid not in claims:
            claims[rid] = svc.report_claims(rid)
        out.append(QueueItemOut(report_id=rid, **claim_state_out(claims[rid][no]).model_dump()))
    return out


@router.get("/reports/{report_id}/reviews", response_model=list[ClaimStateOut], tags=["reports"],
            responses=error_responses(401, 403, 404))
def claim_states(report_id: ReportId, user: Reader, ws: WsDep) -> list[ClaimStateOut]:
    """Every claim of a report with its state: suggested, accepted, corrected, rejected or added."""
    return [claim_state_out(c) for c in _svc(ws).report_claims(report_id)]


@router.post("/reports/{report_id}/reviews", response_model=AppendedOut, status_code=201, tags=["reports"],
             responses=error_responses(400, 401, 403, 404, 409, 422, notes={
                 409: "the claim was reviewed since you saw it (`seen` is stale): the message names "
                      "the newer decision; nothing was written",
                 422: "not a valid review (a span outside the report's text, a value where none "
                      "belongs ...); nothing was written"}))
def post_review(report_id: ReportId, body: ReviewIn, request: Request, user: Reviewer,
                ws: WsDep) -> AppendedOut:
    """Accept, correct, reject or add (``claim`` null) a claim, citing the state you saw."""
    svc = _svc(ws)
    value = body.value.model_dump() if body.value is not None else None
    return _appended(svc.review(request_signer(ws, request, user), report_id, body.claim, body.decision,
                                seen=body.seen, value=value, note=body.note))


@router.get("/reports/{report_id}/reviews/{claim_key}", response_model=list[ReviewOut], tags=["reports"],
            responses=error_responses(401, 403, 404))
def claim_history(report_id: ReportId, claim_key: ClaimKey, user: Reader, ws: WsDep) -> list[ReviewOut]:
    """Every review of one claim (its number, or +INDEX for an added one), oldest first."""
    history = _svc(ws).history(report_id, claim_key)
    if not history and not _svc(ws).log.read("SELECT 1 FROM reports WHERE report_id = ?", (report_id,)):
        raise NotFound(f"no report {report_id}")
    return [ReviewOut(**h) for h in history]

