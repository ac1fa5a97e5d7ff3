"""Per-entry checks the custody verifier runs before replay: fast canonical parsing and
batched Ed25519 signature checks (in worker processes for large batches).

Pure apart from the optional worker processes; imports only ``athar.ledger``
and ``athar.errors`` (plus ``athar.workers`` when a pool is used).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from athar.errors import InvalidSignature
from athar.ledger.entry import DEFAULT_MAX_ENTRY_BYTES, Entry
from athar.ledger.note import Verifier

__all__ = ["SignatureJob", "SignaturePool", "check_signatures", "parse_entry", "signed_parts"]

_FIELDS = frozenset({"kind", "v", "body", "author", "sig"})
_SAFE_INT = 1 << 53
SignatureJob = tuple[bytes, bytes, bytes]
"""(public key, signed bytes, signature)."""


def _plain(value: Any) -> bool:
    """True when sorted-key compact ``json.dumps`` is RFC 8785 for this value."""
    if isinstance(value, str) or value is None or isinstance(value, bool):
        return True
    if isinstance(value, int):
        return -_SAFE_INT < value < _SAFE_INT
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(k.isascii() and _plain(v) for k, v in value.items())
    return False


def parse_entry(data: bytes) -> Entry:
    """Entry.from_bytes with a fast canonical-form check for float-free entries.

    Same guarantees: size, shape and RFC 8785 form. For values without floats,
    huge integers or non-ASCII keys, sorted compact ``json.dumps`` produces the
    RFC 8785 bytes; otherwise the full canonicaliser decides. Raises only
    ``EntryRejected``.
    """
    if len(data) > DEFAULT_MAX_ENTRY_BYTES:
        return Entry.from_bytes(data)
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return Entry.from_bytes(data)
    if not isinstance(obj, dict) or set(obj) != _FIELDS or not _plain(obj):
        return Entry.from_bytes(data)
    fast = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if fast.encode("utf-8", "surrogatepass") != data:
        return Entry.from_bytes(data)
    entry = Entry(obj["kind"], obj["v"], obj["body"], obj["author"], obj["sig"])
    entry.check_shape()
    return entry


def signed_parts(entry: Entry, data: bytes) -> SignatureJob:
    """(public key, signed bytes, signature) of canonical leaf ``data``.

    The canonical form sorts keys as author, body, kind, sig, v, so the signed
    bytes are the leaf with ``,"sig":"..."`` cut out: equal to Entry.signed_bytes().
    Raises InvalidSignature or EntryRejected for a malformed signature or author.
    """
    try:
        raw = base64.b64decode(entry.sig.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise InvalidSignature("entry signature is not base64") from None
    if len(raw) != 64:
        raise InvalidSignature("entry signature is not 64 bytes")
    cut = b',"sig":"' + entry.sig.encode("ascii") + b'"'
    at = data.rfind(cut)
    signed = data[:at] + data[at + len(cut):] if at >= 0 else entry.signed_bytes()
    return entry.author_verifier().public_key, signed, raw


def check_signatures(jobs: Sequence[SignatureJob]) -> list[bool]:
    """True for each job whose signature verifies."""
    return [Verifier("k", 0, pub).verify(msg, sig) for pub, msg, sig in jobs]


class SignaturePool:
    """Signature checks in ``workers`` extra processes (none: checked inline when asked).

    :meth:`submit` starts a batch and returns a handle; :meth:`result` waits
    for it. A pool that cannot start or breaks falls back to checking inline,
    so results never depend on the pool.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None

    def _start(self) -> ProcessPoolExecutor | None:
        if self.pool is None and self.workers >= 1:
            import multiprocessing

            from athar.workers import worker_pool

            try:
                self.pool = worker_pool(self.workers, multiprocessing.get_context("fork"))
            except (OSError, ValueError, RuntimeError):
                self.workers = 0
        return self.pool

    def submit(self, jobs: list[SignatureJob]) -> tuple[list[SignatureJob], list[Future[list[bool]]]]:
        """Start checking ``jobs``; small batches and a pool-less verifier wait for :meth:`result`."""
        pool = self._start() if len(jobs) >= 256 else None
        if pool is None:
            return jobs, []
        step = -(-len(jobs) // self.workers)
        try:
            return jobs, [pool.submit(check_signatures, jobs[i:i + step])
                          for i in range(0, len(jobs), step)]
        except (OSError, RuntimeError):
            self.close()
            return jobs, []

    def result(self, handle: tuple[list[SignatureJob], list[Future[list[bool]]]]) -> list[bool]:
        """The checks of a submitted batch, in order."""
        jobs, futures = handle
        if futures:
            try:
                return [ok for f in futures for ok in f.result()]
            except Exception:  # noqa: BLE001 - a broken pool falls back to checking here
                self.close()
        return check_signatures(jobs)

    def close(self) -> None:
        """Stop the worker processes (if any)."""
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None
            self.workers = 0
