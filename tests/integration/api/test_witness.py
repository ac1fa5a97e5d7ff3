"""Two Athar instances: one witnesses the other over HTTP and the log stores its cosignature."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import uvicorn

from athar.app import create_app
from athar.errors import VerificationError
from athar.ledger.cosignature import CosignatureVerifier, verify_cosignatures
from athar.witness import check_and_cosign, witness_once, witness_signer
from athar.workspace import Workspace
from tests.conftest import make_note


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    witness_ws = Workspace.init(tmp_path / "witness")
    log_home = tmp_path / "log"
    Workspace.init(log_home).close()
    wkey = witness_signer(witness_ws).verifier().vkey
    (log_home / "athar.toml").write_text(
        (log_home / "athar.toml").read_text() + f'witnesses = ["{wkey}"]\n')
    log_ws = Workspace.open(log_home)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(log_ws), host="127.0.0.1", port=port,
                                           log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    yield log_ws, witness_ws, f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    witness_ws.close()


def test_witness_checks_consistency_and_cosigns(served):
    log_ws, witness_ws, url = served
    log = log_ws.log()
    log.append_many(make_note(log_ws.admin_signer, f"a{i}") for i in range(10))
    log.publish_checkpoint()
    first = witness_once(witness_ws, url, log_ws.vkey)
    assert first["accepted_by_log"] and first["size"] == 11
    log.append_many(make_note(log_ws.admin_signer, f"b{i}") for i in range(7))
    cp = log.publish_checkpoint()
    second = witness_once(witness_ws, url, log_ws.vkey)
    assert second["size"] == 18 and second["accepted_by_log"]
    stored = log.latest_checkpoint()
    assert stored.size == cp.size and len(stored.cosignatures) == 1
    w = CosignatureVerifier.from_vkey(first["witness_vkey"])
    assert [c.name for c in verify_cosignatures(stored.with_cosignatures(), [w])] == [w.name]


def test_witness_refuses_a_rollback_and_a_fork(tmp_path):
    log_ws = Workspace.init(tmp_path / "log")
    witness_ws = Workspace.init(tmp_path / "w")
    try:
        log = log_ws.log()
        log.append_many(make_note(log_ws.admin_signer, f"a{i}") for i in range(5))
        big = log.publish_checkpoint()
        small = log.checkpoint_at(1)
        cosigner = witness_signer(witness_ws)
        wlog = witness_ws.log()
        check_and_cosign(wlog, cosigner, big.note, log_ws.vkey, log.consistency_proof)
        with pytest.raises(VerificationError, match="rolled back"):
            check_and_cosign(wlog, cosigner, small.note, log_ws.vkey, log.consistency_proof)
        # A different tree of the same size signed with the same key is a fork.
        from athar.ledger.checkpoint import Checkpoint
        from athar.ledger.note import sign

        forged = sign(Checkpoint(big.checkpoint.origin, big.size, b"\x01" * 32).to_text(),
                      [log_ws.log_signer])
        with pytest.raises(VerificationError, match="forked"):
            check_and_cosign(wlog, cosigner, forged, log_ws.vkey, log.consistency_proof)
    finally:
        log_ws.close()
        witness_ws.close()
