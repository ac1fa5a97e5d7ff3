"""A content-addressed folder: ``root/sha256/ab/cd/<digest>``.

A put streams into ``root/tmp/`` while hashing (constant memory), fsyncs, then
renames the file into place atomically; a failed or interrupted put removes
its temporary file, so no partial blob is ever visible. Identical content is
stored once.

Writing goes through a small pool of page-aligned buffers: this thread fills a
buffer and hashes it, a writer thread writes it with ``O_DIRECT`` where the
file system allows it. Direct writes skip the page cache, so the kernel's copy
into cached pages (as costly here as the hashing itself) leaves the critical
path and a large file does not flush everything else out of the cache.
Where ``O_DIRECT`` is refused the same pipeline writes through the cache,
syncing every few MiB so the final fsync stays short.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import mmap
import os
import queue
import tempfile
import threading
from collections.abc import Callable, Iterator
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

_BUFFER = 1 << 20
_BUFFERS = 6
_ALIGN = 4096  # the largest logical block size direct I/O asks for in practice
_SYNC_EVERY = 64 << 20
_O_DIRECT = getattr(os, "O_DIRECT", 0)


def _private_dirs(path: Path) -> list[Path]:
    """Make ``path`` and its missing parents with mode 0700 (the umask cannot widen it);
    return the folders made, outermost first."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    made = []
    for p in reversed(missing):
        with contextlib.suppress(FileExistsError):
            p.mkdir(mode=0o700)
            os.chmod(p, 0o700)
            made.append(p)
    return made


class LocalBlobStore:
    """Blobs as read-only files (0400) in folders (0700) under ``root``: no other local user reads them."""

    def __init__(self, root: Path, *, direct_io: bool = True) -> None:
        self.root = Path(root)
        self.direct_io = direct_io
        self._tmp = self.root / "tmp"
        try:
            _private_dirs(self._tmp)
        except OSError as exc:
            raise StoreError(f"cannot create blob folder {self.root}: {exc}") from None

    def path(self, sha256: str) -> Path:
        """Where the blob with this digest lives (whether or not it exists)."""
        d = check_digest(sha256)
        return self.root / "sha256" / d[:2] / d[2:4] / d

    def put(self, source: Chunks, progress: Progress | None = None) -> BlobInfo:
        """Stream into a temp file while hashing, then move it into place atomically.

        Hashing (this thread) and writing (a writer thread) overlap; memory is a
        fixed pool of a few buffers whatever the size.
        """
        h = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self._tmp, prefix="put-")
        tmp = Path(tmp_name)
        writer = _Writer(fd, direct=self.direct_io)
        fill = _filler(source)
        try:
            while True:
                buf = writer.free_buffer()
                n = fill(buf)
                if n:
                    h.update(buf[:n])
                    size += n
                    writer.write(buf, n)
                    if progress:
                        progress(n)
                else:
                    writer.give_back(buf)
                if n < len(buf):
                    break
            writer.finish(size)
            digest = h.hexdigest()
            final = self.path(digest)
            if final.exists():
                tmp.unlink()
                return BlobInfo(digest, size, False)
            made = _private_dirs(final.parent)
            os.chmod(tmp, 0o400)  # read-only, and for the owner alone
            os.replace(tmp, final)
            # The rename, and each folder made for it, must survive a power cut before
            # the entry naming the blob is appended: sync the folder holding the file and
            # the parent of every folder just made (innermost first).
            for d in dict.fromkeys([final.parent, *(m.parent for m in reversed(made))]):
                _fsync_dir(d)
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


