"""The blob-store interface: put a stream, get it back by its SHA-256.

Every backend guarantees: the key is the SHA-256 (hex) of the bytes; a blob
appears only once complete (an interrupted ``put`` leaves nothing); putting
the same bytes twice stores them once; memory use does not grow with size.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from athar.errors import ConfigError, NotFound

__all__ = ["CHUNK", "BlobInfo", "BlobStore", "Chunks", "Progress", "check_digest",
           "iter_chunks", "open_blobstore"]

CHUNK = 1 << 20
Progress = Callable[[int], None]
"""Called with the number of bytes just consumed."""
Chunks = Iterable[bytes] | BinaryIO
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class BlobInfo:
    """A stored blob: its SHA-256 (hex), its size, and whether this put created it."""

    sha256: str
    size: int
    created: bool


def check_digest(sha256: str) -> str:
    """Return ``sha256`` if it is 64 lowercase hex digits; raise NotFound otherwise."""
    if not isinstance(sha256, str) or not _HEX64.match(sha256):
        raise NotFound(f"{sha256!r} is not a SHA-256 digest (64 lowercase hex digits)")
    return sha256


def iter_chunks(source: Chunks, size: int = CHUNK) -> Iterator[bytes]:
    """Yield the bytes of a file object or an iterable of chunks, in order."""
    if hasattr(source, "read"):
        read = source.read
        while chunk := read(size):
            yield chunk
    else:
        for chunk in source:
            if chunk:
                yield bytes(chunk)


class BlobStore(Protocol):
    """A content-addressed store of immutable blobs."""

    def put(self, source: Chunks, progress: Progress | None = None) -> BlobInfo:
        """Store the stream's bytes under their SHA-256; nothing is left if it fails."""

    def exists(self, sha256: str) -> bool:
        """True when a complete blob with this digest is stored."""

    def size(self, sha256: str) -> int:
        """The blob's size in bytes; raise NotFound if absent."""

    def read(self, sha256: str, chunk_size: int = CHUNK) -> Iterator[bytes]:
        """The blob's bytes in chunks; raise NotFound if absent."""

    def delete(self, sha256: str) -> None:
        """Remove the blob if present (used to undo a put whose entry was refused)."""


def open_blobstore(url: str | Path) -> BlobStore:
    """A blob store from a URL: a folder path or ``file://``, ``memory://``, or ``s3://bucket/prefix``.

    S3 settings (endpoint, credentials) come from the usual AWS environment
    variables plus ``ATHAR_S3_ENDPOINT``.
    """
    text = str(url)
    if text.startswith("memory://"):
        from athar.custody.blobstore.memory import MemoryBlobStore

        return MemoryBlobStore()
    if text.startswith("s3://"):
        import os

        from athar.custody.blobstore.s3 import S3BlobStore

        bucket, _, prefix = text[5:].partition("/")
        if not bucket:
            raise ConfigError("an S3 blob store URL is s3://bucket[/prefix]")
        return S3BlobStore.from_settings(bucket, prefix, os.environ.get("ATHAR_S3_ENDPOINT"))
    from athar.custody.blobstore.local import LocalBlobStore

    return LocalBlobStore(Path(text.removeprefix("file://")))
