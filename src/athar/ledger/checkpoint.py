"""C2SP tlog-checkpoint: the body of a signed tree head.

A checkpoint is ``origin\\n`` ``size\\n`` ``base64(root)\\n`` followed by optional
non-empty extension lines. This parser is strict: the root must be 32 bytes
and extension lines must not be empty.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from athar.ledger.hashing import HASH_SIZE
from athar.ledger.note import MalformedNote, is_utf8

__all__ = ["Checkpoint"]

_MAX_SIZE = 2**64 - 1
_MAX_SIZE_DIGITS = len(str(_MAX_SIZE))


@dataclass(frozen=True)
class Checkpoint:
    """A log's origin, tree size and root hash, plus extension lines."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.origin or "\n" in self.origin:
            raise MalformedNote("checkpoint origin must be one non-empty line")
        if not 0 <= self.size <= _MAX_SIZE:
            raise MalformedNote("checkpoint size must fit in 64 bits")
        if len(self.root_hash) != HASH_SIZE:
            raise MalformedNote(f"checkpoint root must be {HASH_SIZE} bytes")
        for line in self.extensions:
            if not line or "\n" in line:
                raise MalformedNote("checkpoint extension lines must be non-empty single lines")

    @classmethod
    def from_text(cls, text: str) -> Checkpoint:
        """Parse a checkpoint body; raise :class:`MalformedNote` if it is not strict C2SP."""
        if not is_utf8(text):
            raise MalformedNote("checkpoint is not valid UTF-8: it holds a lone surrogate")
        if not text.endswith("\n"):
            raise MalformedNote("checkpoint must end in a newline")
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise MalformedNote("checkpoint needs origin, size and root lines")
        origin, size_s, root_s, *ext = lines
        if (not size_s.isascii() or not size_s.isdigit() or len(size_s) > _MAX_SIZE_DIGITS
                or (size_s != "0" and size_s[0] == "0")):
            raise MalformedNote(f"invalid checkpoint size {size_s[:40]!r}: want a decimal "
                                "number below 2**64 with no leading zeros")
        size = int(size_s)
        try:
            root = base64.b64decode(root_s.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            raise MalformedNote("checkpoint root is not base64") from None
        if base64.b64encode(root).decode() != root_s:
            raise MalformedNote("checkpoint root is not canonically base64-encoded")
        return cls(origin, size, root, tuple(ext))

    def to_text(self) -> str:
        """The checkpoint body, ready to be signed as a note."""
        lines = [self.origin, str(self.size), base64.b64encode(self.root_hash).decode()]
        return "\n".join([*lines, *self.extensions]) + "\n"