def _filler(source: Chunks) -> Callable[[memoryview], int]:
    """A function that fills a buffer from ``source`` and returns how many bytes it put there.

    It returns less than the buffer's length only at the end of the stream.
    File objects read straight into the buffer; other iterables are copied in.
    """
    readinto: Callable[[memoryview], int | None] | None = getattr(source, "readinto", None)
    if readinto is not None:
        def fill_from_file(buf: memoryview) -> int:
            n = 0
            while n < len(buf):
                got = readinto(buf[n:])
                if not got:
                    break
                n += got
            return n
        return fill_from_file

    chunks = iter_chunks(source)
    pending = memoryview(b"")

    def fill_from_chunks(buf: memoryview) -> int:
        nonlocal pending
        n = 0
        while n < len(buf):
            if not pending:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                pending = memoryview(chunk)
            take = min(len(pending), len(buf) - n)
            buf[n:n + take] = pending[:take]
            pending = pending[take:]
            n += take
        return n
    return fill_from_chunks


class _Writer:
    """Writes full buffers to ``fd`` in a thread and recycles them.

    With ``direct`` it asks for ``O_DIRECT`` and pads the last, partial buffer to
    the block size (truncating the file back afterwards); if the file system
    refuses, it carries on through the page cache.
    """

    def __init__(self, fd: int, *, direct: bool) -> None:
        self.fd = fd
        self.direct = direct and _O_DIRECT != 0 and _set_direct(fd, True)
        self._maps = [mmap.mmap(-1, _BUFFER) for _ in range(_BUFFERS)]
        self._free: queue.Queue[memoryview] = queue.Queue()
        for m in self._maps:
            self._free.put(memoryview(m))
        self._work: queue.Queue[tuple[memoryview, int] | None] = queue.Queue()
        self.error: BaseException | None = None
        self.padded = False
        self.closed = False
        self.thread = threading.Thread(target=self._run, name="blob-writer", daemon=True)
        self.thread.start()

    def free_buffer(self) -> memoryview:
        buf = self._free.get()
        self._check()
        return buf

    def give_back(self, buf: memoryview) -> None:
        self._free.put(buf)

    def write(self, buf: memoryview, n: int) -> None:
        self._check()
        self._work.put((buf, n))

    def finish(self, size: int) -> None:
        self._work.put(None)
        self.thread.join()
        try:
            self._check()
            if self.padded:
                os.ftruncate(self.fd, size)
            os.fsync(self.fd)
        except OSError as exc:
            raise StoreError(f"cannot write blob: {exc}") from None
        finally:
            self._close()

    def abort(self) -> None:
        if self.error is None:
            self.error = StoreError("put abandoned")  # the writer skips what is still queued
        if self.thread.is_alive():
            self._work.put(None)
            self.thread.join()
        self._close()

    def _check(self) -> None:
        if self.error is not None:
            raise StoreError(f"cannot write blob: {self.error}")

    def _run(self) -> None:
        unsynced = 0
        while (job := self._work.get()) is not None:
            buf, n = job
            try:
                if self.error is None:
                    self._write(buf, n)
                    unsynced += n
                    if not self.direct and unsynced >= _SYNC_EVERY:
                        os.fdatasync(self.fd)
                        unsynced = 0
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                self.error = exc
            finally:
                self._free.put(buf)

    def _write(self, buf: memoryview, n: int) -> None:
        if self.direct and n % _ALIGN:
            padded = -(-n // _ALIGN) * _ALIGN
            buf[n:padded] = bytes(padded - n)
            n = padded
            self.padded = True
        view = buf[:n]
        while view:
            try:
                view = view[os.write(self.fd, view):]
            except OSError as exc:
                if not (self.direct and exc.errno == errno.EINVAL):
                    raise
                # Direct I/O refused after all (an unusual block size): go through the cache.
                self.direct = False
                _set_direct(self.fd, False)

    def _close(self) -> None:
        if not self.closed:
            self.closed = True
            os.close(self.fd)


def _set_direct(fd: int, on: bool) -> bool:
    """Switch ``O_DIRECT`` on or off for ``fd``; False when the file system refuses."""
    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    try:
        fcntl.fcntl(fd, fcntl.F_SETFL, flags | _O_DIRECT if on else flags & ~_O_DIRECT)
    except OSError:
        return False
    return True


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
