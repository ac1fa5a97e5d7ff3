"""The last published checkpoint, kept outside the database, and rollback checks against it.

Each time the log publishes a checkpoint it also writes the signed note to a
file beside the database (``<workspace>/published-checkpoint``): written to a
temporary file, fsynced, renamed over the old one and the folder fsynced, so
the file always holds one whole checkpoint, never an older one than it held.
A database restored from an old backup, or with its newest entries deleted,
is then behind a checkpoint the log has already shown the world:
:func:`rollback_problem` says so, ``Log.start`` refuses to run on it and
``athar log verify`` reports it (also against a witness's cosigned
checkpoint given with ``--checkpoint``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from athar.errors import AtharError, ConfigError
from athar.ledger.checkpoint import Checkpoint
from athar.ledger.note import Verifier
from athar.ledger.note import open as open_note

__all__ = ["HeldCheckpoint", "read_checkpoint", "rollback_problem", "write_published"]


class _Tree(Protocol):
    def size(self) -> int: ...

    def root(self, size: int) -> bytes: ...


def write_published(path: Path, note: str) -> None:
    """Replace ``path`` with ``note`` atomically and durably (mode 0600)."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, note.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    dfd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


class HeldCheckpoint:
    """A checkpoint read from outside the database, and where it came from."""

    __slots__ = ("checkpoint", "source")

    def __init__(self, checkpoint: Checkpoint, source: str) -> None:
        self.checkpoint, self.source = checkpoint, source


def read_checkpoint(path: Path, verifier: Verifier, origin: str) -> HeldCheckpoint:
    """The checkpoint in the signed note at ``path`` (witness cosignature lines allowed).

    ConfigError when it is unreadable, not signed by the log's key or of another log.
    """
    try:
        text = path.read_text(encoding="utf-8")
        cp = Checkpoint.from_text(open_note(text, [verifier]).text)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the checkpoint: {exc}") from None
    except AtharError as exc:
        raise ConfigError(f"{path}: not a checkpoint signed by this log's key: "
                          f"{exc.message}") from None
    if cp.origin != origin:
        raise ConfigError(f"{path}: a checkpoint of {cp.origin!r}, not of this log ({origin!r})")
    return HeldCheckpoint(cp, str(path))


def rollback_problem(tree: _Tree, held: HeldCheckpoint) -> str | None:
    """Why the stored log cannot be the one that signed ``held``, or None when it is consistent."""
    cp, size = held.checkpoint, tree.size()
    if size < cp.size:
        return (f"rollback: the database's log has {size} entries, but the checkpoint in "
                f"{held.source} was signed at size {cp.size}: entries the log had published "
                "are missing (a restored old backup, or deleted entries)")
    if tree.root(cp.size) != cp.root_hash:
        return (f"fork: the database's first {cp.size} entries do not hash to the root of the "
                f"checkpoint in {held.source}: the log was rewritten after it was published")
    return None
