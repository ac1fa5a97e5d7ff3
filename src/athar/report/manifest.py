"""The bundle manifest (``manifest.json``), parsed as a stream in bounded memory.

The manifest is canonical JSON (RFC 8785) with its keys in sorted order::

    {"blobs":[...],"disclosures":[...],"entries":[{"index":N,"proof":["hex",...]},...],
     "exhibits":[...],"format":"athar-bundle/2",
     "index":{"entry":N,"names":[{"events":N,"head":"hex","name":"exhibit:CODE",
                                  "proof":["hex",...]},...]},
     "origin":"...","tree_size":N}

``index`` is the completeness index (``docs/design/completeness.md``); a
legacy ``athar-bundle/1`` manifest has none and is parsed so the verifier
can say why it cannot prove completeness.

Its ``entries`` list holds one inclusion proof per entry and grows with the
bundle (about 1 KB an entry), so it is never loaded whole: :func:`scan`
checks the whole manifest and returns the small parts (:class:`Header`), and
:func:`iter_entries` streams the entries again, one at a time. Any byte out
of canonical form raises :class:`ManifestInvalid`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from athar.errors import VerificationError
from athar.ledger.entry import canonical_json

__all__ = ["BUNDLE_FORMAT", "Header", "IndexProof", "LEGACY_FORMAT", "ManifestInvalid", "canonical",
           "iter_entries", "scan"]

BUNDLE_FORMAT = "athar-bundle/2"
LEGACY_FORMAT = "athar-bundle/1"
"""Bundles written before the completeness index: no ``index`` (see :class:`Header`)."""
_NAME = re.compile(r"^(identity|exhibit:[A-Za-z0-9][A-Za-z0-9._-]{0,63})$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_FIELD = re.compile(r"[a-z_]{1,64}")
_ENTRY = re.compile(rb'\{"index":(0|[1-9][0-9]{0,15}),"proof":\['
                    rb'((?:"[0-9a-f]{64}"(?:,"[0-9a-f]{64}"){0,63})?)\]\}')
_HEAD_END = b',"entries":['
_MAX_PART = 16 << 20  # blobs and disclosures before the entries; exhibits after
_MAX_ENTRY_TEXT = 40 + 67 * 64


class ManifestInvalid(VerificationError):
    """``manifest.json`` is not a canonical ``athar-bundle/1`` manifest."""

    code = "manifest_invalid"


def _fail(msg: str) -> ManifestInvalid:
    return ManifestInvalid(f"manifest.json: {msg}")


def canonical(value: Any) -> bytes:
    """RFC 8785 bytes of manifest JSON (ints, strings, lists, objects)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8") if text.isascii() else canonical_json(value)


@dataclass(frozen=True)
class IndexProof:
    """One name of the completeness index: its count, head and map proof."""

    name: str
    events: int
    head: bytes
    proof: tuple[bytes, ...]


@dataclass(frozen=True)
class Header:
    """Everything in the manifest except the entries' proofs.

    ``index_entry`` and ``index`` are the completeness index (the snapshot
    entry's index and one :class:`IndexProof` per name, sorted by name); None
    and empty in a legacy ``athar-bundle/1`` manifest.
    """

    origin: str
    tree_size: int
    exhibits: tuple[str, ...]
    blobs: tuple[str, ...]
    disclosures: tuple[tuple[str, str], ...]
    entry_count: int
    digest: str
    format: str = BUNDLE_FORMAT
    index_entry: int | None = None
    index: tuple[IndexProof, ...] = ()

    def disclosure_names(self) -> list[str]:
        """The member names of the disclosures, in bundle order."""
        return [f"disclosures/{lh}.{f}.json" for lh, f in self.disclosures]


