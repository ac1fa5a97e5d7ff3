"""The custody typo of issue 10, end to end: an event dated 2030 (accepted by a server
without the clock check) froze the exhibit; a signed correction voids it, the exhibit goes
on, and the server's Verify, the offline verifier and the API agree."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from athar.accounts.actor_keys import add_user
from athar.accounts.users import Accounts
from athar.app import create_app
from athar.custody.blobstore.local import LocalBlobStore
from athar.custody.service import CustodyService
from athar.errors import CustodyRuleViolation
from athar.report.export import export_bundle
from athar.report.verify import check_bundle
from athar.workspace import Workspace

from .conftest import make_world

TYPO = "2030-05-01T12:00:00Z"


def _key(f) -> tuple:  # type: ignore[no-untyped-def]
    return (f.severity, f.code, f.exhibit_id, f.index)


def test_a_2030_typo_is_corrected_and_the_exhibit_goes_on(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ATHAR_HOME", raising=False)
    monkeypatch.setenv("ATHAR_CUSTODY_MAX_SKEW_MINUTES", str(10 ** 7))  # a server before the fix
    home = tmp_path / "ws"
    world = make_world(home)
    inv, lab = world.actor("inv-1", "investigator"), world.actor("lab-1", "lab")
    svc = world.svc
    svc.register_physical(inv, code="S", at="2024-05-01T09:00:00Z")
    svc.record("S", "sealed", inv, at="2024-05-01T09:10:00Z", public={"seals": ["A-1"]})
    typo = svc.record("S", "handed_over", inv, at=TYPO, public={"to": "lab-1"})
    world.ws.close()
    monkeypatch.delenv("ATHAR_CUSTODY_MAX_SKEW_MINUTES")
    ws = Workspace.open(home)
    try:
        svc = CustodyService(ws.log(), LocalBlobStore(ws.blob_dir))
        with pytest.raises(CustodyRuleViolation, match="times never go backwards"):
            svc.record("S", "received", lab, at="2024-05-01T12:05:00Z")
        with pytest.raises(CustodyRuleViolation, match="ahead of the server's clock"):
            svc.record("S", "note", inv, at="2031-01-01T00:00:00Z", private={"text": "x"})
        with pytest.raises(CustodyRuleViolation, match="only the actor who recorded"):
            svc.correct("S", typo.index, "wrong_time", lab, at="2024-05-01T12:10:00Z")
        fix = svc.correct("S", typo.index, "wrong_time", inv, at="2024-05-01T12:10:00Z",
                          notes="the year was mistyped")
        svc.record("S", "handed_over", inv, at="2024-05-01T12:15:00Z", public={"to": "lab-1"})
        svc.record("S", "received", lab, at="2024-05-01T13:00:00Z")
        st = svc.state("S")
        assert st.holder == "lab-1" and st.pending_to is None and st.seals == ("A-1",)
        actions = [e.action for e in svc.timeline("S")]
        assert actions == ["registered", "sealed", "handed_over", "correction", "handed_over",
                           "received"]  # nothing deleted: the chain shows both
        server = svc.verify("S")
        voided = [f for f in server.findings if f.code == "event_voided"]
        assert server.intact and len(voided) == 1 and voided[0].index == fix.index
        assert "wrong_time" in voided[0].message
        out = tmp_path / "case.zip"
        export_bundle(svc, ["S"], out)
        offline = check_bundle(out, ws.vkey, None).report
        assert offline.intact
        assert sorted(map(_key, server.findings)) == sorted(map(_key, offline.findings))
        assert offline.states["S"] == server.states["S"] == st
    finally:
        ws.close()


def test_handover_to_an_unknown_actor_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    inv = world.actor("inv-1", "investigator")
    world.actor("obs-1", "observer")
    world.svc.register_physical(inv, code="S", at="2024-05-01T09:00:00Z")
    with pytest.raises(CustodyRuleViolation, match="no actor 'lab-9' is registered"):
        world.svc.record("S", "handed_over", inv, at="2024-05-01T10:00:00Z",
                         public={"to": "lab-9"})
    with pytest.raises(CustodyRuleViolation, match="holds no custody role"):
        world.svc.record("S", "handed_over", inv, at="2024-05-01T10:00:00Z",
                         public={"to": "obs-1"})


def test_the_events_route_accepts_a_correction_by_index(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    try:
        with TestClient(create_app(ws)) as client:
            add_user(ws, "inv", ["investigator"], "a long password 1")
            client.headers["authorization"] = "Bearer " + Accounts(ws.log().db).create_token(
                "inv", "t")
            r = client.post("/api/v1/exhibits/physical",
                            json={"code": "S-1", "at": "2024-05-01T09:00:00Z"})
            assert r.status_code == 200, r.text
            registered = r.json()["index"]
            ev = lambda payload: client.post("/api/v1/exhibits/S-1/events",  # noqa: E731
                                             json=payload)
            r = ev({"action": "stored", "at": "2030-05-01T10:00:00Z"})
            assert r.status_code == 409 and "ahead of the server's clock" in r.text
            stored = ev({"action": "stored", "at": "2024-05-01T10:00:00Z"}).json()
            r = ev({"action": "correction", "at": "2024-05-01T10:05:00Z",
                    "public": {"voids": stored["index"], "reason": "duplicate"},
                    "private": {"notes": "recorded twice"}})
            assert r.status_code == 200, r.text
            timeline = client.get("/api/v1/exhibits/S-1/timeline").json()
            assert timeline[-1]["kind"] == "custody.correction"
            assert timeline[-1]["body"]["voids"] == stored["leaf_hash"]
            assert "recorded twice" not in r.text + str(timeline)  # the notes are committed
            r = ev({"action": "correction", "at": "2024-05-01T10:06:00Z",
                    "public": {"voids": registered, "reason": "other"}})
            assert r.status_code == 409 and "cannot be voided" in r.text
            r = ev({"action": "correction", "at": "2024-05-01T10:06:00Z",
                    "public": {"voids": 0, "reason": "other"}})
            assert r.status_code == 422 and "not an event of exhibit S-1" in r.text
    finally:
        ws.close()
