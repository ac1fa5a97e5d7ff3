"""SIGKILL at random moments loses no acknowledged entry; the log still verifies."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from athar.ledger.hashing import leaf_hash
from athar.log.audit import audit_log
from athar.workspace import Workspace

HELPER = Path(__file__).with_name("_append_loop.py")


@pytest.mark.slow
def test_sigkill_loses_no_acknowledged_entry(tmp_path, database_url):
    Workspace.init(tmp_path / "ws", database_url=database_url).close()
    acked: dict[int, str] = {}
    rng = random.Random(1234)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for round_ in range(20):
        proc = subprocess.Popen([sys.executable, str(HELPER), str(tmp_path / "ws"), str(round_)],
                                stdout=subprocess.PIPE, text=True, env=env)
        time.sleep(0.4 + rng.random() * 0.6)
        proc.send_signal(signal.SIGKILL)
        # Its checker processes must not outlive it (they would hold stdout open).
        out, _ = proc.communicate(timeout=30)
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 2 and len(parts[1]) == 64:  # a torn last line is not an ack
                acked[int(parts[0])] = parts[1]
    assert len(acked) > 100, "the helper acknowledged too few entries to test anything"
    ws = Workspace.open(tmp_path / "ws")
    try:
        log = ws.log()
        for index, h in acked.items():
            assert leaf_hash(log.entry(index)).hex() == h
        cp = log.publish_checkpoint()
        report = audit_log(log, ws.log_signer.verifier())
        assert report.ok, report.problem
        assert report.checkpoints >= 2 and cp.size == log.size()
    finally:
        ws.close()
