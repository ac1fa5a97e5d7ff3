"""Cases and reviews as signed log entries: who may write them, what they check, and stale views refused."""

from __future__ import annotations

import datetime as dt

import pytest

from athar.accounts.actor_keys import add_user
from athar.cases.service import CaseService
from athar.errors import Conflict, EntryRejected, Forbidden, NotFound
from athar.incidents.service import ReportMeta, ingest_bytes
from athar.incidents.store import ReportStore
from athar.ledger.note import Signer
from tests.conftest import ROOT

REPORT = ROOT / "examples" / "reports" / "ariha-2019-10-04-levantwire-en.txt"


@pytest.fixture
def world(workspace):
    signers = {}
    for name, roles in (("lina", ["investigator"]), ("omar", ["reviewer"]), ("sami", ["observer"]),
                        ("rana", ["reviewer"])):
        signers[name] = add_user(workspace, name, roles, "correct horse battery")[1]
    store = ReportStore(workspace.log())
    outcome = ingest_bytes(store, signers["lina"], REPORT.read_bytes(), REPORT.name,
                           ReportMeta("Levant Wire", None, dt.date(2019, 10, 4)))
    return workspace, CaseService(workspace.log()), signers, outcome.report_id


def test_a_case_is_made_staffed_and_linked_by_signed_entries(world):
    ws, svc, s, report_id = world
    svc.create(s["lina"], "C-ariha", "Ariha, October 2019", "Chlorine allegation in Ariha")
    case = svc.case("C-ariha")
    assert case.role_of("lina") == "lead" and case.status == "open"
    svc.member(s["lina"], "C-ariha", case.head, "omar", "reviewer")
    case = svc.case("C-ariha")
    svc.link(s["lina"], "C-ariha", case.head, "report", report_id, "the wire report")
    case = svc.case("C-ariha")
    assert [(m.actor_id, m.role) for m in case.members] == [("lina", "lead"), ("omar", "reviewer")]
    assert [(k.item_type, k.item_id) for k in case.links] == [("report", report_id)]
    assert svc.case_reports("C-ariha") == [report_id]
    kinds = [r[0] for r in ws.log().read("SELECT kind FROM entries WHERE kind LIKE 'case.%' ORDER BY idx")]
    assert kinds == ["case.created", "case.member", "case.linked"]
    assert [c.case_id for c in svc.cases_for("omar")] == ["C-ariha"]
    assert svc.cases_for("sami") == [] and svc.cases_for(None) == []
    svc.update(s["lina"], "C-ariha", svc.case("C-ariha").head, status="published")
    assert [c.case_id for c in svc.cases_for(None)] == ["C-ariha"]


def test_case_changes_are_refused_when_stale_unauthorised_or_pointing_nowhere(world):
    ws, svc, s, report_id = world
    with pytest.raises(Forbidden):
        svc.create(s["omar"], "C-x", "a reviewer may not open a case")
    svc.create(s["lina"], "C-x", "X")
    head = svc.case("C-x").head
    svc.member(s["lina"], "C-x", head, "omar", "reviewer")
    with pytest.raises(Conflict, match="changed since you saw it"):
        svc.member(s["lina"], "C-x", head, "sami", "observer")  # made on the old view
    fresh = svc.case("C-x").head
    with pytest.raises(Forbidden):
        svc.member(s["omar"], "C-x", fresh, "sami", "observer")  # only the lead staffs a case
    with pytest.raises(NotFound):
        svc.link(s["lina"], "C-x", fresh, "exhibit", "S-404")
    with pytest.raises(NotFound):
        svc.member(s["lina"], "C-x", fresh, "nobody", "reviewer")
    with pytest.raises(Conflict):
        svc.create(s["lina"], "C-x", "the same id again")
    assert svc.case("C-x").head == fresh  # nothing refused was written


