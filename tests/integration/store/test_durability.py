"""Durability that a test guards: each of these fails if a write path stops syncing.

The SIGKILL test (test_crash.py) passes with fsync switched off: a killed
process loses nothing the kernel already holds. A power cut loses what is
not on the disk, so these tests check the settings and the order of syncs
themselves: SQLite ``synchronous=FULL`` (PostgreSQL ``synchronous_commit``
on) read back on the very connection the log writes entries with, and a
blob's file and folders synced before the entry naming it is appended.
"""

from __future__ import annotations

import io
import os

import pytest

from athar.custody.blobstore.local import LocalBlobStore
from athar.custody.service import CustodyService
from athar.ledger.entry import Entry
from athar.log.server import Log
from athar.workspace import Workspace
from tests.integration.custody.conftest import World

_SQLITE_FULL = 2


class _Probe:
    """A hook that reads the durability setting inside the append's own transaction."""

    kinds = frozenset({"probe.durability"})

    def __init__(self) -> None:
        self.seen: list[object] = []

    def check(self, entry, leaf_hash, txn) -> None:
        return None

    def apply(self, entry, index, leaf_hash, txn, context) -> None:
        sql = "PRAGMA synchronous" if txn.dialect == "sqlite" else "SHOW synchronous_commit"
        self.seen.append(txn.execute(sql).fetchone()[0])


def _probe(log: Log, signer) -> _Probe:
    probe = _Probe()
    log.register_hook(probe)
    log.append(Entry.create("probe.durability", {"n": 1}, signer))
    log.append_many([Entry.create("probe.durability", {"n": i}, signer) for i in range(2, 200)])
    return probe


def test_sqlite_commits_with_synchronous_full(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("ATHAR_HOME", raising=False)
    monkeypatch.delenv("ATHAR_SQLITE_SYNCHRONOUS", raising=False)
    ws = Workspace.init(tmp_path / "ws")
    try:
        probe = _probe(ws.log(), ws.admin_signer)
        assert probe.seen and set(probe.seen) == {_SQLITE_FULL}, probe.seen
        with ws.log().db.write() as txn:  # and the checkpoint's transaction, on the same writer
            assert txn.execute("PRAGMA synchronous").fetchone()[0] == _SQLITE_FULL
            assert txn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        ws.close()


@pytest.mark.postgres
def test_postgres_commits_with_synchronous_commit_on(tmp_path, monkeypatch) -> None:
    url = os.environ.get("ATHAR_TEST_DATABASE_URL")
    if not url:
        pytest.skip("ATHAR_TEST_DATABASE_URL is not set")
    monkeypatch.delenv("ATHAR_HOME", raising=False)
    import uuid

    sep = "&" if "?" in url else "?"
    ws = Workspace.init(tmp_path / "ws", database_url=f"{url}{sep}schema=d{uuid.uuid4().hex[:12]}")
    try:
        with ws.log().db.write() as txn:  # even when the server's default is off
            txn.execute("SET synchronous_commit TO off")
        ws.log().db._writer.close()
        ws.log().db._writer = None
        probe = _probe(ws.log(), ws.admin_signer)
        assert set(probe.seen) == {"on"}, probe.seen
    finally:
        ws.close()


def test_a_blob_and_its_folders_are_synced_before_its_entry(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("ATHAR_HOME", raising=False)
    ws = Workspace.init(tmp_path / "ws")
    store = LocalBlobStore(tmp_path / "blobs", direct_io=False)
    world = World(ws, CustodyService(ws.log(), store))
    inv = world.actor("inv", "investigator")
    events: list[tuple[str, str]] = []
    real_fsync, real_append = os.fsync, Log.append

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def append(self, data, **kw):  # type: ignore[no-untyped-def]
        events.append(("append", ""))
        return real_append(self, data, **kw)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(Log, "append", append)
    try:
        rec = world.svc.ingest(io.BytesIO(b"evidence bytes" * 1000), inv, name="photo.bin")
    finally:
        monkeypatch.undo()
        ws.close()
    digest = world.svc.blobs.path(world.svc.exhibit(rec.exhibit_id).sha256)
    synced = [p for kind, p in events[:events.index(("append", ""))] if kind == "fsync"]
    root = (tmp_path / "blobs").resolve()
    assert any(p.startswith(str(root / "tmp")) for p in synced), "the blob's bytes"
    for folder in (digest.parent, digest.parent.parent, digest.parent.parent.parent):
        assert str(folder.resolve()) in synced, f"{folder} (a rename or a new folder in it)"


def test_the_published_checkpoint_is_synced_before_it_replaces_the_old(tmp_path, monkeypatch):
    from athar.log import published

    calls: list[str] = []
    monkeypatch.setattr(published.os, "fsync",
                        lambda fd: calls.append(os.readlink(f"/proc/self/fd/{fd}")))
    real_replace = os.replace
    monkeypatch.setattr(published.os, "replace",
                        lambda a, b: (calls.append("replace"), real_replace(a, b)))
    target = tmp_path / "published-checkpoint"
    published.write_published(target, "note\n")
    assert calls == [str(tmp_path / "published-checkpoint.tmp"), "replace", str(tmp_path)]
    assert target.read_text() == "note\n"
