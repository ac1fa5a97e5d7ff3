"""Reports, claims and incidents through the JSON API: roles, filters, CSV, uploads."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from athar.accounts.users import Accounts
from athar.app import create_app
from athar.identity import ROLES
from athar.incidents.service import ReportMeta, ingest_paths
from athar.incidents.store import ReportStore
from athar.workspace import Workspace
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples" / "reports"
DEVSET = ROOT / "tests" / "assets" / "intake"


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    ws = Workspace.init(tmp_path_factory.mktemp("intake-api") / "ws")
    ingest_paths(ReportStore(ws.log()), ws.admin_signer, [EXAMPLES], ReportMeta())
    app = create_app(ws)
    with TestClient(app) as client:
        accounts = Accounts(ws.log().db)
        tokens = {}
        for role in ROLES:
            accounts.add(f"i-{role}", [role], "correct horse battery")
            tokens[role] = {"authorization": f"Bearer {accounts.create_token(f'i-{role}', 't')}"}
        client.ws, client.tokens, client.app_ = ws, tokens, app
        yield client


def _err(r, status, code):
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code


def test_every_logged_in_role_reads_reports_anonymous_does_not(api):
    for path in ("/api/v1/reports", "/api/v1/claims", "/api/v1/incidents"):
        _err(api.get(path, headers={"accept": "*/*"}), 401, "unauthorized")
        for role in ROLES:
            r = api.get(path, headers=api.tokens[role])
            assert r.status_code == 200 and r.json(), (path, role)


def test_report_detail_has_text_and_spans(api):
    reports = api.get("/api/v1/reports", headers=api.tokens["observer"]).json()
    assert len(reports) == 6 and {r["language"] for r in reports} == {"ar", "en"}
    one = reports[0]
    detail = api.get(f"/api/v1/reports/{one['report_id']}", headers=api.tokens["observer"]).json()
    claim = detail["extraction"]["claims"][0]
    assert detail["text"][claim["start"]:claim["end"]] == claim["claim"]
    assert detail["received_idx"] is not None and detail["source"] == one["source"]
    _err(api.get("/api/v1/reports/" + "0" * 64, headers=api.tokens["observer"]), 404, "not_found")


def test_claims_filters(api):
    h = api.tokens["reviewer"]
    every = api.get("/api/v1/claims", headers=h).json()
    assert every and all(c["speaker_normalized"] and c["source"] for c in every)
    ar = api.get("/api/v1/claims", params={"language": "ar"}, headers=h).json()
    assert ar and all(c["language"] == "ar" for c in ar) and len(ar) < len(every)
    gov = api.get("/api/v1/claims", params={"speaker_type": "government"}, headers=h).json()
    assert gov and all(c["speaker_type"] == "government" for c in gov)
    chlorine = api.get("/api/v1/claims", params={"agent": "chlor"}, headers=h).json()
    assert chlorine and all(any("chlor" in a for a in c["agents"]) for c in chlorine)
    ariha = api.get("/api/v1/claims", params={"place": "ariha"}, headers=h).json()
    assert ariha and all(any("Ariha" in p for p in c["places"]) for c in ariha)
    window = api.get("/api/v1/claims", params={"from": "2020-01-01", "to": "2020-12-31"}, headers=h).json()
    assert window and all(c["date"] and c["date"].startswith("2020") for c in window)
    src = every[0]["source"]
    assert all(c["source"] == src for c in
               api.get("/api/v1/claims", params={"source": src}, headers=h).json())
    speaker = every[0]["speaker_normalized"]
    assert api.get("/api/v1/claims", params={"speaker": speaker.upper()}, headers=h).json()
    _err(api.get("/api/v1/claims", params={"from": "yesterday"}, headers=h), 422, "invalid_request")
    _err(api.get("/api/v1/claims", params={"format": "xml"}, headers=h), 422, "invalid_request")


def test_claims_as_csv(api):
    r = api.get("/api/v1/claims", params={"format": "csv", "language": "en"},
                headers=api.tokens["observer"])
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="athar-claims.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    as_json = api.get("/api/v1/claims", params={"language": "en"}, headers=api.tokens["observer"]).json()
    assert len(rows) == len(as_json) > 0
    assert rows[0]["speaker_normalized"] == as_json[0]["speaker_normalized"]
    assert set(rows[0]) >= {"report_id", "source", "published", "speaker", "speaker_type", "claim"}


def test_incidents_with_versions_and_coordinates(api):
    h = api.tokens["observer"]
    incidents = api.get("/api/v1/incidents", headers=h).json()
    multi = [i for i in incidents if len(i["sources"]) >= 2]
    assert multi and all(i["lat"] is not None for i in multi)
    one = api.get(f"/api/v1/incidents/{multi[0]['incident_id']}", headers=h).json()
    assert one["versions"] and one["relations"] == multi[0]["relations"]
    _err(api.get("/api/v1/incidents/inc-%25", headers=h), 404, "not_found")


def _upload(api, role, data: bytes, name="r.txt", **fields):
    return api.post("/api/v1/reports", headers=api.tokens[role],
                    files={"file": (name, data, "text/plain")}, data=fields)


REPORT = (b"Chemical attack alleged in Ariha\n\nThe Syrian Observatory for Human Rights said on "
          b"Friday that chlorine had been used in Ariha, injuring 12 people.\n")


def test_upload_needs_an_investigator_or_admin(api):
    for role in ("observer", "reviewer", "lab", "custodian"):
        _err(_upload(api, role, REPORT), 403, "forbidden")
    _err(api.post("/api/v1/reports", files={"file": ("r.txt", REPORT)}), 401, "unauthorized")


def test_upload_then_again_is_idempotent(api):
    log = api.ws.log()
    before = log.size()
    r = _upload(api, "investigator", REPORT, source="Test Wire", published="2019-10-06",
                url="https://example.org/r")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["new"] and body["claims"] >= 1 and body["page"] == f"/reports/{body['report_id']}"
    import json

    kinds = [json.loads(e)["kind"] for e in log.entries(before, log.size())]
    # The uploader's actor key may be registered on first use, then the two report entries.
    assert [k for k in kinds if k != "actor.registered"] == ["report.received", "extraction.recorded"]
    before = log.size() - 2
    rec = api.get(f"/api/v1/reports/{body['report_id']}", headers=api.tokens["observer"]).json()
    assert rec["source"] == "Test Wire" and rec["published"] == "2019-10-06"
    listed = api.get("/api/v1/reports", headers=api.tokens["observer"]).json()
    assert body["report_id"] in {r["report_id"] for r in listed}  # the cached list saw it
    claims = api.get("/api/v1/claims", params={"source": "Test Wire"}, headers=api.tokens["observer"])
    assert claims.json() and all(c["report_id"] == body["report_id"] for c in claims.json())
    again = _upload(api, "admin", REPORT, source="Other")
    assert again.status_code == 200 and again.json()["new"] is False
    assert again.json()["report_id"] == body["report_id"] and log.size() == before + 2


def test_bad_uploads_are_refused_cleanly_and_store_nothing(api):
    log, store = api.ws.log(), ReportStore(api.ws.log())
    size, count = log.size(), len(store.all())
    _err(_upload(api, "investigator", b"\x00\x01binary\x00" * 10, "x.bin"), 422, "intake_error")
    _err(_upload(api, "investigator", b"", "empty.txt"), 422, "intake_error")
    _err(_upload(api, "investigator", REPORT + b"2", published="last week"), 422, "intake_error")
    _err(api.post("/api/v1/reports", headers=api.tokens["admin"], data={"source": "x"}), 422,
         "intake_error")
    api.app_.state.max_report_bytes = 1000
    try:
        r = _upload(api, "investigator", b"a long report. " * 200)
        _err(r, 413, "payload_too_large")
        assert r.json()["error"]["details"]["limit"] == 1000
        r = _upload(api, "investigator", b"x" * 1001)  # under the declared-length slack: counted
        _err(r, 413, "payload_too_large")
        big = b"y" * 200_000
        _err(_upload(api, "investigator", big), 413, "payload_too_large")
    finally:
        del api.app_.state.max_report_bytes
    assert log.size() == size and len(store.all()) == count


def test_upload_without_a_length_is_refused(api):
    def chunks():
        yield b"--b\r\n"

    r = api.post("/api/v1/reports", headers={**api.tokens["admin"],
                                             "content-type": "multipart/form-data; boundary=b"},
                 content=chunks())
    _err(r, 411, "length_required")


def test_openapi_documents_the_models(api):
    spec = api.get("/api/openapi.json").json()
    assert {"/api/v1/reports", "/api/v1/reports/{report_id}", "/api/v1/claims", "/api/v1/incidents",
            "/api/v1/incidents/{incident_id}"} <= set(spec["paths"])
    assert {"ReportOut", "ReportDetailOut", "ClaimOut", "IncidentOut", "UploadOut"} <= set(
        spec["components"]["schemas"])


def test_uploaded_report_is_signed_by_the_uploader(tmp_path):
    """The report's log entries carry the uploading user's own actor key, not the admin's."""
    import json as _json

    from fastapi.testclient import TestClient

    from athar.accounts.actor_keys import add_user
    from athar.app import create_app
    from athar.incidents.store import ReportStore
    from athar.workspace import Workspace

    ws = Workspace.init(tmp_path / "ws")
    add_user(ws, "nadia", ["investigator"], password="a long enough password")
    with TestClient(create_app(ws)) as client:
        from athar.accounts.users import Accounts

        token = Accounts(ws.log().db).create_token("nadia")
        from tests.conftest import ROOT

        example = next((ROOT / "examples" / "reports").glob("*.txt"))
        r = client.post("/api/v1/reports", headers={"Authorization": f"Bearer {token}"},
                        files={"file": (example.name, example.read_bytes(), "text/plain")},
                        data={"source": "Example Wire", "published": "2019-10-04"})
        assert r.status_code == 201, r.text
        rec = ReportStore(ws.log()).get(r.json()["report_id"])
        entry = _json.loads(ws.log().entry(rec.received_idx))
        assert entry["author"] != ws.admin_signer.vkey
        from athar.log.identity import IdentityView

        assert IdentityView(ws.log()).actor_for_vkey(entry["author"]) == "nadia"
