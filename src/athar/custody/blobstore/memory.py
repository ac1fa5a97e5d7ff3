"""An in-memory blob store for tests (same guarantees as the others, except durability)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator

from athar.custody.blobstore.base import (
    CHUNK,
    BlobInfo,
    Chunks,
    Progress,
    check_digest,
    iter_chunks,
)
from athar.errors import NotFound

__all__ = ["MemoryBlobStore"]


class MemoryBlobStore:
    """Blobs in a dict; a put that fails midway stores nothing."""

    def __init__(self) -> None:
        self._blobs: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def put(self, source: Chunks, progress: Progress | None = None) -> BlobInfo:
        """Store the stream's bytes under their SHA-256 (only once the stream is complete)."""
        h = hashlib.sha256()
        parts: list[bytes] = []
        for chunk in iter_chunks(source):
            h.update(chunk)
            parts.append(chunk)
            if progress:
                progress(len(chunk))
        digest = h.hexdigest()
        data = b"".join(parts)
        with self._lock:
            created = digest not in self._blobs
            if created:
                self._blobs[digest] = data
        return BlobInfo(digest, len(data), created)

    def exists(self, sha256: str) -> bool:
        """True when the blob is stored."""
        return sha256 in self._blobs

    def size(self, sha256: str) -> int:
        """The blob's size; raise NotFound if absent."""
        return len(self._get(sha256))

    def _get(self, sha256: str) -> bytes:
        try:
            return self._blobs[check_digest(sha256)]
        except KeyError:
            raise NotFound(f"no blob {sha256}") from None

    def read(self, sha256: str, chunk_size: int = CHUNK) -> Iterator[bytes]:
        """The blob's bytes in chunks; raise NotFound if absent."""
        data = self._get(sha256)
        return iter([data[i:i + chunk_size] for i in range(0, len(data), chunk_size)])

    def delete(self, sha256: str) -> None:
        """Remove the blob if present."""
        with self._lock:
            self._blobs.pop(sha256, None)
