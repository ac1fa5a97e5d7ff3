"""Cases and reviews through the JSON API: who sees what (404, never 403, for a case you are not on),
every change a signed entry by the user's own key, stale changes refused with 409 naming the newer one."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from athar.accounts.actor_keys import add_user
from athar.accounts.users import Accounts
from athar.app import create_app
from athar.incidents.service import ReportMeta, ingest_paths
from athar.incidents.store import ReportStore
from tests.conftest import ROOT

REPORT = ROOT / "examples" / "reports" / "ariha-2019-10-04-levantwire-en.txt"
USERS = {"lina": ["investigator"], "omar": ["reviewer"], "rana": ["reviewer"], "sami": ["observer"],
         "root": ["admin"], "kim": ["custodian"]}


@pytest.fixture
def api(workspace):
    ingest_paths(ReportStore(workspace.log()), workspace.admin_signer, [REPORT], ReportMeta())
    with TestClient(create_app(workspace)) as client:
        accounts = Accounts(workspace.log().db)
        client.h = {}
        for name, roles in USERS.items():
            add_user(workspace, name, roles, "correct horse battery")
            client.h[name] = {"authorization": f"Bearer {accounts.create_token(name, 't')}"}
        client.ws = workspace
        client.report_id = ReportStore(workspace.log()).all()[0].report_id
        yield client


def _err(r, status, code=None):
    assert r.status_code == status, r.text
    if code:
        assert r.json()["error"]["code"] == code


def _open(api, case_id="C-ariha"):
    r = api.post("/api/v1/cases", json={"case_id": case_id, "name": "Ariha 2019", "summary": "chlorine?"},
                 headers=api.h["lina"])
    assert r.status_code == 201, r.text
    return r.json()


def _head(api, case_id="C-ariha", who="lina"):
    return api.get(f"/api/v1/cases/{case_id}", headers=api.h[who]).json()["head"]


def test_open_staff_link_and_read_a_case(api):
    made = _open(api)
    assert made["leaf_hash"] == _head(api)
    r = api.post("/api/v1/cases/C-ariha/members", json={"seen": made["leaf_hash"], "actor_id": "omar",
                                                         "role": "reviewer"}, headers=api.h["lina"])
    assert r.status_code == 200, r.text
    r = api.post("/api/v1/cases/C-ariha/links", headers=api.h["omar"], json={
        "seen": r.json()["leaf_hash"], "item_type": "report", "item_id": api.report_id, "note": "the wire"})
    assert r.status_code == 200, r.text  # a reviewer on the team may link
    case = api.get("/api/v1/cases/C-ariha", headers=api.h["omar"]).json()
    assert case["role"] == "reviewer" and case["to_review"] > 3 and case["head"] == r.json()["leaf_hash"]
    assert [(m["actor_id"], m["role"]) for m in case["members"]] == [("lina", "lead"), ("omar", "reviewer")]
    assert case["links"][0]["item_id"] == api.report_id and case["links"][0]["note"] == "the wire"
    assert [c["case_id"] for c in api.get("/api/v1/cases", headers=api.h["omar"]).json()] == ["C-ariha"]
    r = api.patch("/api/v1/cases/C-ariha", json={"seen": case["head"], "status": "closed"},
                  headers=api.h["lina"])
    assert r.status_code == 200, r.text
    assert api.get("/api/v1/cases/C-ariha", headers=api.h["lina"]).json()["status"] == "closed"
    r = api.post("/api/v1/cases/C-ariha/members", json={"seen": _head(api), "actor_id": "omar",
                                                         "role": "reviewer", "action": "remove"},
                 headers=api.h["lina"])
    assert r.status_code == 200, r.text
    assert api.get("/api/v1/cases/C-ariha", headers=api.h["omar"]).status_code == 404  # off the team
    kinds = [k for (k,) in api.ws.log().read(
        "SELECT kind FROM entries WHERE kind LIKE 'case.%' ORDER BY idx")]
    assert kinds == ["case.created", "case.member", "case.linked", "case.updated", "case.member"]
    authors = {a for (a,) in api.ws.log().read(
        "SELECT k.actor_id FROM entries e JOIN actor_keys k ON k.vkey = e.author WHERE e.kind LIKE 'case.%'")}
    assert authors == {"lina", "omar"}  # each signed with the user's own key


def test_a_case_you_are_not_on_is_not_found(api):
    _open(api)
    for who in ("omar", "sami", "kim"):
        _err(api.get("/api/v1/cases/C-ariha", headers=api.h[who]), 404, "not_found")
        _err(api.get("/api/v1/cases/C-ariha/queue", headers=api.h[who]), 404, "not_found")
        assert api.get("/api/v1/cases", headers=api.h[who]).json() == []
    _err(api.post("/api/v1/cases/C-ariha/links", headers=api.h["omar"], json={
        "seen": _head(api), "item_type": "report", "item_id": api.report_id}), 404, "not_found")
    _err(api.get("/api/v1/cases/C-nothing", headers=api.h["lina"]), 404, "not_found")
    assert api.get("/api/v1/cases/C-ariha", headers=api.h["root"]).status_code == 200  # admins see all
    assert [c["role"] for c in api.get("/api/v1/cases", headers=api.h["root"]).json()] == [None]
    api.patch("/api/v1/cases/C-ariha", json={"seen": _head(api), "status": "published"},
              headers=api.h["lina"])
    assert api.get("/api/v1/cases/C-ariha", headers=api.h["sami"]).json()["status"] == "published"


def test_who_may_change_a_case(api):
    _open(api)
    _err(api.post("/api/v1/cases", json={"case_id": "C-x", "name": "x"}, headers=api.h["omar"]), 403)
    _err(api.post("/api/v1/cases", json={"case_id": "C-ariha", "name": "again"}, headers=api.h["lina"]),
         409, "conflict")
    _err(api.post("/api/v1/cases", json={"case_id": "bad id", "name": "x"}, headers=api.h["lina"]), 422)
    _err(api.post("/api/v1/cases/C-ariha/members", json={"seen": _head(api), "actor_id": "nobody"},
                  headers=api.h["lina"]), 404)
    _err(api.post("/api/v1/cases/C-ariha/links", json={"seen": _head(api), "item_type": "exhibit",
                                                       "item_id": "S-404"}, headers=api.h["lina"]), 404)
    _err(api.patch("/api/v1/cases/C-ariha", json={"seen": _head(api), "status": "published"},
                   headers=api.h["sami"]), 403)  # observers sign nothing


def test_a_stale_case_change_is_refused_and_writes_nothing(api):
    made = _open(api)
    api.post("/api/v1/cases/C-ariha/members", json={"seen": made["leaf_hash"], "actor_id": "omar",
                                                     "role": "reviewer"}, headers=api.h["lina"])
    n = api.ws.log().size()
    r = api.patch("/api/v1/cases/C-ariha", json={"seen": made["leaf_hash"], "name": "renamed"},
                  headers=api.h["lina"])
    _err(r, 409, "conflict")
    assert "changed since you saw it" in r.json()["error"]["message"]
    assert r.json()["error"]["details"]["newer"] == _head(api)
    assert api.ws.log().size() == n


def test_review_a_case_queue_with_every_decision(api):
    made = _open(api)
    api.post("/api/v1/cases/C-ariha/links", json={"seen": made["leaf_hash"], "item_type": "report",
                                                   "item_id": api.report_id}, headers=api.h["lina"])
    queue = api.get("/api/v1/cases/C-ariha/queue", headers=api.h["lina"]).json()
    assert len(queue) > 3 and queue[0]["decision"] == "suggested" and queue[0]["machine"]["claim"]
    rid, url = api.report_id, f"/api/v1/reports/{api.report_id}/reviews"
    ok = api.post(url, json={"claim": 0, "decision": "accepted", "seen": None}, headers=api.h["omar"])
    assert ok.status_code == 201, ok.text
    m = queue[1]["machine"]
    value = {"speaker": "a monitor", "speaker_type": "ngo", "verb": "said", "via": None,
             "start": m["start"], "end": m["end"], "asserts": True}
    assert api.post(url, json={"claim": 1, "decision": "corrected", "seen": None, "value": value},
                    headers=api.h["omar"]).status_code == 201
    assert api.post(url, json={"claim": 2, "decision": "rejected", "seen": None},
                    headers=api.h["lina"]).status_code == 201
    added = api.post(url, json={"claim": None, "decision": "added", "seen": None,
                                "value": {**value, "start": 0, "end": 12}}, headers=api.h["omar"])
    assert added.status_code == 201, added.text
    states = api.get(url, headers=api.h["sami"]).json()
    assert [s["decision"] for s in states[:4]] == ["accepted", "corrected", "rejected", "suggested"]
    assert states[1]["value"]["speaker"] == "a monitor" and states[1]["machine"]["speaker"] != "a monitor"
    assert states[-1]["decision"] == "added" and states[-1]["key"].startswith("+")
    assert len(api.get("/api/v1/cases/C-ariha/queue", headers=api.h["lina"]).json()) == len(queue) - 3
    history = api.get(f"{url}/0", headers=api.h["lina"]).json()
    assert [(h["decision"], h["actor_id"]) for h in history] == [("accepted", "omar")]
    assert api.get(f"{url}/9999", headers=api.h["lina"]).json() == []
    _err(api.get(f"/api/v1/reports/{'0' * 64}/reviews/0", headers=api.h["lina"]), 404)
    reviews = api.ws.log().read("SELECT COUNT(*) FROM entries WHERE kind = 'claim.reviewed'")[0][0]
    assert reviews == 4 and rid


def test_a_stale_review_is_refused_with_the_newer_decision(api):
    url = f"/api/v1/reports/{api.report_id}/reviews"
    first = api.post(url, json={"claim": 0, "decision": "accepted", "seen": None}, headers=api.h["omar"])
    n = api.ws.log().size()
    r = api.post(url, json={"claim": 0, "decision": "rejected", "seen": None}, headers=api.h["rana"])
    _err(r, 409, "conflict")
    assert "accepted now" in r.json()["error"]["message"]
    assert r.json()["error"]["details"]["newer"] == first.json()["leaf_hash"]
    assert api.ws.log().size() == n
    r = api.post(url, json={"claim": 0, "decision": "rejected", "seen": first.json()["leaf_hash"]},
                 headers=api.h["rana"])
    assert r.status_code == 201


def test_bad_reviews_are_refused_and_write_nothing(api):
    url = f"/api/v1/reports/{api.report_id}/reviews"
    n = api.ws.log().size()
    value = {"speaker": "x", "speaker_type": "person", "verb": None, "via": None, "start": 5,
             "end": 10_000_000, "asserts": True}
    _err(api.post(url, json={"claim": None, "decision": "added", "seen": None, "value": value},
                  headers=api.h["omar"]), 422, "entry_rejected")
    _err(api.post(url, json={"claim": 999, "decision": "accepted", "seen": None}, headers=api.h["omar"]), 404)
    _err(api.post(f"/api/v1/reports/{'0' * 64}/reviews", json={"claim": 0, "decision": "accepted",
                                                               "seen": None}, headers=api.h["omar"]), 404)
    _err(api.post(url, json={"claim": 0, "decision": "accepted", "seen": None}, headers=api.h["sami"]), 403)
    _err(api.post(url, json={"claim": 0, "decision": "maybe", "seen": None}, headers=api.h["omar"]), 422)
    assert api.ws.log().size() == n
