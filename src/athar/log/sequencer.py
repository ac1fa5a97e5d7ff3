"""The sequencer: group commit of appends into the tree, and checkpoint publication.

Appends queue up, some with their checks already started by the submitter;
one thread takes everything queued, hands it to ``start_checks`` (which may
begin checking it elsewhere, e.g. signatures in worker processes) and keeps it
in submission order. As soon as the oldest appends are checked it
integrates them, as many as are ready, in one database transaction, and only
then acknowledges them, so an acknowledged entry is durable. Checks of later
appends run on while earlier ones are written. Checkpoints are published when
``M`` entries have arrived since the last one, or ``N`` ms after the first
uncovered entry.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from typing import Any

__all__ = ["Batch", "Pending", "Sequencer", "SequencerOptions"]


@dataclass(frozen=True)
class SequencerOptions:
    """How appends are batched and how often checkpoints are published."""

    batch_max: int = 2000
    checkpoint_interval_ms: int = 50
    checkpoint_max_entries: int = 5000


_DRAIN_MAX = 16384  # appends taken from the queue per round, so one round stays short
_POLL = 0.005  # seconds between looks at the queue while the oldest append is being checked


class Batch:
    """Where the results of many appends land, and a way to wait for all of them.

    One of these for a bulk append, instead of a Future per entry, keeps the
    number of live objects (and the garbage collector's work) small.
    """

    __slots__ = ("results", "_left", "_cond")

    def __init__(self, n: int) -> None:
        self.results: list[Any] = [_UNSET] * n
        self._left = n
        self._cond = threading.Condition()

    def put(self, position: int, outcome: Any) -> None:
        """Record the result (or exception) of the append at ``position``, once."""
        with self._cond:
            if self.results[position] is _UNSET:
                self.results[position] = outcome
                self._left -= 1
                if not self._left:
                    self._cond.notify_all()

    def wait(self) -> list[Any]:
        """Block until every append has its result; return them in order."""
        with self._cond:
            self._cond.wait_for(lambda: not self._left)
        return self.results


_UNSET: Any = object()


@dataclass(eq=False, slots=True)
class Pending:
    """One queued append, where its result goes, and its check when one was started.

    The result goes to ``future`` (single appends) or to ``batch`` at ``position``.
    """

    data: bytes
    future: Future | None = None  # type: ignore[type-arg]
    context: object = None
    """What the caller hands the entry's hook with the append (see :meth:`EntryHook.apply`)."""
    batch: Batch | None = None
    position: int = 0
    check: Future | None = None  # type: ignore[type-arg]
    """Resolves to the verdicts of the chunk this append was checked in (see ``slot``)."""
    slot: int = 0
    checkpoint_after: bool = False
    """End the batch with this append and publish a checkpoint right after it, before any
    later append is integrated (the checkpoint's size is then this entry's index + 1)."""

    def ready(self) -> bool:
        """True unless a started check is still running."""
        return self.check is None or self.check.done()

    def done(self) -> bool:
        """True once a result or an exception was set."""
        if self.batch is not None:
            return self.batch.results[self.position] is not _UNSET
        return self.future is not None and self.future.done()

    def set_result(self, result: Any) -> None:
        if self.batch is not None:
            self.batch.put(self.position, result)
        elif self.future is not None:
            self.future.set_result(result)

    def set_exception(self, exc: BaseException) -> None:
        if self.batch is not None:
            self.batch.put(self.position, exc)
        elif self.future is not None:
            self.future.set_exception(exc)


class Sequencer:
    """A background thread that integrates queued appends and publishes checkpoints."""

    def __init__(
        self,
        integrate: Callable[[list[Pending]], int],
        publish: Callable[[], int],
        options: SequencerOptions,
        start_checks: Callable[[list[Pending]], None] | None = None,
    ) -> None:
        self._integrate = integrate
        self._publish = publish
        self._start_checks = start_checks
        self.options = options
        self._queue: queue.Queue[Pending | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._cp_cond = threading.Condition()
        self.checkpoint_size = 0
        self._uncovered_since: float | None = None
        self._uncovered = 0
        self._error: BaseException | None = None

    def start(self, checkpoint_size: int) -> None:
        with self._lock:
            if self._thread is None:
                self.checkpoint_size = checkpoint_size
                self._thread = threading.Thread(target=self._run, name="athar-sequencer",
                                                daemon=True)
                self._thread.start()

    def submit(self, data: bytes, context: object = None) -> Future:  # type: ignore[type-arg]
        """Queue one append (with its hook ``context``); its checks start when the sequencer takes it."""
        future: Future = Future()  # type: ignore[type-arg]
        self._queue.put(Pending(data, future, context))
        return future

    def enqueue(self, pending: list[Pending]) -> None:
        """Queue appends, in order, whose checks the caller may already have started."""
        for p in pending:
            self._queue.put(p)

    def wait_checkpoint(self, size: int, timeout: float) -> bool:
        """Block until a checkpoint covering ``size`` entries is published."""
        deadline = time.monotonic() + timeout
        with self._cp_cond:
            while self.checkpoint_size < size:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cp_cond.wait(left)
        return True

    def note_checkpoint(self, size: int) -> None:
        with self._cp_cond:
            if size > self.checkpoint_size:
                self.checkpoint_size = size
            self._uncovered = 0
            self._uncovered_since = None
            self._cp_cond.notify_all()

    def stop(self) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join()

    def _timeout(self) -> float | None:
        if self._uncovered_since is None:
            return None
        due = self._uncovered_since + self.options.checkpoint_interval_ms / 1000
        return max(0.0, due - time.monotonic())

    def _run(self) -> None:
        inflight: deque[Pending] = deque()
        stopping = False
        while True:
            stopping = self._take(inflight, block=not inflight and not stopping) or stopping
            if not inflight:
                self._maybe_publish(force=stopping)
                if stopping:
                    return
                continue
            if not inflight[0].ready():
                # Later appends are being checked meanwhile. Wake for a due checkpoint,
                # and now and then to start checks of appends submitted since.
                due = self._timeout()
                wait([inflight[0].check], timeout=_POLL if due is None else min(due, _POLL),  # type: ignore[list-item]
                     return_when=FIRST_COMPLETED)
                if not inflight[0].ready():
                    self._maybe_publish(force=False)
                    continue
            batch: list[Pending] = []
            while inflight and len(batch) < self.options.batch_max and inflight[0].ready():
                batch.append(inflight.popleft())
                if batch[-1].checkpoint_after:
                    break
            self._run_batch(batch)
            self._maybe_publish(force=(stopping and not inflight) or batch[-1].checkpoint_after)

    def _take(self, inflight: deque[Pending], block: bool) -> bool:
        """Move queued appends to ``inflight`` and start their checks; True when told to stop."""
        new: list[Pending] = []
        stopping = False
        try:
            if block:
                first = self._queue.get(timeout=self._timeout())
                if first is None:
                    return True
                new.append(first)
            while len(new) < _DRAIN_MAX:
                item = self._queue.get_nowait()
                if item is None:
                    stopping = True
                    break
                new.append(item)
        except queue.Empty:
            pass
        if new:
            if self._start_checks is not None:
                try:
                    self._start_checks(new)
                except Exception:  # noqa: BLE001 - appends left unchecked are checked inline
                    pass
            inflight.extend(new)
        return stopping

    def _run_batch(self, batch: list[Pending]) -> None:
        try:
            added = self._integrate(batch)
        except BaseException as exc:  # noqa: BLE001 - every waiter must hear of it
            for p in batch:
                if not p.done():
                    p.set_exception(exc)
            return
        if added:
            self._uncovered += added
            if self._uncovered_since is None:
                self._uncovered_since = time.monotonic()

    def _maybe_publish(self, force: bool) -> None:
        if not self._uncovered:
            return
        due = self._timeout() == 0.0
        if force or due or self._uncovered >= self.options.checkpoint_max_entries:
            try:
                self.note_checkpoint(self._publish())
            except BaseException:  # noqa: BLE001 - retried on the next round
                self._uncovered_since = time.monotonic()
