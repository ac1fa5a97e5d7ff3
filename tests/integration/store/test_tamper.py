"""One changed byte in a stored entry, node or checkpoint makes `athar log verify` name it."""

from __future__ import annotations

import sqlite3

import pytest
from typer.testing import CliRunner

from athar.cli import app
from athar.workspace import Workspace
from tests.conftest import make_note


@pytest.fixture
def filled(tmp_path):
    ws = Workspace.init(tmp_path / "ws")
    log = ws.log()
    log.append_many(make_note(ws.admin_signer, f"entry {i}") for i in range(40))
    log.publish_checkpoint()
    log.append_many(make_note(ws.admin_signer, f"more {i}") for i in range(20))
    log.publish_checkpoint()
    ws.close()
    return tmp_path / "ws"


def _flip(db, sql_select, sql_update, key):
    conn = sqlite3.connect(db)
    (value,) = conn.execute(sql_select, (key,)).fetchone()
    value = bytearray(value if isinstance(value, bytes) else value.encode())
    value[len(value) // 2] ^= 0x01
    conn.execute(sql_update, (bytes(value) if sql_update.find("note") < 0 else value.decode(
        errors="replace"), key))
    conn.commit()
    conn.close()


def _verify(home):
    return CliRunner().invoke(app, ["log", "verify", "--home", str(home)])


def test_intact_log_verifies(filled):
    result = _verify(filled)
    assert result.exit_code == 0, result.output
    assert "OK" in result.output and "61 entries" in result.output


def test_changed_entry_is_named(filled):
    _flip(filled / "athar.db", "SELECT data FROM entries WHERE idx = ?",
          "UPDATE entries SET data = ? WHERE idx = ?", 17)
    result = _verify(filled)
    assert result.exit_code == 1
    assert "entry 17" in result.output


def test_changed_node_is_named(filled):
    from athar.log.nodes import node_id

    _flip(filled / "athar.db", "SELECT hash FROM nodes WHERE id = ?",
          "UPDATE nodes SET hash = ? WHERE id = ?", node_id(2, 3))
    result = _verify(filled)
    assert result.exit_code == 1
    assert "level 2, index 3" in result.output and "first entry concerned: 12" in result.output


def test_changed_checkpoint_is_named(filled):
    conn = sqlite3.connect(filled / "athar.db")
    (note,) = conn.execute("SELECT note FROM checkpoints WHERE size = 41").fetchone()
    conn.execute("UPDATE checkpoints SET note = ? WHERE size = 41", (note.replace("41", "42", 1),))
    conn.commit()
    conn.close()
    result = _verify(filled)
    assert result.exit_code == 1
    assert "checkpoint at size 41" in result.output


def test_changed_leaf_in_from_scratch_mode_names_the_signature(filled):
    # Rewrite an entry and its leaf hash consistently: only the signature check catches it.
    import json

    from athar.ledger.entry import canonical_json
    from athar.ledger.hashing import leaf_hash

    conn = sqlite3.connect(filled / "athar.db")
    (data,) = conn.execute("SELECT data FROM entries WHERE idx = 5").fetchone()
    obj = json.loads(data)
    obj["body"]["text"] = "rewritten"
    new = canonical_json(obj)
    conn.execute("UPDATE entries SET data = ?, leaf_hash = ? WHERE idx = 5", (new, leaf_hash(new)))
    conn.commit()
    conn.close()
    result = CliRunner().invoke(app, ["log", "verify", "--from-scratch", "--home", str(filled)])
    assert result.exit_code == 1
    assert "entry 5" in result.output
