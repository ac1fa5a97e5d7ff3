"""The sequencer: group commit of appends into the tree, and checkpoint publication.

Appends queue up; one thread takes them in batches, checks them, integrates
each batch in one database transaction and only then acknowledges them, so an
acknowledged entry is durable. Checkpoints are published when ``M`` entries
have arrived since the last one, or ``N`` ms after the first uncovered entry.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field

__all__ = ["Pending", "Sequencer", "SequencerOptions"]


@dataclass(frozen=True)
class SequencerOptions:
    """How appends are batched and how often checkpoints are published."""

    batch_max: int = 2000
    checkpoint_interval_ms: int = 50
    checkpoint_max_entries: int = 5000


@dataclass
class Pending:
    """One queued append and the future its caller waits on."""

    data: bytes
    future: Future = field(default_factory=Future)  # type: ignore[type-arg]


class Sequencer:
    """A background thread that integrates queued appends and publishes checkpoints."""

    def __init__(
        self,
        integrate: Callable[[list[Pending]], int],
        publish: Callable[[], int],
        options: SequencerOptions,
    ) -> None:
        self._integrate = integrate
        self._publish = publish
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

    def submit(self, data: bytes) -> Future:  # type: ignore[type-arg]
        p = Pending(data)
        self._queue.put(p)
        return p.future

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
        stopping = False
        while not stopping:
            try:
                first = self._queue.get(timeout=self._timeout())
            except queue.Empty:
                self._maybe_publish(force=True)
                continue
            batch: list[Pending] = []
            if first is None:
                stopping = True
            else:
                batch.append(first)
            while len(batch) < self.options.batch_max:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stopping = True
                    break
                batch.append(item)
            if batch:
                self._run_batch(batch)
            self._maybe_publish(force=stopping)

    def _run_batch(self, batch: list[Pending]) -> None:
        try:
            added = self._integrate(batch)
        except BaseException as exc:  # noqa: BLE001 - every waiter must hear of it
            for p in batch:
                if not p.future.done():
                    p.future.set_exception(exc)
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
