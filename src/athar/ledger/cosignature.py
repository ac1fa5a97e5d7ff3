"""C2SP tlog-cosignature: witnesses' Ed25519 ``cosignature/v1`` signatures.

A witness signs ``"cosignature/v1\\ntime <t>\\n" || checkpoint body``. Its key
ID is ``SHA-256(name || "\\n" || 0x04 || public key)[:4]`` and a cosignature
line is ``— name base64(keyID || uint64be(t) || signature)``.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from athar.errors import InvalidSignature
from athar.ledger.note import MalformedNote, Signer, Verifier, is_utf8, key_id, valid_name

__all__ = [
    "ALG_COSIGNATURE",
    "CosignatureVerifier",
    "Cosigner",
    "VerifiedCosignature",
    "cosignature_message",
    "verify_cosignatures",
]

ALG_COSIGNATURE = 0x04
_PREFIX = "\u2014 "
_HEX8 = re.compile(r"[0-9a-fA-F]{8}")


def cosignature_message(checkpoint_text: str, timestamp: int) -> bytes:
    """The exact bytes a witness signs for ``checkpoint_text`` at ``timestamp``."""
    return f"cosignature/v1\ntime {timestamp}\n{checkpoint_text}".encode()


@dataclass(frozen=True)
class CosignatureVerifier:
    """A witness's public key, in the ``name+keyid+base64(0x04 || key)`` form."""

    name: str
    key_id: int
    public_key: bytes

    @classmethod
    def from_vkey(cls, vkey: str) -> CosignatureVerifier:
        """Parse a witness verifier key and check its ID; raise MalformedNote otherwise."""
        parts = vkey.split("+", 2)
        if len(parts) != 3 or not valid_name(parts[0]) or not _HEX8.fullmatch(parts[1]):
            raise MalformedNote("witness key must look like name+keyid+base64, "
                                "the key ID 8 hex digits")
        name, hex_id, b64 = parts
        kid = int(hex_id, 16)
        try:
            raw = base64.b64decode(b64.encode("ascii"), validate=True)
        except (ValueError, binascii.Error, UnicodeEncodeError):
            raise MalformedNote("witness key is not well-formed base64") from None
        if len(raw) != 33 or raw[0] != ALG_COSIGNATURE:
            raise MalformedNote("witness key must be a cosignature/v1 key (0x04 and 32 bytes)")
        if base64.b64encode(raw).decode() != b64:
            raise MalformedNote("witness key is not canonically base64-encoded")
        if key_id(name, raw) != kid:
            raise MalformedNote("witness key ID does not match the key")
        return cls(name, kid, raw[1:])

    @property
    def vkey(self) -> str:
        """The key in ``name+keyid+base64`` form."""
        b64 = base64.b64encode(bytes([ALG_COSIGNATURE]) + self.public_key).decode()
        return f"{self.name}+{self.key_id:08x}+{b64}"


@dataclass(frozen=True)
class Cosigner:
    """A witness's signing key: an Ed25519 note signer used for cosignatures."""

    signer: Signer

    @property
    def name(self) -> str:
        return self.signer.name

    @property
    def key_id(self) -> int:
        return key_id(self.name, bytes([ALG_COSIGNATURE]) + self.signer.public_key)

    def verifier(self) -> CosignatureVerifier:
        """The matching :class:`CosignatureVerifier`."""
        return CosignatureVerifier(self.name, self.key_id, self.signer.public_key)

    def cosign(self, checkpoint_text: str, timestamp: int) -> str:
        """One cosignature line (with its newline) over ``checkpoint_text``."""
        sig = self.signer.sign_bytes(cosignature_message(checkpoint_text, timestamp))
        payload = self.key_id.to_bytes(4, "big") + timestamp.to_bytes(8, "big") + sig
        return f"{_PREFIX}{self.name} {base64.b64encode(payload).decode()}\n"


@dataclass(frozen=True)
class VerifiedCosignature:
    """A cosignature that verified: who signed and when they say they did."""

    name: str
    key_id: int
    timestamp: int
    line: str


def _signature_lines(note_text: str) -> tuple[str, list[str]]:
    if not is_utf8(note_text):
        raise MalformedNote("note is not valid UTF-8: it holds a lone surrogate")
    split = note_text.rfind("\n\n")
    if split < 0 or not note_text.endswith("\n"):
        raise MalformedNote("note has no signature block")
    return note_text[: split + 1], note_text[split + 2 : -1].split("\n")


def verify_cosignatures(
    note_text: str, witnesses: Sequence[CosignatureVerifier] | Iterable[CosignatureVerifier]
) -> list[VerifiedCosignature]:
    """Return the valid cosignatures from trusted ``witnesses`` on a signed checkpoint.

    Lines from unknown keys (including the log's own signature) are ignored; a
    line that claims a trusted witness key but does not verify raises
    :class:`InvalidSignature`. The checkpoint signature itself is not checked here.
    """
    body, lines = _signature_lines(note_text)
    by_id = {(w.name, w.key_id): w for w in witnesses}
    found: list[VerifiedCosignature] = []
    for line in lines:
        if not line.startswith(_PREFIX):
            raise MalformedNote("signature line must start with an em dash")
        name, _, b64 = line[len(_PREFIX) :].partition(" ")
        try:
            raw = base64.b64decode(b64.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            raise MalformedNote("signature is not base64") from None
        if len(raw) < 4:
            raise MalformedNote("signature is too short")
        if base64.b64encode(raw).decode() != b64:
            raise MalformedNote("signature is not canonically base64-encoded")
        w = by_id.get((name, int.from_bytes(raw[:4], "big")))
        if w is None:
            continue
        if len(raw) != 4 + 8 + 64:
            raise InvalidSignature(f"cosignature from {name} has the wrong length")
        ts = int.from_bytes(raw[4:12], "big")
        if not Verifier(w.name, w.key_id, w.public_key).verify(
            cosignature_message(body, ts), raw[12:]
        ):
            raise InvalidSignature(f"invalid cosignature from witness {name}")
        if all(f.name != name for f in found):
            found.append(VerifiedCosignature(name, w.key_id, ts, line + "\n"))
    return found
