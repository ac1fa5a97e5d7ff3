"""Reads the pages and the API need: a report's claims with their states, a case's activity,
exhibits the team registered that no case links, and who may see a case."""

from __future__ import annotations

import datetime as dt

import pytest

from athar.accounts.actor_keys import add_user
from athar.cases.service import CaseService
from athar.custody.service import CustodyService
from athar.incidents.service import ReportMeta, ingest_bytes
from athar.incidents.store import ReportStore
from tests.conftest import ROOT

REPORT = ROOT / "examples" / "reports" / "ariha-2019-10-04-levantwire-en.txt"


@pytest.fixture
def world(workspace):
    signers = {name: add_user(workspace, name, roles, "correct horse battery")[1]
               for name, roles in (("lina", ["investigator"]), ("omar", ["reviewer"]))}
    store = ReportStore(workspace.log())
    outcome = ingest_bytes(store, signers["lina"], REPORT.read_bytes(), REPORT.name,
                           ReportMeta("Levant Wire", None, dt.date(2019, 10, 4)))
    svc = CaseService(workspace.log())
    svc.create(signers["lina"], "C-r", "R")
    svc.link(signers["lina"], "C-r", svc.case("C-r").head, "report", outcome.report_id)
    return workspace, svc, signers, outcome.report_id


def test_report_claims_lay_each_decision_over_the_machines_reading(world):
    ws, svc, s, rid = world
    before = svc.report_claims(rid)
    assert before and all(c.decision == "suggested" and c.value is None and c.seen is None for c in before)
    machine = before[1].machine
    assert machine is not None and machine["claim"] and isinstance(machine["asserts"], bool)
    svc.review(s["omar"], rid, 0, "accepted", seen=None)
    fix = {"speaker": "a monitor", "speaker_type": "ngo", "verb": "said", "start": machine["start"],
           "end": machine["end"], "asserts": False, "via": None}
    r = svc.review(s["omar"], rid, 1, "corrected", seen=None, value=fix)
    svc.review(s["omar"], rid, None, "added", seen=None, value={**fix, "start": 0, "end": 10})
    after = svc.report_claims(rid)
    assert [c.decision for c in after[:2]] == ["accepted", "corrected"]
    assert after[1].seen == r.leaf_hash.hex() and after[1].machine == machine
    assert after[1].current["speaker"] == "a monitor" and after[1].current["asserts"] is False
    added = after[-1]
    assert added.decision == "added" and added.number is None and added.key.startswith("+")
    text = ReportStore(ws.log()).get(rid).text
    assert added.current["claim"] == text[0:10]


def test_activity_lists_the_newest_entries_about_the_case(world):
    ws, svc, s, rid = world
    svc.review(s["omar"], rid, 0, "rejected", seen=None)
    svc.create(s["lina"], "C-other", "another case")  # about another case: not listed
    acts = svc.activity("C-r", limit=5)
    assert [a.kind for a in acts] == ["claim.reviewed", "case.linked", "case.created"]
    assert acts[0].actor_id == "omar" and acts[0].subject == f"{rid}:0" and acts[0].detail == "rejected"
    assert acts[1].subject == rid and acts[1].detail == "link"
    assert [a.index for a in svc.activity("C-r", limit=1)] == [acts[0].index]


def test_unlinked_exhibits_are_those_the_team_registered_and_no_case_links(world):
    ws, svc, s, rid = world
    custody = CustodyService.for_workspace(ws)
    custody.register_physical(s["lina"], code="S-1", public={"container": "jar"})
    custody.register_physical(s["lina"], code="S-2", public={"container": "jar"})
    assert svc.unlinked_exhibits("C-r") == ["S-1", "S-2"]
    svc.link(s["lina"], "C-r", svc.case("C-r").head, "exhibit", "S-1", "soil by the crater")
    assert svc.unlinked_exhibits("C-r") == ["S-2"]


def test_a_case_is_visible_to_its_team_admins_and_once_published_anyone(world):
    ws, svc, s, rid = world
    case = svc.case("C-r")
    assert case.visible_to("lina") and not case.visible_to("omar") and not case.visible_to(None)
    assert case.visible_to("omar", admin=True)
    svc.update(s["lina"], "C-r", case.head, status="published")
    assert svc.case("C-r").visible_to(None)
