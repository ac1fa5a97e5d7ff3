"""Worker pools end with the process that started them, even when it is SIGKILLed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

OWNER = """
import multiprocessing, os, sys
from athar.workers import worker_pool


def worker_pid(_):
    return os.getpid()


if __name__ == "__main__":
    pool = worker_pool(2, multiprocessing.get_context(sys.argv[1]))
    pids = set()
    while len(pids) < 2:
        pids |= set(pool.map(worker_pid, range(8)))
    print(" ".join(map(str, sorted(pids))), flush=True)
    input()
"""


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[-1].split()[0] == b"Z"
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_workers_exit_when_their_owner_is_killed(tmp_path, method: str) -> None:
    script = tmp_path / "owner.py"
    script.write_text(OWNER)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, str(script), method], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        workers = [int(p) for p in line.split()]
        assert len(workers) == 2 and not any(_gone(p) for p in workers)
        proc.send_signal(signal.SIGKILL)
        deadline = time.monotonic() + 10
        while not all(_gone(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(_gone(p) for p in workers), "a worker outlived its owner"
        # Nothing holds the dead owner's output open any more.
        proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
