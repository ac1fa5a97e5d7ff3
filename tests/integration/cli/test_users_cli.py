"""``athar users`` and the admin that the first ``athar serve`` creates."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from athar.accounts.users import Accounts
from athar.cli import app
from athar.workspace import Workspace

runner = CliRunner()


def run(*args, input=None):  # noqa: A002
    result = runner.invoke(app, list(args), input=input)
    assert result.exit_code == 0, result.output
    return result


def test_add_list_token_and_password_stdin(tmp_path):
    home = str(tmp_path / "ws")
    run("init", "--home", home)
    out = run("users", "add", "sami", "--role", "lab", "--role", "reviewer", "--home", home)
    password = out.stdout.strip().splitlines()[-1]
    assert len(password) >= 16
    run("users", "add", "lina", "--role", "custodian", "--password-stdin", "--home", home,
        input="chosen password\n")
    users = json.loads(run("users", "list", "--json", "--home", home).stdout)
    assert users == [
        {"name": "lina", "roles": ["custodian"], "must_change_password": False, "disabled": False},
        {"name": "sami", "roles": ["lab", "reviewer"], "must_change_password": True, "disabled": False},
    ]
    token = run("users", "token", "lina", "--home", home).stdout.strip()
    ws = Workspace.open(home)
    try:
        accounts = Accounts(ws.log().db)
        assert accounts.authenticate("sami", password).roles == ("lab", "reviewer")
        assert accounts.authenticate("lina", "chosen password").must_change is False
        assert accounts.user_for_token(token).name == "lina"
        assert accounts.stored_password_hash("lina").startswith("$argon2id$")
    finally:
        ws.close()


def test_bad_role_and_duplicate_user_are_clear_errors(tmp_path):
    home = str(tmp_path / "ws")
    run("init", "--home", home)
    r = runner.invoke(app, ["users", "add", "x", "--role", "king", "--home", home])
    assert r.exit_code != 0 and "unknown role" in str(r.exception)
    run("users", "add", "x", "--role", "observer", "--home", home)
    r = runner.invoke(app, ["users", "add", "x", "--role", "observer", "--home", home])
    assert r.exit_code != 0 and "already exists" in str(r.exception)


def test_first_serve_creates_admin_once(tmp_path, monkeypatch):
    import uvicorn

    home = str(tmp_path / "ws")
    run("init", "--home", home)
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)
    first = run("serve", "--home", home)
    assert "one-time password" in first.stderr
    password = first.stderr.split("one-time password:")[1].split()[0]
    second = run("serve", "--home", home)
    assert "one-time password" not in second.stderr
    ws = Workspace.open(home)
    try:
        user = Accounts(ws.log().db).authenticate("admin", password)
        assert user.roles == ("admin",) and user.must_change
    finally:
        ws.close()
    assert (tmp_path / "ws" / "session.key").stat().st_mode & 0o777 == 0o600
