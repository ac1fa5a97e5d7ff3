"""The log's identity: its origin, chosen at init or derived from its key (never the machine),
names its key."""

from __future__ import annotations

import re
import socket

import pytest
from typer.testing import CliRunner

from athar.cli import app
from athar.errors import ConfigError
from athar.ledger.checkpoint import Checkpoint
from athar.ledger.note import Verifier
from athar.ledger.note import open as open_note
from athar.witness import witness_signer
from athar.workspace import Workspace


def _signed_by_origin(ws: Workspace) -> None:
    origin = ws.settings.origin
    assert ws.vkey.split("+")[0] == origin == ws.log_signer.name
    note = ws.log().latest_checkpoint().note
    assert note.splitlines()[0] == origin
    assert re.search(rf"^\u2014 {re.escape(origin)} ", note, re.M)
    opened = open_note(note, [Verifier.from_vkey(ws.vkey)])
    assert Checkpoint.from_text(opened.text).origin == origin


def test_the_default_origin_comes_from_the_key_not_the_host(tmp_path):
    ws = Workspace.init(tmp_path / "a")
    origin = ws.settings.origin
    assert re.fullmatch(r"athar\.invalid/log/[0-9a-f]{16}", origin), origin
    assert socket.gethostname() not in origin
    _signed_by_origin(ws)
    ws.close()
    other = Workspace.init(tmp_path / "b")
    assert other.settings.origin != origin
    other.close()
    again = Workspace.open(tmp_path / "a")
    assert again.settings.origin == origin and again.vkey.startswith(origin + "+")
    assert witness_signer(again).name == origin + "/witness"
    again.close()


def test_an_origin_chosen_at_init_is_the_key_name(tmp_path):
    r = CliRunner().invoke(app, ["init", "--home", str(tmp_path / "ws"), "--origin", "example.org/athar/log"])
    assert r.exit_code == 0, r.output
    assert "log origin: example.org/athar/log" in r.output
    ws = Workspace.open(tmp_path / "ws")
    assert ws.settings.origin == "example.org/athar/log"
    _signed_by_origin(ws)
    ws.close()


@pytest.mark.parametrize("bad", ["https://example.org/log", "example org/log", "a+b.org/log", "nodots",
                                 "example.org/\"quoted", "/leading.org", "x" * 201 + ".org",
                                 "ex\u00e4mple.org/log"])
def test_invalid_origins_are_refused(tmp_path, bad):
    with pytest.raises(ConfigError, match="schema-less URL"):
        Workspace.init(tmp_path / "ws", origin=bad)
    assert not (tmp_path / "ws" / "log.key").exists()