class _Stream:
    """A byte stream with a look-ahead buffer, hashing everything it consumes."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._it = iter(chunks)
        self.buf = b""
        self.pos = 0
        self.sha = hashlib.sha256()

    def fill(self, want: int) -> bool:
        """Make at least ``want`` bytes available after ``pos``; False at the end of input."""
        while len(self.buf) - self.pos < want:
            chunk = next(self._it, None)
            if chunk is None:
                return False
            self.buf = self.buf[self.pos:] + chunk
            self.pos = 0
        return True

    def take(self, n: int) -> bytes:
        out = self.buf[self.pos:self.pos + n]
        self.pos += len(out)
        self.sha.update(out)
        return out

    def until(self, marker: bytes, limit: int, what: str) -> bytes:
        """Consume up to and including ``marker``; refuse more than ``limit`` bytes."""
        while True:
            i = self.buf.find(marker, self.pos)
            if i >= 0:
                return self.take(i + len(marker) - self.pos)
            if len(self.buf) - self.pos > limit or not self.fill(len(self.buf) - self.pos + 1):
                raise _fail(f"{what} is missing or longer than {limit:,} bytes")

    def rest(self, limit: int, what: str) -> bytes:
        while self.fill(len(self.buf) - self.pos + 1):
            if len(self.buf) - self.pos > limit:
                raise _fail(f"{what} is longer than {limit:,} bytes")
        return self.take(len(self.buf) - self.pos)


def _sorted_distinct(items: list[Any]) -> bool:
    return all(a < b for a, b in zip(items, items[1:], strict=False))


def _head(raw: bytes) -> tuple[list[str], list[tuple[str, str]]]:
    try:
        obj = json.loads(raw[:-len(_HEAD_END)].decode("utf-8") + "}")
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _fail("not UTF-8 JSON before \"entries\"") from None
    if not isinstance(obj, dict) or list(obj) != ["blobs", "disclosures"]:
        raise _fail('must start with "blobs" and "disclosures" (canonical key order)')
    blobs, discs = obj["blobs"], obj["disclosures"]
    if not isinstance(blobs, list) or not all(isinstance(b, str) and _HEX64.match(b)
                                              for b in blobs) or not _sorted_distinct(blobs):
        raise _fail("blobs must be sorted distinct SHA-256 digests")
    if not isinstance(discs, list) or not all(
            isinstance(d, dict) and set(d) == {"leaf_hash", "field"}
            and isinstance(d["leaf_hash"], str) and _HEX64.match(d["leaf_hash"])
            and isinstance(d["field"], str) and _FIELD.fullmatch(d["field"]) for d in discs):
        raise _fail("disclosures must be {leaf_hash, field} objects")
    pairs = [(d["leaf_hash"], d["field"]) for d in discs]
    if not _sorted_distinct(pairs):
        raise _fail("disclosures must be sorted without repeats")
    if canonical(obj)[:-1] + b"," != raw[:-len(_HEAD_END) + 1]:
        raise _fail("not in canonical JSON form (RFC 8785) before \"entries\"")
    return blobs, pairs


def _entries(s: _Stream, decode: bool = True) -> Iterator[tuple[int, tuple[bytes, ...]]]:
    """Stream ``(index, proof)`` from just after ``"entries":[`` through its ``]``
    (the proof left empty when ``decode`` is False: a checking pass)."""
    last = -1
    if s.fill(1) and s.buf[s.pos:s.pos + 1] == b"]":
        s.take(1)
        return
    while True:
        s.fill(_MAX_ENTRY_TEXT + 1)
        m = _ENTRY.match(s.buf, s.pos)
        if m is None:
            raise _fail(f"the entry after index {last} is not {{\"index\":N,\"proof\":"
                        "[64 lowercase hex, ...]} in canonical form")
        index = int(m.group(1))
        if index <= last:
            raise _fail(f"entries must be sorted by index without repeats (index {index} "
                        f"after {last})")
        last = index
        s.take(m.end() - s.pos)
        if decode:
            raw = bytes.fromhex(m.group(2).replace(b'"', b"").replace(b",", b"").decode("ascii"))
            yield index, tuple(raw[i:i + 32] for i in range(0, len(raw), 32))
        else:
            yield index, ()
        s.fill(1)
        sep = s.take(1)
        if sep == b"]":
            return
        if sep != b",":
            raise _fail(f"expected ',' or ']' after entry {index}")


def _count(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**63


def _index(obj: object) -> tuple[int, tuple[IndexProof, ...]]:
    what = ('index must be {"entry": N, "names": [{"events": N, "head": "hex", "name": '
            '"identity" or "exhibit:CODE", "proof": ["hex", ...]}, ...]} sorted by name')
    if not isinstance(obj, dict) or set(obj) != {"entry", "names"} or not _count(obj["entry"]) \
            or not isinstance(obj["names"], list):
        raise _fail(what)
    out = []
    for n in obj["names"]:
        if not isinstance(n, dict) or set(n) != {"events", "head", "name", "proof"} \
                or not isinstance(n["name"], str) or not _NAME.match(n["name"]) \
                or not _count(n["events"]) or not isinstance(n["head"], str) \
                or not _HEX64.match(n["head"]) or not isinstance(n["proof"], list) \
                or len(n["proof"]) > 256 \
                or not all(isinstance(h, str) and _HEX64.match(h) for h in n["proof"]):
            raise _fail(what)
        out.append(IndexProof(n["name"], n["events"], bytes.fromhex(n["head"]),
                              tuple(bytes.fromhex(h) for h in n["proof"])))
    if not _sorted_distinct([p.name for p in out]):
        raise _fail("index names must be sorted without repeats")
    return obj["entry"], tuple(out)


def _tail(raw: bytes) -> tuple[list[str], str, int, str, tuple[int, tuple[IndexProof, ...]] | None]:
    try:
        obj = json.loads("{" + raw[1:].decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _fail("not UTF-8 JSON after \"entries\"") from None
    legacy = isinstance(obj, dict) and obj.get("format") == LEGACY_FORMAT
    keys = ["exhibits", "format", "origin", "tree_size"] if legacy else \
        ["exhibits", "format", "index", "origin", "tree_size"]
    if not isinstance(obj, dict) or list(obj) != keys:
        raise _fail("must end with " + ", ".join(f'"{k}"' for k in keys))
    if obj["format"] not in (BUNDLE_FORMAT, LEGACY_FORMAT):
        raise _fail(f"format is not {BUNDLE_FORMAT}")
    index = None if legacy else _index(obj["index"])
    ex, origin, size = obj["exhibits"], obj["origin"], obj["tree_size"]
    if not isinstance(ex, list) or not all(isinstance(x, str) for x in ex) \
            or not _sorted_distinct(ex):
        raise _fail("exhibits must be sorted distinct strings")
    if not isinstance(origin, str) or not isinstance(size, int) or isinstance(size, bool) \
            or size < 0:
        raise _fail("origin must be a string and tree_size a non-negative integer")
    if b"," + canonical(obj)[1:] != raw:
        raise _fail("not in canonical JSON form (RFC 8785) after \"entries\"")
    return ex, origin, size, obj["format"], index


def scan(chunks: Iterable[bytes]) -> Header:
    """Check the whole manifest in one streamed pass and return its :class:`Header`.

    The header carries the SHA-256 of the bytes read, so :func:`iter_entries`
    can prove it streamed the same manifest; raises :class:`ManifestInvalid`
    for any departure from the canonical form.
    """
    s = _Stream(chunks)
    blobs, discs = _head(s.until(_HEAD_END, _MAX_PART, "the part before \"entries\""))
    count = sum(1 for _ in _entries(s, decode=False))
    exhibits, origin, size, fmt, index = _tail(s.rest(_MAX_PART, "the part after \"entries\""))
    return Header(origin, size, tuple(exhibits), tuple(blobs), tuple(discs), count,
                  s.sha.hexdigest(), fmt, index[0] if index else None, index[1] if index else ())


def iter_entries(chunks: Iterable[bytes],
                 header: Header) -> Iterator[tuple[int, tuple[bytes, ...]]]:
    """Stream the entries' ``(index, proof)`` again; the bytes must be those :func:`scan`
    checked (same SHA-256), else :class:`ManifestInvalid` at the end."""
    s = _Stream(chunks)
    s.until(_HEAD_END, _MAX_PART, "the part before \"entries\"")
    yield from _entries(s)
    s.rest(_MAX_PART, "the part after \"entries\"")
    if s.sha.hexdigest() != header.digest:
        raise _fail("it changed while it was being read")
