"""A content-addressed folder: ``root/sha256/ab/cd/<digest>``.

A put streams into ``root/tmp/`` while hashing (constant memory), fsyncs, then
renames the file into place atomically; a failed or interrupted put removes
its temporary file, so no partial blob is ever visible. Identical content is
stored once.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import queue
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from athar.custody.blobstore.base import (
    CHUNK,
    BlobInfo,
    Chunks,
    Progress,
    check_digest,
    iter_chunks,
)
from athar.errors import NotFound, StoreError

__all__ = ["LocalBlobStore"]

_READ = 4 << 20
_DEPTH = 4
_SYNC_EVERY = 64 << 20


class LocalBlobStore:
    """Blobs as read-only files under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._tmp = self.root / "tmp"
        try:
            self._tmp.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create blob folder {self.root}: {exc}") from None

    def path(self, sha256: str) -> Path:
        """Where the blob with this digest lives (whether or not it exists)."""
        d = check_digest(sha256)
        return self.root / "sha256" / d[:2] / d[2:4] / d

    def put(self, source: Chunks, progress: Progress | None = None) -> BlobInfo:
        """Stream into a temp file while hashing, then move it into place atomically.

        Hashing (this thread) and writing (a writer thread, flushing to disk as it
        goes) overlap; at most a few chunks are buffered between them.
        """
        h = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self._tmp, prefix="put-")
        tmp = Path(tmp_name)
        writer = _Writer(fd)
        try:
            for chunk in iter_chunks(source, _READ):
                writer.put(chunk)
                h.update(chunk)
                size += len(chunk)
                if progress:
                    progress(len(chunk))
            writer.finish()
            digest = h.hexdigest()
            final = self.path(digest)
            if final.exists():
                tmp.unlink()
                return BlobInfo(digest, size, False)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(tmp, 0o444)
            os.replace(tmp, final)
            _fsync_dir(final.parent)
            return BlobInfo(digest, size, True)
        except BaseException:
            writer.abort()
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise

    def exists(self, sha256: str) -> bool:
        """True when the blob's file is in place."""
        return self.path(sha256).is_file()

    def size(self, sha256: str) -> int:
        """The blob's size; raise NotFound if absent."""
        try:
            return self.path(sha256).stat().st_size
        except FileNotFoundError:
            raise NotFound(f"no blob {sha256}") from None

    def read(self, sha256: str, chunk_size: int = CHUNK) -> Iterator[bytes]:
        """The blob's bytes in chunks; raise NotFound if absent."""
        p = self.path(sha256)
        if not p.is_file():
            raise NotFound(f"no blob {sha256}")
        return _read_file(p, chunk_size)

    def delete(self, sha256: str) -> None:
        """Remove the blob if present."""
        with contextlib.suppress(FileNotFoundError):
            self.path(sha256).unlink()


class _Writer:
    """Writes chunks to ``fd`` in a thread, syncing every few MiB so the final fsync is short."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.q: queue.Queue[bytes | None] = queue.Queue(maxsize=_DEPTH)
        self.error: BaseException | None = None
        self.closed = False
        self.thread = threading.Thread(target=self._run, name="blob-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        unsynced = 0
        try:
            while (chunk := self.q.get()) is not None:
                view = memoryview(chunk)
                while view:
                    view = view[os.write(self.fd, view):]
                unsynced += len(chunk)
                if unsynced >= _SYNC_EVERY:
                    os.fdatasync(self.fd)
                    unsynced = 0
            os.fsync(self.fd)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            self.error = exc
            with contextlib.suppress(queue.Empty):
                while True:
                    self.q.get_nowait()

    def put(self, chunk: bytes) -> None:
        if self.error is not None:
            raise StoreError(f"cannot write blob: {self.error}")
        self.q.put(chunk)

    def finish(self) -> None:
        self.q.put(None)
        self.thread.join()
        self._close()
        if self.error is not None:
            raise StoreError(f"cannot write blob: {self.error}")

    def abort(self) -> None:
        if self.thread.is_alive():
            with contextlib.suppress(queue.Empty):
                while True:
                    self.q.get_nowait()
            self.q.put(None)
            self.thread.join()
        self._close()

    def _close(self) -> None:
        if not self.closed:
            self.closed = True
            os.close(self.fd)


def _read_file(p: Path, chunk_size: int) -> Iterator[bytes]:
    with p.open("rb") as f:
        while chunk := f.read(chunk_size):
            yield chunk


def _fsync_dir(d: Path) -> None:
    try:
        fd = os.open(d, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
