"""The sequencer on its own: checks started ahead, integration in order, checkpoints on time."""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future

from athar.log.sequencer import Pending, Sequencer, SequencerOptions


class Recorder:
    def __init__(self) -> None:
        self.integrated: list[bytes] = []
        self.batches: list[int] = []
        self.published: list[int] = []
        self.checks: list[Future] = []  # type: ignore[type-arg]
        self.lock = threading.Lock()

    def integrate(self, batch: list[Pending]) -> int:
        assert all(p.ready() for p in batch), "integrated before its check finished"
        with self.lock:
            self.batches.append(len(batch))
            for p in batch:
                self.integrated.append(p.data)
                p.future.set_result(len(self.integrated) - 1)
        return len(batch)

    def publish(self) -> int:
        with self.lock:
            self.published.append(len(self.integrated))
            return len(self.integrated)

    def start_checks(self, items: list[Pending]) -> None:
        # One check per call for the appends not checked yet, finished later by the test.
        unchecked = [p for p in items if p.check is None]
        if unchecked:
            check: Future = Future()  # type: ignore[type-arg]
            for slot, p in enumerate(unchecked):
                p.check, p.slot = check, slot
            self.checks.append(check)


def test_later_appends_wait_for_an_earlier_check_and_keep_their_order() -> None:
    rec = Recorder()
    seq = Sequencer(rec.integrate, rec.publish, SequencerOptions(checkpoint_interval_ms=20),
                    rec.start_checks)
    checks: list[Future] = [Future(), Future()]  # type: ignore[type-arg]
    groups = [[Pending(b"%s%d" % (name, i), Future()) for i in range(3)]
              for name in (b"a", b"b")]
    for check, group in zip(checks, groups, strict=True):
        for slot, p in enumerate(group):
            p.check, p.slot = check, slot
    seq.start(0)
    try:
        seq.enqueue(groups[0] + groups[1])
        checks[1].set_result([None] * 3)  # the later check finishes first
        time.sleep(0.1)
        assert rec.integrated == [] and not any(p.future.done() for g in groups for p in g)
        checks[0].set_result([None] * 3)
        assert [p.future.result(5) for g in groups for p in g] == list(range(6))
        assert rec.integrated == [b"a0", b"a1", b"a2", b"b0", b"b1", b"b2"]
        assert rec.checks == []  # nothing was left unchecked
    finally:
        seq.stop()
    assert rec.published[-1] == 6


def _wait_for_checks(rec: Recorder, n: int) -> None:
    deadline = time.monotonic() + 5
    while len(rec.checks) < n and time.monotonic() < deadline:
        time.sleep(0.005)
    assert len(rec.checks) == n


def test_a_due_checkpoint_is_published_while_a_check_is_still_running() -> None:
    rec = Recorder()
    seq = Sequencer(rec.integrate, rec.publish, SequencerOptions(checkpoint_interval_ms=300),
                    rec.start_checks)
    seq.start(0)
    try:
        early = seq.submit(b"early")
        _wait_for_checks(rec, 1)
        rec.checks[0].set_result([None])
        assert early.result(5) == 0
        slow = seq.submit(b"slow")  # well before the checkpoint of "early" is due
        _wait_for_checks(rec, 2)
        assert seq.wait_checkpoint(1, 5)
        assert rec.published == [1] and not slow.done()
        rec.checks[1].set_result([None])
        assert slow.result(5) == 1
        assert seq.wait_checkpoint(2, 5)
    finally:
        seq.stop()


def test_a_failed_integration_reaches_every_waiter_once() -> None:
    from athar.errors import StoreError
    from athar.log.sequencer import Batch

    calls: list[int] = []

    def integrate(batch: list[Pending]) -> int:
        calls.append(len(batch))
        batch[0].set_result("first one landed")  # resolved before the failure: kept
        raise StoreError("disk gone")

    seq = Sequencer(integrate, lambda: 0, SequencerOptions())
    bulk = Batch(3)
    single: Future = Future()  # type: ignore[type-arg]
    items = [Pending(b"x%d" % i, batch=bulk, position=i) for i in range(3)]
    items.append(Pending(b"y", single))
    seq.enqueue(items)
    seq.start(0)
    try:
        results = bulk.wait()
        assert results[0] == "first one landed"
        assert all(isinstance(r, StoreError) for r in results[1:])
        assert isinstance(single.exception(5), StoreError)
        assert sum(calls) == 4
    finally:
        seq.stop()
