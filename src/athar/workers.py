"""Worker processes that do not outlive the process that started them.

A ``ProcessPoolExecutor``'s workers wait on their task queue forever: when
the process that owns the pool is killed (SIGKILL, OOM killer, a crash) they
never hear of it, and they keep the pipes they inherited open, so whoever
reads the dead process's output (a supervisor, a test) waits for ever too.
Pools made here start a small thread in each worker that ends the worker as
soon as the owner is gone.
"""

from __future__ import annotations

import os
import select
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext

__all__ = ["worker_pool"]

_POLL_SECONDS = 1.0


def worker_pool(workers: int, context: BaseContext) -> ProcessPoolExecutor:
    """A process pool whose workers exit within about a second of this process's death."""
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_watch_owner,
                               initargs=(os.getpid(),))


def _watch_owner(owner: int) -> None:
    threading.Thread(target=_exit_with, args=(owner,), name="athar-owner-watch",
                     daemon=True).start()


def _exit_with(owner: int) -> None:
    try:
        fd = os.pidfd_open(owner)
    except ProcessLookupError:
        os._exit(0)
    except (AttributeError, OSError):
        # No pidfd here (old kernel, not Linux): look every second instead.
        while _alive(owner):
            time.sleep(_POLL_SECONDS)
        os._exit(0)
    # A pidfd becomes readable when the process exits, reaped or not.
    select.select([fd], [], [])
    os._exit(0)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[-1].split()[0] != b"Z"  # a zombie is gone too
    except OSError:
        return True
