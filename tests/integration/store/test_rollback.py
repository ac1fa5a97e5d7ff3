"""Rollback and tampering that only a checkpoint held outside the database, or a replay, shows.

The attacks of issue 10: the newest entries deleted with their checkpoints and
nodes, every checkpoint deleted, a stored sensitive value edited, an admin role
inserted into a table. Each made `athar log verify --from-scratch` say OK.
"""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from typer.testing import CliRunner

from athar.cli import app
from athar.errors import ConfigError
from athar.workspace import Workspace
from tests.conftest import make_note


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.delenv("ATHAR_HOME", raising=False)
    from tests.integration.custody.conftest import World
    from tests.integration.custody.scenario import run_story

    ws = Workspace.init(tmp_path / "ws")
    from athar.custody.service import CustodyService

    world = World(ws, CustodyService.for_workspace(ws))
    run_story(world)
    from athar.incidents.service import ReportMeta, ingest_bytes
    from athar.incidents.store import ReportStore

    ingest_bytes(ReportStore(ws.log()), ws.admin_signer,
                 b"Chemical attack alleged in Ariha\n\nThe Syrian Observatory for Human Rights "
                 b"said on 5 May 2024 that chlorine was used in Ariha.", "r.txt", ReportMeta())
    log = ws.log()
    log.append_many(make_note(ws.admin_signer, f"note {i}") for i in range(30))
    log.publish_checkpoint()
    ws.close()
    return tmp_path / "ws"


def _verify(home, *args):
    return CliRunner().invoke(app, ["log", "verify", "--home", str(home), *args])


def _sql(home, *statements):
    conn = sqlite3.connect(home / "athar.db")
    for st in statements:
        conn.execute(st)
    conn.commit()
    conn.close()


def _cut(home, keep: int) -> None:
    """Delete the entries from ``keep`` on, with their checkpoints and every node over them."""
    conn = sqlite3.connect(home / "athar.db")
    conn.execute("DELETE FROM entries WHERE idx >= ?", (keep,))
    conn.execute("DELETE FROM checkpoints WHERE size > ?", (keep,))
    for (nid,) in conn.execute("SELECT id FROM nodes").fetchall():
        level, index = nid >> 48, nid & ((1 << 48) - 1)
        if (index + 1) << level > keep:
            conn.execute("DELETE FROM nodes WHERE id = ?", (nid,))
    conn.execute("UPDATE log_state SET size = ?", (keep,))
    conn.commit()
    conn.close()


def test_intact_workspace_verifies_from_scratch(home):
    assert (home / "published-checkpoint").exists()
    result = _verify(home, "--from-scratch")
    assert result.exit_code == 0, result.output
    assert "OK" in result.output


def test_the_published_checkpoint_is_kept_current(home):
    ws = Workspace.open(home)
    try:
        cp = ws.log().latest_checkpoint()
        assert (home / "published-checkpoint").read_text() == cp.note
        assert (home / "published-checkpoint").stat().st_mode & 0o077 == 0
    finally:
        ws.close()


def test_server_refuses_to_start_behind_its_published_checkpoint(home):
    _cut(home, 20)
    with pytest.raises(ConfigError, match="rollback") as err:
        Workspace.open(home).log()
    assert "published-checkpoint" in err.value.message and "backup" in err.value.message
    result = _verify(home)
    assert result.exit_code == 1 and "rollback" in result.output


def test_a_held_witness_checkpoint_shows_the_rollback(home, tmp_path):
    held = tmp_path / "witnessed"
    shutil.copy(home / "published-checkpoint", held)
    _cut(home, 20)
    (home / "published-checkpoint").unlink()  # the attacker removed the server's copy too
    result = _verify(home)
    assert result.exit_code == 0, result.output  # consistent in itself
    result = _verify(home, "--checkpoint", str(held))
    assert result.exit_code == 1 and "rollback" in result.output


def test_a_witness_cosigned_checkpoint_is_accepted_as_held(home, tmp_path):
    from athar.ledger.cosignature import Cosigner
    from athar.ledger.note import Signer

    note = (home / "published-checkpoint").read_text()
    body = note[: note.rfind("\n\n") + 1]
    held = tmp_path / "cosigned"
    held.write_text(note + Cosigner(Signer.generate("witness.example/w1")).cosign(body, 1700000000))
    assert _verify(home, "--checkpoint", str(held)).exit_code == 0
    _cut(home, 20)
    (home / "published-checkpoint").unlink()
    result = _verify(home, "--checkpoint", str(held))
    assert result.exit_code == 1 and "rollback" in result.output


def test_a_forked_log_fails_against_the_held_checkpoint(home, tmp_path):
    held = tmp_path / "witnessed"
    shutil.copy(home / "published-checkpoint", held)
    ws = Workspace.open(home)
    n = ws.log().size()
    ws.close()
    _cut(home, n - 3)
    (home / "published-checkpoint").unlink()
    ws = Workspace.open(home)
    ws.log().append_many(make_note(ws.admin_signer, f"other {i}") for i in range(5))
    ws.log().publish_checkpoint()
    ws.close()
    result = _verify(home, "--checkpoint", str(held))
    assert result.exit_code == 1 and "fork" in result.output


def test_every_checkpoint_deleted_fails(home):
    _sql(home, "DELETE FROM checkpoints")
    (home / "published-checkpoint").unlink()
    result = _verify(home)
    assert result.exit_code == 1 and "no checkpoint" in result.output


def test_an_edited_sensitive_value_fails_from_scratch(home):
    _sql(home, "UPDATE custody_secrets SET value = '\"somewhere else\"' "
               "WHERE rowid = (SELECT MIN(rowid) FROM custody_secrets)")
    assert _verify(home).exit_code == 0  # the log itself is intact
    result = _verify(home, "--from-scratch")
    assert result.exit_code == 1 and "custody_secrets" in result.output


def test_an_inserted_admin_role_fails_from_scratch(home):
    _sql(home, "INSERT INTO actor_roles (actor_id, role, granted_idx) VALUES ('lab-a', 'admin', 3)")
    result = _verify(home, "--from-scratch")
    assert result.exit_code == 1 and "actor_roles" in result.output and "lab-a" in result.output


@pytest.mark.parametrize("statement,table", [
    ("UPDATE custody_exhibits SET state = replace(state, '\"broken_seal\":false', "
     "'\"broken_seal\":true') WHERE exhibit_id = 'S-0001'", "custody_exhibits"),
    ("DELETE FROM custody_events WHERE idx = (SELECT MAX(idx) FROM custody_events)",
     "custody_events"),
    ("UPDATE actor_keys SET revoked_idx = NULL", None),
    ("UPDATE reports SET received_idx = 2", "reports"),
    ("UPDATE incidents SET place = 'elsewhere'", "incidents"),
    ("DELETE FROM incident_frames", "incident_frames"),
])
def test_edited_derived_tables_fail_from_scratch(home, statement, table):
    _sql(home, statement)
    result = _verify(home, "--from-scratch")
    if table is None:  # no key was revoked in the story: the statement changes nothing
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 1 and table in result.output, result.output
