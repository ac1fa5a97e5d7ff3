"""``athar db status`` and ``athar db upgrade`` on a new workspace and on the v0.1 fixture."""

from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from athar.cli import app
from athar.store.migrate import BASELINE, HEAD
from tests.conftest import ROOT

runner = CliRunner()
FIXTURE = ROOT / "tests" / "assets" / "workspaces" / "v0.1" / "workspace"


def run(*args):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_new_workspace_is_current(tmp_path):
    home = str(tmp_path / "ws")
    run("init", "--home", home)
    assert json.loads(run("db", "status", "--json", "--home", home)) == {
        "revision": HEAD, "head": HEAD, "state": "current"}
    assert f"already at revision {HEAD}" in run("db", "upgrade", "--home", home)


def test_upgrade_the_v0_1_workspace_with_a_backup_elsewhere(tmp_path):
    home = tmp_path / "ws"
    shutil.copytree(FIXTURE, home)
    for p in home.rglob("*"):
        if p.is_file() and p.suffix in (".key", ".secret"):
            p.chmod(0o600)
    assert json.loads(run("db", "status", "--json", "--home", str(home)))["revision"] == BASELINE
    backups = tmp_path / "backups"
    backups.mkdir()
    out = run("db", "upgrade", "--home", str(home), "--backup-dir", str(backups))
    assert f"from {BASELINE} to {HEAD}" in out
    [backup] = backups.iterdir()
    assert str(backup) in out.replace("\n", "")
    assert json.loads(run("db", "status", "--json", "--home", str(home)))["state"] == "current"