def test_reviews_accept_correct_reject_and_add_each_citing_the_extraction(world):
    ws, svc, s, report_id = world
    svc.create(s["lina"], "C-r", "R")
    svc.link(s["lina"], "C-r", svc.case("C-r").head, "report", report_id)
    queue = svc.queue("C-r")
    assert len(queue) >= 3 and queue[0] == (report_id, 0)
    text = ReportStore(ws.log()).get(report_id).text
    svc.review(s["omar"], report_id, 0, "accepted", seen=None)
    corrected = {"speaker": "a war monitor", "speaker_type": "ngo", "verb": "said", "start": 89, "end": 267,
                 "asserts": True, "via": None}
    svc.review(s["omar"], report_id, 1, "corrected", seen=None, value=corrected, note="an NGO, not a person")
    svc.review(s["omar"], report_id, 2, "rejected", seen=None)
    added = {"speaker": "Damascus", "speaker_type": "government", "verb": "denies", "start": 0, "end": 40,
             "asserts": False, "via": None}
    svc.review(s["omar"], report_id, None, "added", seen=None, value=added)
    states = svc.states(report_id)
    assert [states[k].decision for k in ("0", "1", "2")] == ["accepted", "corrected", "rejected"]
    assert states["1"].value == corrected
    assert [k for k in states if k.startswith("+")] and (report_id, 0) not in svc.queue("C-r")
    reviews = ws.log().read("SELECT data FROM entries WHERE kind = 'claim.reviewed' ORDER BY idx")
    assert len(reviews) == 4
    extraction_idx = ReportStore(ws.log()).get(report_id).extraction_idx
    assert all(f'"index":{extraction_idx}' in bytes(r[0]).decode() for r in reviews)
    assert len(text) > 267


def test_two_reviewers_never_overwrite_each_other_silently(world):
    ws, svc, s, report_id = world
    first = svc.review(s["omar"], report_id, 0, "accepted", seen=None)
    with pytest.raises(Conflict, match="accepted now"):
        svc.review(s["rana"], report_id, 0, "rejected", seen=None)  # made before seeing omar's
    svc.review(s["rana"], report_id, 0, "rejected", seen=first.leaf_hash.hex())
    assert svc.states(report_id)["0"].decision == "rejected"
    assert [h["actor_id"] for h in svc.history(report_id, "0")] == ["omar", "rana"]


def test_bad_reviews_change_nothing(world):
    ws, svc, s, report_id = world
    n = ws.log().size()
    bad_span = {"speaker": "x", "speaker_type": "person", "verb": "said", "start": 10, "end": 10_000_000,
                "asserts": True, "via": None}
    with pytest.raises(EntryRejected, match="after the report's text"):
        svc.review(s["omar"], report_id, None, "added", seen=None, value=bad_span)
    with pytest.raises(NotFound):
        svc.review(s["omar"], report_id, 999, "accepted", seen=None)
    with pytest.raises(NotFound):
        svc.review(s["omar"], "0" * 64, 0, "accepted", seen=None)
    assert s["sami"] is None  # observers only look: they hold no signing key
    with pytest.raises(EntryRejected, match="not registered"):
        svc.review(Signer.generate("stray"), report_id, 0, "accepted", seen=None)
    with pytest.raises(EntryRejected):
        svc.review(s["omar"], report_id, 0, "accepted", seen=None, value=bad_span)  # no value to accept
    assert ws.log().size() == n


def test_incidents_and_the_claims_table_follow_the_reviews(world):
    ws, svc, s, report_id = world
    from athar.incidents.views import refresh

    store = ReportStore(ws.log())
    before = store.incidents()
    rows = [r for r in refresh(ws.log(), None).rows if r.report_id == report_id]
    relevant = [r.claim_no for r in rows if r.agents or r.perpetrators or r.denial]
    assert before and relevant
    for no in relevant:  # a reviewer rejects every claim the incident rests on
        svc.review(s["omar"], report_id, no, "rejected", seen=None)
    assert not any(report_id in {c["report_id"] for v in i["versions"] for c in v["claims"]}
                   for i in store.incidents())
    snap = refresh(ws.log(), None)
    reviewed = {r.review for r in snap.rows if r.claim_no in relevant and r.report_id == report_id}
    assert reviewed == {"rejected"}
    text = store.get(report_id).text
    start = text.index("Ariha")
    added = {"speaker": "Civil defence", "speaker_type": "ngo", "verb": "said", "start": max(0, start - 60),
             "end": min(len(text), start + 80), "asserts": True, "via": None}
    svc.review(s["omar"], report_id, None, "added", seen=None, value=added)
    assert any(v["speaker"] == "Civil defence" for i in store.incidents() for v in i["versions"])
    assert refresh(ws.log(), snap).rows[-1].review == "added"
