"""The ledger commands as a new user runs them."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from athar.cli import app
from athar.ledger.note import Verifier
from athar.ledger.note import open as open_note
from athar.ledger.proof import verify_inclusion

runner = CliRunner()


def run(*args):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_init_append_prove_verify_export(tmp_path):
    home = str(tmp_path / "ws")
    run("init", "--home", home)
    run("init", "--home", home, "--if-missing")
    vkey = run("keys", "show", "--home", home).strip()
    Verifier.from_vkey(vkey)
    out = json.loads(run("log", "append", "first note", "--home", home, "--wait"))
    assert out["index"] == 1
    import base64

    note = out["checkpoint"]
    from athar.ledger.checkpoint import Checkpoint

    cp = Checkpoint.from_text(open_note(note, [Verifier.from_vkey(vkey)]).text)
    verify_inclusion(base64.b64decode(out["leaf_hash"]), 1, out["tree_size"],
                     [base64.b64decode(p) for p in out["proof"]], cp.root_hash)
    proof = json.loads(run("log", "prove", "--index", "0", "--home", home))
    assert proof["tree_size"] == 2
    cons = json.loads(run("log", "consistency", "--from", "1", "--to", "2", "--home", home))
    assert len(cons["proof"]) == 1
    assert "OK" in run("log", "verify", "--home", home)
    assert "wrote" in run("log", "export-tiles", str(tmp_path / "tiles"), "--home", home)
    assert (tmp_path / "tiles" / "checkpoint").read_text().startswith(cp.origin)
    assert (tmp_path / "tiles" / "tile" / "entries" / "000.p" / "2").exists()
    # The checkpoint is signed by a key named as the log's origin.
    assert f"\u2014 {cp.origin} " in run("log", "checkpoint", "--home", home)


def test_clear_errors_without_a_workspace(tmp_path):
    result = runner.invoke(app, ["log", "verify", "--home", str(tmp_path / "none")])
    assert result.exit_code != 0
    assert "athar init" in str(result.exception) or "athar init" in result.output


def test_workspace_keys_are_private(tmp_path):
    home = tmp_path / "ws"
    run("init", "--home", str(home))
    for name in ("log.key", "admin.key"):
        assert (home / name).stat().st_mode & 0o777 == 0o600
    (home / "log.key").chmod(0o644)
    result = runner.invoke(app, ["keys", "show", "--home", str(home)])
    assert result.exit_code != 0 and "chmod 600" in str(result.exception)
