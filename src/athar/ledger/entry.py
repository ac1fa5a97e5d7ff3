"""Log entries: canonical JSON (RFC 8785) of ``{kind, v, body, author, sig}``.

The leaf is exactly the entry's canonical bytes. ``author`` is the author's
note verifier key (``name+keyid+base64``) and ``sig`` the base64 Ed25519
signature over the canonical bytes of ``{kind, v, body, author}``. The ledger
treats ``body`` as opaque JSON; kinds give it meaning elsewhere.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any

import rfc8785

from athar.errors import EntryRejected, InvalidSignature
from athar.ledger.note import MalformedNote, Signer, Verifier

__all__ = ["DEFAULT_MAX_ENTRY_BYTES", "Entry", "canonical_json"]

DEFAULT_MAX_ENTRY_BYTES = 1 << 20
_KIND = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
_FIELDS = {"kind", "v", "body", "author", "sig"}


def canonical_json(value: Any) -> bytes:
    """RFC 8785 canonical bytes of a JSON value; raise EntryRejected if not representable."""
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError, ValueError, RecursionError) as exc:
        raise EntryRejected(f"value cannot be canonicalised as JSON: {exc}") from None


# Where RFC 8785 and Python's sorted, compact json.dumps can differ: floats,
# integers beyond 2**53, keys outside the BMP (UTF-16 vs code-point order) and
# escaped lone surrogates. Without them the two produce the same bytes, and
# json.dumps is several times faster than the pure-Python canonicaliser.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")
_SAFE_INT = 2**53


def _needs_jcs(text: str) -> bool:
    if not text.isascii() and _BEYOND_BMP.search(text) is not None:
        return True
    return "\\u" in text and _SURROGATE_ESCAPE.search(text) is not None


def _mark_float(flag: list[bool]) -> Any:
    def parse(s: str) -> float:
        flag[0] = False
        return float(s)

    return parse


def _mark_int(flag: list[bool]) -> Any:
    def parse(s: str) -> int:
        n = int(s)
        if not -_SAFE_INT < n < _SAFE_INT:
            flag[0] = False
        return n

    return parse


def _plain_canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@functools.lru_cache(maxsize=4096)
def _verifier(vkey: str) -> Verifier:
    return Verifier.from_vkey(vkey)


@dataclass(frozen=True)
class Entry:
    """A signed log entry."""

    kind: str
    v: int
    body: Any
    author: str
    sig: str
    _raw: bytes | None = field(default=None, compare=False, repr=False)
    """The canonical bytes this entry was parsed from, when it was parsed."""

    @classmethod
    def create(cls, kind: str, body: Any, signer: Signer, v: int = 1) -> Entry:
        """Sign a new entry of ``kind`` with ``body`` by ``signer``."""
        unsigned = {"kind": kind, "v": v, "body": body, "author": signer.vkey}
        sig = signer.sign_bytes(canonical_json(unsigned))
        entry = cls(kind, v, body, signer.vkey, base64.b64encode(sig).decode())
        entry.check_shape()
        return entry

    @classmethod
    def from_bytes(cls, data: bytes, max_bytes: int = DEFAULT_MAX_ENTRY_BYTES) -> Entry:
        """Parse leaf bytes, checking size, JSON shape and canonical form (not the signature)."""
        if len(data) > max_bytes:
            raise EntryRejected(
                f"entry is {len(data)} bytes, over the {max_bytes}-byte limit",
                size=len(data),
                limit=max_bytes,
            )
        simple = [True]
        try:
            text = data.decode("utf-8")
            obj = json.loads(text, parse_float=_mark_float(simple),
                             parse_int=_mark_int(simple))
        except (UnicodeDecodeError, ValueError):
            raise EntryRejected("entry is not UTF-8 JSON") from None
        except RecursionError:
            raise EntryRejected("entry JSON is nested too deeply") from None
        if not isinstance(obj, dict) or set(obj) != _FIELDS:
            raise EntryRejected("entry must be an object with kind, v, body, author and sig")
        entry = cls(obj["kind"], obj["v"], obj["body"], obj["author"], obj["sig"], data)
        entry.check_shape()
        if simple[0] and not _needs_jcs(text):
            canonical = _plain_canonical(obj)
        else:
            canonical = canonical_json(obj)
        if canonical != data:
            raise EntryRejected("entry is not in canonical JSON form (RFC 8785)")
        return entry

    @classmethod
    def trusted(cls, data: bytes) -> Entry:
        """Rebuild an entry from bytes that :meth:`from_bytes` and
        :meth:`verify_signature` have already accepted (no checks repeated)."""
        obj = json.loads(data)
        return cls(obj["kind"], obj["v"], obj["body"], obj["author"], obj["sig"], data)

    def check_shape(self) -> None:
        """Raise EntryRejected unless the fields have the right types and forms."""
        if not isinstance(self.kind, str) or not _KIND.match(self.kind):
            raise EntryRejected(f"invalid entry kind {self.kind!r}")
        if not isinstance(self.v, int) or isinstance(self.v, bool) or not 1 <= self.v < 2**31:
            raise EntryRejected("entry version v must be a positive integer")
        if not isinstance(self.author, str) or not isinstance(self.sig, str):
            raise EntryRejected("author and sig must be strings")

    def to_json(self) -> dict[str, Any]:
        """The entry as a JSON object."""
        return {"kind": self.kind, "v": self.v, "body": self.body,
                "author": self.author, "sig": self.sig}

    def to_bytes(self) -> bytes:
        """The canonical bytes: the leaf data."""
        return canonical_json(self.to_json())

    def signed_bytes(self) -> bytes:
        """The canonical bytes the author signed."""
        if self._raw is not None:
            # In canonical (sorted-key) form "sig" sits between "kind" and "v", and
            # a base64 string needs no escaping: dropping that member is exactly the
            # canonical form of the signed fields.
            member = b',"sig":"' + self.sig.encode("ascii") + b'"'
            if self._raw.count(member) == 1 and self._raw.endswith(b',"v":%d}' % self.v):
                head, _, tail = self._raw.rpartition(member)
                if tail.startswith(b',"v":'):
                    return head + tail
        return canonical_json(
            {"kind": self.kind, "v": self.v, "body": self.body, "author": self.author}
        )

    def author_verifier(self) -> Verifier:
        """The author's key; raise EntryRejected if ``author`` is not a valid key."""
        try:
            return _verifier(self.author)
        except MalformedNote as exc:
            raise EntryRejected(f"entry author is not a valid key: {exc.message}") from None

    def verify_signature(self) -> None:
        """Return None if ``sig`` is the author's signature; raise InvalidSignature otherwise."""
        try:
            raw = base64.b64decode(self.sig.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            raise InvalidSignature("entry signature is not base64") from None
        if len(raw) != 64 or not self.author_verifier().verify(self.signed_bytes(), raw):
            raise InvalidSignature(f"entry signature does not verify for author {self.author}")
