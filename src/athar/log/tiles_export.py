"""Write a log as static C2SP tlog-tiles files (checkpoint, hash tiles, entry bundles)."""

from __future__ import annotations

import os
from pathlib import Path

from athar.ledger.tiles import TILE_HEIGHT, TILE_WIDTH, bundle_entries, tile_path, tiles_for_size
from athar.log.server import Log

__all__ = ["export_tiles", "tile_bytes"]


def tile_bytes(log: Log, level: int | str, n: int, width: int, size: int) -> bytes:
    """The content of one tile of the tree of ``size`` (hash tile or entry bundle)."""
    if level == "entries":
        lo = n * TILE_WIDTH
        entries = log.entries(lo, lo + width) if lo + width <= size else []
        if len(entries) != width:
            from athar.errors import NotFound

            raise NotFound("entry bundle is beyond the latest checkpoint")
        return bundle_entries(entries)
    assert isinstance(level, int)
    return log.tile(level, n, width)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def export_tiles(log: Log, directory: Path) -> int:
    """Write every tile of the latest checkpoint under ``directory``; return the file count.

    Full tiles never change, so existing ones are skipped; partial tiles are
    rewritten, and the checkpoint is written last so readers never see a
    checkpoint whose tiles are missing.
    """
    cp = log.latest_checkpoint()
    size = cp.size
    written = 0
    level = 0
    while True:
        full, partial = tiles_for_size(size, level)
        if full == 0 and partial == 0:
            break
        for n in range(full + (1 if partial else 0)):
            width = TILE_WIDTH if n < full else partial
            levels: list[int | str] = [level, "entries"] if level == 0 else [level]
            for lv in levels:
                path = directory / tile_path(lv, n, width)
                if width == TILE_WIDTH and path.exists():
                    continue
                _write(path, tile_bytes(log, lv, n, width, size))
                written += 1
        if size >> (TILE_HEIGHT * (level + 1)) == 0:
            break
        level += 1
    _write(directory / "checkpoint", cp.with_cosignatures().encode())
    return written + 1
