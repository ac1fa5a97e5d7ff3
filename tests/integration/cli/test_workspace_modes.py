"""Every file under a workspace is its owner's alone (files 0600 or 0400, folders 0700) after real use:
init, serve (sessions, tokens, users), a report and an exhibit uploaded, a checkpoint, reopened."""

from __future__ import annotations

import os
import re
import stat

from fastapi.testclient import TestClient

from athar.accounts.actor_keys import add_user
from athar.app import create_app
from athar.workspace import Workspace
from tests.conftest import ROOT

REPORT = ROOT / "examples" / "reports" / "ariha-2019-10-04-levantwire-en.txt"


def _loose(home):
    found = []
    for dirpath, dirnames, filenames in os.walk(home):
        for name in [*dirnames, *filenames, ""]:
            path = os.path.join(dirpath, name) if name else dirpath
            mode = stat.S_IMODE(os.lstat(path).st_mode)
            if mode & 0o077:
                found.append((os.path.relpath(path, home), oct(mode)))
    return sorted(set(found))


def test_a_used_workspace_has_no_file_or_folder_others_can_read(tmp_path):
    old = os.umask(0o022)  # the usual umask: what Athar writes must not depend on it
    try:
        home = tmp_path / "ws"
        ws = Workspace.init(home)
        add_user(ws, "ines", ["investigator", "custodian"], "correct horse battery")
        with TestClient(create_app(ws)) as client:
            page = client.get("/login")
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            assert client.post("/login", data={"name": "ines", "password": "correct horse battery",
                                               "csrf_token": csrf}).status_code == 200
            token = client.app.state.accounts.create_token("ines", "modes")
            auth = {"authorization": f"Bearer {token}"}
            with REPORT.open("rb") as f:
                assert client.post("/api/v1/reports", headers=auth,
                                   files={"file": (REPORT.name, f, "text/plain")}).status_code == 201
            r = client.post("/api/v1/exhibits", params={"name": "photo.jpg"}, content=b"\xff\xd8evidence",
                            headers={**auth, "content-type": "application/octet-stream"})
            assert r.status_code in (200, 201), r.text
            ws.log().publish_checkpoint()
            assert _loose(home) == []
            assert any(p.name.endswith("-wal") for p in home.iterdir())  # the WAL was checked too
        ws.close()
        ws = Workspace.open(home)
        ws.log()
        ws.close()
        assert _loose(home) == []
        blobs = [p for p in (home / "blobs" / "sha256").rglob("*") if p.is_file()]
        assert blobs and all(stat.S_IMODE(p.stat().st_mode) == 0o400 for p in blobs)
    finally:
        os.umask(old)


def test_an_old_database_readable_by_others_is_made_private(tmp_path):
    home = tmp_path / "ws"
    Workspace.init(home).close()
    (home / "athar.db").chmod(0o644)
    ws = Workspace.open(home)
    ws.log()
    assert stat.S_IMODE((home / "athar.db").stat().st_mode) == 0o600
    ws.close()
