"""Ways in that end: tokens expire and are revoked, logout ends the session on the server,
a new password or a disabled account ends every session and token."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from athar.accounts.users import Accounts
from athar.app import create_app
from athar.cli import app as cli
from athar.errors import NotFound
from athar.workspace import Workspace

PASSWORD = "correct horse battery"


@pytest.fixture
def world(tmp_path, database_url):
    ws = Workspace.init(tmp_path / "ws", database_url=database_url)
    with TestClient(create_app(ws)) as client:
        accounts = Accounts(ws.log().db)
        accounts.add("rana", ["investigator"], PASSWORD)
        yield ws, client, accounts


def _me(client, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get("/api/v1/me", headers=headers).status_code


def _login(client, name="rana", password=PASSWORD):
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    r = client.post("/login", data={"name": name, "password": password, "csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return client.cookies.get("athar_session")


def _csrf(client):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)


def test_a_token_works_until_revoked(world):
    ws, client, accounts = world
    token = accounts.create_token("rana", "laptop", days=30)
    assert _me(client, token) == 200
    [info] = accounts.tokens.list("rana")
    assert info.active and info.label == "laptop" and info.last_used_at is not None
    assert info.expires_at > info.created_at
    accounts.tokens.revoke("rana", info.token_id)
    assert _me(client, token) == 401
    assert not accounts.tokens.list("rana")[0].active


def test_an_expired_token_is_refused(world):
    ws, client, accounts = world
    token = accounts.create_token("rana", days=1)
    assert _me(client, token) == 200
    with accounts.db.write() as txn:
        txn.execute("UPDATE api_tokens SET expires_at = '2020-01-01T00:00:00+00:00'")
    assert _me(client, token) == 401
    assert accounts.tokens.list("rana")[0].active is False


def test_logout_ends_the_session_for_every_copy_of_the_cookie(world):
    ws, client, accounts = world
    cookie = _login(client)
    assert _me(client) == 200
    r = client.post("/logout", data={"csrf_token": _csrf(client)}, follow_redirects=False)
    assert r.status_code == 303
    client.cookies.clear()
    client.cookies.set("athar_session", cookie)  # a copy taken before the logout
    assert _me(client) == 401


def test_a_new_password_ends_every_session_and_token(world):
    ws, client, accounts = world
    token = accounts.create_token("rana")
    _login(client)
    assert _me(client) == 200 and _me(client, token) == 200
    accounts.set_password("rana", "a different passphrase")
    assert _me(client) == 401
    client.cookies.clear()
    assert _me(client, token) == 401


def test_a_disabled_account_is_out_until_enabled(world):
    ws, client, accounts = world
    token = accounts.create_token("rana")
    _login(client)
    accounts.set_disabled("rana", True)
    assert _me(client) == 401
    client.cookies.clear()
    assert _me(client, token) == 401
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    r = client.post("/login", data={"name": "rana", "password": PASSWORD, "csrf_token": csrf})
    assert r.status_code == 401
    accounts.set_disabled("rana", False)
    _login(client)
    assert _me(client) == 200
    client.cookies.clear()
    assert _me(client, token) == 401  # tokens revoked by the disabling stay revoked


def test_own_tokens_through_the_api(world):
    ws, client, accounts = world
    bootstrap = accounts.create_token("rana")
    auth = {"Authorization": f"Bearer {bootstrap}"}
    r = client.post("/api/v1/me/tokens", json={"label": "ci", "days": 7}, headers=auth)
    assert r.status_code == 201, r.text
    made = r.json()
    assert _me(client, made["token"]) == 200
    listed = client.get("/api/v1/me/tokens", headers=auth).json()
    assert sorted(t["label"] for t in listed) == ["", "ci"] and all(t["active"] for t in listed)
    assert "token" not in listed[0]
    ci = next(t for t in listed if t["label"] == "ci")
    assert client.delete(f"/api/v1/me/tokens/{ci['token_id']}", headers=auth).status_code == 204
    assert _me(client, made["token"]) == 401
    assert client.delete(f"/api/v1/me/tokens/{ci['token_id']}", headers=auth).status_code == 404
    assert client.post("/api/v1/me/tokens", json={"days": 1000}, headers=auth).status_code == 422


def test_tokens_from_the_command_line(world):
    ws, client, accounts = world
    runner = CliRunner()
    home = str(ws.home)
    ws.close()
    made = runner.invoke(cli, ["users", "token", "rana", "--label", "script", "--days", "5", "--home", home])
    assert made.exit_code == 0, made.output
    token = made.stdout.strip().splitlines()[-1]
    listed = runner.invoke(cli, ["users", "tokens", "rana", "--json", "--home", home])
    [info] = __import__("json").loads(listed.stdout)
    assert info["label"] == "script" and info["active"] is True and info["user_name"] == "rana"
    out = runner.invoke(cli, ["users", "revoke-token", "rana", info["token_id"], "--home", home])
    assert out.exit_code == 0, out.output
    again = runner.invoke(cli, ["users", "revoke-token", "rana", info["token_id"], "--home", home])
    assert isinstance(again.exception, NotFound) and "no active token" in again.exception.message
    assert runner.invoke(cli, ["users", "disable", "rana", "--home", home]).exit_code == 0
    reopened = Workspace.open(home)
    try:
        accounts = Accounts(reopened.log().db)
        assert accounts.user_for_token(token) is None
        assert accounts.get("rana") is None
    finally:
        reopened.close()
