"""C2SP tlog-tiles: tile paths, tile contents and entry bundles (tile height 8)."""

from __future__ import annotations

from collections.abc import Iterable

from athar.errors import NotFound, VerificationError

__all__ = [
    "TILE_HEIGHT",
    "TILE_WIDTH",
    "bundle_entries",
    "encode_index",
    "parse_tile_path",
    "tile_path",
    "tiles_for_size",
    "unbundle_entries",
]

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
MAX_BUNDLED_ENTRY = 0xFFFF
_MAX_PARTS = 2 + 7 + 1  # "tile", level, up to seven index groups (2**64), ".p" width


def encode_index(n: int) -> str:
    """Encode a tile index as groups of three digits, all but the last prefixed by 'x'."""
    if n < 0:
        raise ValueError("tile index must be non-negative")
    groups = []
    while True:
        groups.append(f"{n % 1000:03d}")
        n //= 1000
        if n == 0:
            break
    groups.reverse()
    return "/".join([*("x" + g for g in groups[:-1]), groups[-1]])


def tile_path(level: int | str, n: int, width: int = TILE_WIDTH) -> str:
    """The path of tile ``n`` at ``level`` (an int, or ``"entries"``), partial when width < 256."""
    if not 1 <= width <= TILE_WIDTH:
        raise ValueError("tile width must be 1..256")
    suffix = "" if width == TILE_WIDTH else f".p/{width}"
    return f"tile/{level}/{encode_index(n)}{suffix}"


def _ascii_digits(s: str, most: int) -> bool:
    """True for 1..``most`` ASCII digits (``str.isdigit`` also takes "²" and "٣")."""
    return 0 < len(s) <= most and s.isascii() and s.isdigit()


def parse_tile_path(path: str) -> tuple[int | str, int, int]:
    """Parse ``tile/<L>/<N>[.p/<W>]`` into ``(level, n, width)``.

    Accepts only the canonical C2SP spelling: ASCII digits, groups of three,
    ``x`` on all groups but the last, an index below 2**64, a level of at most
    two digits and a partial width 1..255 without leading zeros. Anything else
    (any string at all) raises :class:`NotFound`, so a server answers 404.
    """
    parts = path.strip("/").split("/", _MAX_PARTS)
    if len(parts) < 3 or len(parts) > _MAX_PARTS or parts[0] != "tile":
        raise NotFound(f"not a tile path: {path[:80]!r}")
    level_s, rest = parts[1], parts[2:]
    width = TILE_WIDTH
    if len(rest) >= 2 and rest[-2].endswith(".p"):
        w = rest[-1]
        if not _ascii_digits(w, 3) or w.startswith("0") or not 1 <= int(w) < TILE_WIDTH:
            raise NotFound(f"bad partial tile width in {path[:80]!r}")
        width = int(w)
        rest = [*rest[:-2], rest[-2][:-2]]
    n = 0
    for i, g in enumerate(rest):
        last = i == len(rest) - 1
        digits = g if last else g[1:]
        if (not last and not g.startswith("x")) or not _ascii_digits(digits, 3) \
                or len(digits) != 3:
            raise NotFound(f"bad tile index in {path[:80]!r}")
        n = n * 1000 + int(digits)
    if n >= 1 << 64:
        raise NotFound(f"tile index in {path[:80]!r} does not fit in 64 bits")
    if level_s == "entries":
        return "entries", n, width
    if not _ascii_digits(level_s, 2):
        raise NotFound(f"bad tile level in {path[:80]!r}")
    return int(level_s), n, width


def tiles_for_size(tree_size: int, level: int) -> tuple[int, int]:
    """``(full tiles, partial width)`` at ``level`` for a tree of ``tree_size``."""
    count = tree_size >> (TILE_HEIGHT * level)
    return count // TILE_WIDTH, count % TILE_WIDTH


def bundle_entries(entries: Iterable[bytes]) -> bytes:
    """An entry bundle: each entry as a big-endian uint16 length and its bytes."""
    out = bytearray()
    for e in entries:
        if len(e) > MAX_BUNDLED_ENTRY:
            raise VerificationError(
                f"an entry of {len(e)} bytes cannot go in a tlog-tiles bundle (max 65535)"
            )
        out += len(e).to_bytes(2, "big") + e
    return bytes(out)


def unbundle_entries(data: bytes) -> list[bytes]:
    """Split an entry bundle; raise VerificationError if it is truncated."""
    out, i = [], 0
    while i < len(data):
        if i + 2 > len(data):
            raise VerificationError("truncated entry bundle")
        n = int.from_bytes(data[i : i + 2], "big")
        if i + 2 + n > len(data):
            raise VerificationError("truncated entry bundle")
        out.append(data[i + 2 : i + 2 + n])
        i += 2 + n
    return out
