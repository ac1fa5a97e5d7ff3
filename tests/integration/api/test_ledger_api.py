"""The log's JSON API and C2SP endpoints, driven in-process."""

from __future__ import annotations

import base64

import pytest
from fastapi.testclient import TestClient

from athar.accounts.users import Accounts
from athar.app import create_app
from athar.ledger.checkpoint import Checkpoint
from athar.ledger.note import Verifier
from athar.ledger.note import open as open_note
from athar.ledger.proof import verify_consistency, verify_inclusion
from athar.ledger.tiles import unbundle_entries
from athar.workspace import Workspace
from tests.conftest import make_note


@pytest.fixture
def client(tmp_path):
    ws = Workspace.init(tmp_path / "ws")
    with TestClient(create_app(ws)) as c:
        accounts = Accounts(ws.log().db)
        accounts.add("writer", ["investigator"], "a long enough password")
        c.headers["Authorization"] = f"Bearer {accounts.create_token('writer', 'tests')}"
        c.ws = ws
        yield c


def b(s):
    return base64.b64decode(s)


def test_home_page_shows_size_checkpoint_and_key(client):
    r = client.get("/")
    assert r.status_code == 200
    assert client.ws.vkey in r.text and 'id="log-size"' in r.text and "/api/docs" in r.text


def test_append_then_prove_with_the_public_api(client):
    ws = client.ws
    idx = []
    for i in range(10):
        r = client.post("/api/v1/log/append", content=make_note(ws.admin_signer, f"n{i}").to_bytes())
        assert r.status_code == 200, r.text
        idx.append(r.json()["index"])
    r = client.post("/api/v1/log/append?wait=true",
                    content=make_note(ws.admin_signer, "last").to_bytes()).json()
    note = r["checkpoint"]
    cp = Checkpoint.from_text(open_note(note, [Verifier.from_vkey(ws.vkey)]).text)
    verify_inclusion(b(r["leaf_hash"]), r["index"], r["tree_size"], [b(p) for p in r["proof"]],
                     cp.root_hash)
    inc = client.get("/api/v1/log/proof/inclusion", params={"index": idx[3]}).json()
    verify_inclusion(b(inc["leaf_hash"]), idx[3], inc["tree_size"], [b(p) for p in inc["proof"]],
                     b(inc["root_hash"]))
    con = client.get("/api/v1/log/proof/consistency", params={"from": 3, "to": cp.size}).json()
    verify_consistency(3, cp.size, [b(p) for p in con["proof"]], b(con["root1"]), cp.root_hash)
    entry = client.get(f"/api/v1/log/entries/{idx[0]}").json()
    assert entry["entry"]["body"] == {"text": "n0"}


def test_tiles_and_checkpoint_text(client):
    ws = client.ws
    for i in range(5):
        client.post("/api/v1/log/append", content=make_note(ws.admin_signer, f"t{i}").to_bytes())
    size = ws.log().publish_checkpoint().size
    text = client.get("/checkpoint").text
    assert Checkpoint.from_text(open_note(text, [Verifier.from_vkey(ws.vkey)]).text).size == size
    bundle = client.get(f"/tile/entries/000.p/{size}")
    assert bundle.status_code == 200
    assert unbundle_entries(bundle.content) == ws.log().entries(0, size)
    assert len(client.get(f"/tile/0/000.p/{size}").content) == 32 * size
    assert client.get("/tile/0/000").status_code == 404
    assert client.get("/tile/0/../../etc/passwd").status_code == 404


def test_errors_share_one_shape(client):
    for r in (client.get("/api/v1/log/entries/999"),
              client.post("/api/v1/log/append", content=b"not json"),
              client.get("/api/v1/log/proof/inclusion", params={"index": "x"}),
              client.get("/api/v1/log/proof/inclusion", params={"index": 50, "size": 100})):
        assert r.status_code in (404, 422)
        err = r.json()["error"]
        assert set(err) == {"code", "message", "details"} and err["message"]


def test_oversized_append_is_refused_without_reading_everything(client):
    r = client.post("/api/v1/log/append", content=b"x" * (3 << 20))
    # Over max_body_bytes (1 MiB): refused from its Content-Length before a byte is read.
    assert r.status_code == 413 and "limit" in r.json()["error"]["message"]
