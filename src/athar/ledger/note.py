"""C2SP signed notes with Ed25519 keys, compatible with golang.org/x/mod/sumdb/note.

Keys use the ``name+keyid+base64`` form Go reads: a verifier key is
``name+hex(keyID)+base64(0x01 || public key)`` and a signer key is
``PRIVATE+KEY+name+hex(keyID)+base64(0x01 || seed)``, where
``keyID = SHA-256(name || "\\n" || 0x01 || public key)[:4]``.

:func:`open` follows ``note.Open``: signatures from unknown keys are returned
as unverified, a bad signature from a known key fails the whole note, at least
one verified signature is required, and malformed notes are rejected.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature as _CryptoInvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from athar.errors import InvalidSignature, VerificationError

__all__ = [
    "ALG_ED25519",
    "MalformedNote",
    "NoVerifiedSignature",
    "OpenedNote",
    "Signature",
    "Signer",
    "Verifier",
    "is_utf8",
    "key_id",
    "open",
    "sign",
    "valid_name",
]

ALG_ED25519 = 0x01
_MAX_SIGNATURES = 100
_SIG_PREFIX = "\u2014 "  # em dash and a space


class MalformedNote(VerificationError):
    """The note or key is not well-formed."""

    code = "malformed_note"


class NoVerifiedSignature(VerificationError):
    """No signature on the note is from a trusted key."""

    code = "no_verified_signature"


def valid_name(name: str) -> bool:
    """True when ``name`` may name a key: non-empty UTF-8 text, no whitespace, no '+'."""
    return (bool(name) and "+" not in name and not any(c.isspace() for c in name)
            and is_utf8(name))


def is_utf8(text: str) -> bool:
    """True when ``text`` encodes as UTF-8 (it holds no lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def key_id(name: str, alg_and_key: bytes) -> int:
    """The 32-bit key ID: the first four bytes of SHA-256(name || "\\n" || alg || key)."""
    digest = hashlib.sha256(name.encode() + b"\n" + alg_and_key).digest()
    return int.from_bytes(digest[:4], "big")


def _b64decode(s: str) -> bytes:
    try:
        return base64.b64decode(s.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise MalformedNote("invalid base64") from None


def _parse_key_id(s: str) -> int:
    if len(s) != 8 or any(c not in "0123456789abcdefABCDEF" for c in s):
        raise MalformedNote(f"invalid key ID {s!r}: want 8 hex digits")
    return int(s, 16)


@dataclass(frozen=True)
class Verifier:
    """An Ed25519 note verifier (a public key with its name and ID)."""

    name: str
    key_id: int
    public_key: bytes

    @classmethod
    def from_vkey(cls, vkey: str) -> Verifier:
        """Parse ``name+keyid+base64`` and check that the ID matches the key."""
        parts = vkey.split("+", 2)
        if len(parts) != 3:
            raise MalformedNote("verifier key must look like name+keyid+base64")
        name, hex_id, b64 = parts
        if not valid_name(name):
            raise MalformedNote(f"invalid key name {name!r}")
        kid = _parse_key_id(hex_id)
        raw = _b64decode(b64)
        if len(raw) != 33 or raw[0] != ALG_ED25519:
            raise MalformedNote("verifier key must be an Ed25519 key (0x01 and 32 bytes)")
        if base64.b64encode(raw).decode() != b64:
            raise MalformedNote("verifier key is not canonically encoded")
        if key_id(name, raw) != kid:
            raise MalformedNote("verifier key ID does not match the key")
        return cls(name, kid, raw[1:])

    @property
    def vkey(self) -> str:
        """The key in ``name+keyid+base64`` form."""
        b64 = base64.b64encode(bytes([ALG_ED25519]) + self.public_key).decode()
        return f"{self.name}+{self.key_id:08x}+{b64}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        """True when ``signature`` is this key's Ed25519 signature of ``message``."""
        try:
            self._key.verify(signature, message)
        except (_CryptoInvalidSignature, ValueError):
            return False
        return True

    @functools.cached_property
    def _key(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(self.public_key)


@dataclass(frozen=True)
class Signer:
    """An Ed25519 note signer."""

    name: str
    key_id: int
    _private: Ed25519PrivateKey = field(repr=False, compare=False)

    @classmethod
    def generate(cls, name: str) -> Signer:
        """A new random key named ``name``."""
        return cls._from_private(name, Ed25519PrivateKey.generate())

    @classmethod
    def from_seed(cls, name: str, seed: bytes) -> Signer:
        """The key with the given 32-byte Ed25519 seed."""
        if len(seed) != 32:
            raise MalformedNote("an Ed25519 seed is 32 bytes")
        return cls._from_private(name, Ed25519PrivateKey.from_private_bytes(seed))

    @classmethod
    def _from_private(cls, name: str, key: Ed25519PrivateKey) -> Signer:
        if not valid_name(name):
            raise MalformedNote(f"invalid key name {name!r}: no spaces or '+'")
        pub = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return cls(name, key_id(name, bytes([ALG_ED25519]) + pub), key)

    @classmethod
    def from_skey(cls, skey: str) -> Signer:
        """Parse ``PRIVATE+KEY+name+keyid+base64`` and check the ID against the key."""
        parts = skey.split("+", 4)
        if len(parts) != 5 or parts[0] != "PRIVATE" or parts[1] != "KEY":
            raise MalformedNote("signer key must look like PRIVATE+KEY+name+keyid+base64")
        name, hex_id, b64 = parts[2:]
        kid = _parse_key_id(hex_id)
        raw = _b64decode(b64)
        if len(raw) != 33 or raw[0] != ALG_ED25519:
            raise MalformedNote("signer key must be an Ed25519 seed (0x01 and 32 bytes)")
        signer = cls.from_seed(name, raw[1:])
        if signer.key_id != kid:
            raise MalformedNote("signer key ID does not match the key")
        return signer

    @property
    def public_key(self) -> bytes:
        """The raw 32-byte public key."""
        return self._private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def seed(self) -> bytes:
        """The raw 32-byte private seed."""
        from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

        return self._private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())

    @property
    def skey(self) -> str:
        """The private key in ``PRIVATE+KEY+name+keyid+base64`` form."""
        b64 = base64.b64encode(bytes([ALG_ED25519]) + self.seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.key_id:08x}+{b64}"

    @property
    def vkey(self) -> str:
        """The matching verifier key."""
        return self.verifier().vkey

    def verifier(self) -> Verifier:
        """The matching :class:`Verifier`."""
        return Verifier(self.name, self.key_id, self.public_key)

    def sign_bytes(self, message: bytes) -> bytes:
        """The raw 64-byte Ed25519 signature of ``message``."""
        return self._private.sign(message)


@dataclass(frozen=True)
class Signature:
    """One signature line of a note."""

    name: str
    key_id: int
    base64: str


@dataclass(frozen=True)
class OpenedNote:
    """A note whose text is authenticated by at least one trusted key."""

    text: str
    verified: tuple[Signature, ...]
    unverified: tuple[Signature, ...]


def sign(text: str, signers: Iterable[Signer]) -> str:
    """Return ``text`` followed by a blank line and one signature line per signer.

    ``text`` must end with a newline and contain no other control characters.
    """
    _check_text(text)
    lines = []
    for s in signers:
        sig = s.sign_bytes(text.encode())
        b64 = base64.b64encode(s.key_id.to_bytes(4, "big") + sig).decode()
        lines.append(f"{_SIG_PREFIX}{s.name} {b64}\n")
    if not lines:
        raise MalformedNote("a note needs at least one signer")
    return text + "\n" + "".join(lines)


def _check_text(text: str) -> None:
    if not is_utf8(text):
        raise MalformedNote("note text is not valid UTF-8 (it holds a lone surrogate)")
    if not text.endswith("\n"):
        raise MalformedNote("note text must end in a newline")
    if any((ord(c) < 0x20 and c != "\n") or ord(c) == 0x7F for c in text):
        raise MalformedNote("note text contains control characters")


def open(note: bytes | str, verifiers: Sequence[Verifier]) -> OpenedNote:  # noqa: A001
    """Parse and authenticate a signed note, following sumdb/note ``Open``.

    Raises :class:`MalformedNote` for a note that is not well-formed,
    :class:`InvalidSignature` when a trusted key's signature does not verify,
    and :class:`NoVerifiedSignature` when no trusted key signed it.
    """
    if isinstance(note, bytes):
        try:
            msg = note.decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedNote("note is not valid UTF-8") from None
    else:
        msg = note
        if not is_utf8(msg):
            raise MalformedNote("note is not valid UTF-8: it holds a lone surrogate")
    if any((ord(c) < 0x20 and c != "\n") for c in msg):
        raise MalformedNote("note contains control characters")
    split = msg.rfind("\n\n")
    if split < 0:
        raise MalformedNote("note has no signature block")
    text, block = msg[: split + 1], msg[split + 2 :]
    if not block.endswith("\n"):
        raise MalformedNote("signature block must end in a newline")
    lines = block[:-1].split("\n")
    if len(lines) > _MAX_SIGNATURES:
        raise MalformedNote(f"more than {_MAX_SIGNATURES} signatures")

    by_key: dict[tuple[str, int], list[Verifier]] = {}
    for v in verifiers:
        by_key.setdefault((v.name, v.key_id), []).append(v)

    verified: list[Signature] = []
    unverified: list[Signature] = []
    seen_verified: set[tuple[str, int]] = set()
    seen_unverified: set[tuple[str, int, str]] = set()
    message = text.encode()
    for line in lines:
        if not line.startswith(_SIG_PREFIX):
            raise MalformedNote("signature line must start with an em dash")
        rest = line[len(_SIG_PREFIX) :]
        name, sep, b64 = rest.partition(" ")
        if not sep or not valid_name(name) or " " in b64:
            raise MalformedNote("signature line must be '— name base64'")
        raw = _b64decode(b64)
        if len(raw) < 5:
            raise MalformedNote("signature is too short")
        if base64.b64encode(raw).decode() != b64:
            # Spare bits in the last base64 character would give one signature many spellings.
            raise MalformedNote("signature is not canonically base64-encoded")
        kid = int.from_bytes(raw[:4], "big")
        sig = Signature(name, kid, b64)
        candidates = by_key.get((name, kid), [])
        if len(candidates) > 1:
            raise VerificationError(f"ambiguous key {name}+{kid:08x}: trusted twice")
        if not candidates:
            if (name, kid, b64) not in seen_unverified:
                seen_unverified.add((name, kid, b64))
                unverified.append(sig)
            continue
        if not candidates[0].verify(message, raw[4:]):
            raise InvalidSignature(f"invalid signature for key {name}+{kid:08x}")
        if (name, kid) not in seen_verified:
            seen_verified.add((name, kid))
            verified.append(sig)
    if not verified:
        raise NoVerifiedSignature("no signature on the note is from a trusted key")
    return OpenedNote(text, tuple(verified), tuple(unverified))
