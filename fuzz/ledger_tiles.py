"""Fuzz harness: tile paths and entry bundles raise only AtharError and round-trip.

    pip install atheris && python fuzz/ledger_tiles.py -max_total_time=300
    python fuzz/ledger_tiles.py --count 100000      # without atheris
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _fuzzlib  # noqa: E402

_fuzzlib.install_shim()
import atheris  # noqa: E402

with atheris.instrument_imports():
    from athar.errors import AtharError
    from athar.ledger import tiles

SEEDS = [b"tile/0/000", b"tile/1/x001/234.p/7", b"tile/entries/x123/x456/789",
         b"tile/entries/000.p/255", b"/tile/63/x999/999/", b"\x00\x03abc\x00\x00\x00\x01z"]


def _tile_path(data: bytes) -> None:
    try:
        level, n, width = tiles.parse_tile_path(_fuzzlib.as_text(data))
    except AtharError:
        return
    assert tiles.parse_tile_path(tiles.tile_path(level, n, width)) == (level, n, width)


def _unbundle(data: bytes) -> None:
    try:
        entries = tiles.unbundle_entries(data)
    except AtharError:
        return
    assert tiles.bundle_entries(entries) == data


TARGETS = {"tiles.parse_tile_path": _tile_path, "tiles.unbundle_entries": _unbundle}
test_one_input = _fuzzlib.one_input_of(TARGETS)

if __name__ == "__main__":
    _fuzzlib.main(sys.modules[__name__])
