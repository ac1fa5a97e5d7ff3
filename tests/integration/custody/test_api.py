"""The custody JSON API, in-process."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from athar.accounts.actor_keys import add_user
from athar.accounts.users import Accounts
from athar.app import create_app
from athar.log.identity import IdentityView
from athar.report.verify import verify_bundle
from athar.workspace import Workspace

SECRET = "Witness Name Kept Private"


@pytest.fixture
def api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    ws = Workspace.init(tmp_path / "ws")
    with TestClient(create_app(ws)) as client:
        accounts = Accounts(ws.log().db)
        add_user(ws, "inv", ["investigator"], "a long password 1")
        add_user(ws, "lab-1", ["lab"], "a long password 3")
        accounts.add("obs", ["observer"], "a long password 2")
        client.headers["authorization"] = "Bearer " + accounts.create_token("inv", "t")
        client.obs_token = accounts.create_token("obs", "t")  # type: ignore[attr-defined]
        client.lab_token = accounts.create_token("lab-1", "t")  # type: ignore[attr-defined]
        yield client, ws


def _chunks(n: int, size: int = 65536):  # type: ignore[no-untyped-def]
    for i in range(n):
        yield bytes([i % 251]) * size


def test_upload_stream_events_timeline_verify_export(api, tmp_path: Path) -> None:
    client, ws = api
    r = client.post("/api/v1/exhibits/physical", json={
        "code": "S-1", "at": "2024-05-01T09:00:00Z", "public": {"container": "jar"},
        "private": {"description": SECRET}})
    assert r.status_code == 200, r.text
    r = client.post("/api/v1/exhibits?name=photo.bin&code=F-1&parent=S-1&at=2024-05-01T09:30:00Z",
                    content=_chunks(40), headers={"content-type": "application/octet-stream"})
    assert r.status_code == 200, r.text
    ex = client.get("/api/v1/exhibits/F-1").json()
    assert ex["size"] == 40 * 65536 and ex["parent"] == "S-1"
    files = {"file": ("readings.csv", io.BytesIO(b"device,time,quantity,unit,value\n"
                                                 b"d,2024-05-01T10:00:00Z,q,u,1\n"), "text/csv")}
    r = client.post("/api/v1/exhibits?kind=sensor&code=D-1&at=2024-05-01T10:00:00Z",
                    files=files)
    assert r.status_code == 200, r.text
    assert client.get("/api/v1/exhibits/D-1").json()["public"]["metadata"]["sensor"]["readings"]
    ev = lambda code, payload, **kw: client.post(f"/api/v1/exhibits/{code}/events",  # noqa: E731
                                                 json=payload, **kw)
    assert ev("S-1", {"action": "sealed", "at": "2024-05-01T10:00:00Z",
                      "public": {"seals": ["A-1"]}}).status_code == 200
    assert ev("S-1", {"action": "handed_over", "at": "2024-05-01T11:00:00Z",
                      "public": {"to": "lab-1"}}).status_code == 200
    r = ev("S-1", {"action": "received", "at": "2024-05-01T12:00:00Z"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "custody_rule_violation"
    r = ev("S-1", {"action": "received", "at": "2024-05-01T12:00:00Z"},
           headers={"authorization": "Bearer " + client.lab_token})
    assert r.status_code == 200, r.text
    authors = {e["kind"]: e["author"] for e in client.get("/api/v1/exhibits/S-1/timeline").json()}
    identity = IdentityView(ws.log())
    assert identity.actor_for_vkey(authors["custody.handed_over"]) == "inv"
    assert identity.actor_for_vkey(authors["custody.received"]) == "lab-1"
    timeline = client.get("/api/v1/exhibits/S-1/timeline").json()
    assert [e["body"].get("seals") for e in timeline][1] == ["A-1"]
    v = client.get("/api/v1/exhibits/S-1/verify").json()
    assert v["intact"] is True, v
    r = client.post("/api/v1/export", json={"exhibits": ["S-1"], "blobs": True})
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    bundle = tmp_path / "api.zip"
    bundle.write_bytes(r.content)
    assert verify_bundle(bundle, ws.vkey).intact
    everything = json.dumps([client.get(u).json() for u in (
        "/api/v1/exhibits", "/api/v1/exhibits/S-1", "/api/v1/exhibits/S-1/timeline",
        "/api/v1/exhibits/F-1", "/api/v1/exhibits/S-1/verify")])
    everything += "".join(json.dumps(client.get(f"/api/v1/log/entries/{i}").json())
                          for i in range(ws.log().size()))
    for needle in (SECRET, "photo.bin", "readings.csv"):
        assert needle not in everything


def test_roles_and_errors(api) -> None:
    client, _ = api
    obs = {"authorization": "Bearer " + client.obs_token}
    assert client.get("/api/v1/exhibits", headers=obs).status_code == 200
    r = client.post("/api/v1/exhibits/physical", json={}, headers=obs)
    assert r.status_code == 403
    assert client.get("/api/v1/exhibits/NOPE").status_code == 404
    r = client.post("/api/v1/exhibits", json={})
    assert r.status_code == 422
    r = client.post("/api/v1/exhibits/physical", json={"code": "X", "public": {"where": "x"}})
    assert r.status_code == 422 and "unknown field" in r.json()["error"]["message"]
    r = client.post("/api/v1/exhibits/physical", json={"code": "Y"},
                    headers={"x-athar-actor": "lab-1"})
    assert r.status_code == 422 and "X-Athar-Actor" in r.json()["error"]["message"]


def test_interrupted_upload_leaves_nothing(api) -> None:
    client, ws = api
    size = ws.log().size()

    def broken():  # type: ignore[no-untyped-def]
        yield b"x" * 100_000
        raise ConnectionError("client went away")

    with pytest.raises(ConnectionError):
        client.post("/api/v1/exhibits?name=a.bin", content=broken(),
                    headers={"content-type": "application/octet-stream"})
    assert ws.log().size() == size
    assert [p for p in ws.blob_dir.rglob("*") if p.is_file()] == []
