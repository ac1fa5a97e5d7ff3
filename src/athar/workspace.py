"""A workspace: the folder holding a log's database, blobs, keys and settings.

``athar init`` creates it; everything else opens it. The checkpoint key
(``log.key``) and the workspace admin's key (``admin.key``) are written with
mode 0600 and never enter the database.

The log's identity is its origin, chosen at ``athar init`` (``--origin
example.org/athar/log``: a schema-less URL) or, when none is chosen, derived
from the checkpoint key (:func:`default_origin`), never from the machine's
name. The checkpoint key is named as the origin, as the signed-note and
witness conventions expect: the verifier key a witness is given starts with
the origin it will see in every checkpoint. Workspaces made before this keep
the origin and key they have. Everything in the folder is its
owner's alone: folders 0700, files 0600 (blobs 0400), the SQLite database and
its ``-wal``/``-shm`` included, so no other local user reads committed
secrets, password hashes or evidence.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from athar.cases.hook import CaseHook
from athar.config import Settings
from athar.custody.hook import CustodyHook
from athar.custody.index import index_values
from athar.errors import ConfigError
from athar.incidents.curation import CurationHook
from athar.incidents.hook import IntakeHook
from athar.ledger.entry import Entry
from athar.ledger.note import MalformedNote, Signer
from athar.log.sequencer import SequencerOptions
from athar.log.server import Log, LogOptions
from athar.store.db import connect

__all__ = ["Workspace", "check_origin", "default_origin", "load_or_create_secret"]

LOG_KEY = "log.key"
ADMIN_KEY = "admin.key"
PUBLISHED_CHECKPOINT = "published-checkpoint"


def _write_secret(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text + "\n")


def load_or_create_secret(path: Path, purpose: str) -> bytes:
    """A 32-byte random secret kept hex-encoded in ``path`` (mode 0600), made when missing.

    Raises ConfigError if the file is readable by others or does not hold a
    secret; ``purpose`` says in that message what the secret is for.
    """
    if not path.exists():
        try:
            _write_secret(path, secrets.token_hex(32))
        except FileExistsError:
            pass  # made by another process in the meantime
    if path.stat().st_mode & 0o077:
        raise ConfigError(f"{path} is readable by others: run `chmod 600 {path}`")
    try:
        key = bytes.fromhex(path.read_text().strip())
    except ValueError:
        key = b""
    if len(key) < 32:
        raise ConfigError(f"{path} does not hold a secret for {purpose}: delete it to make a new one")
    return key


def _private_sqlite(url: str) -> None:
    """Create an SQLite database file with mode 0600 before SQLite does (with the umask's 0644).

    SQLite gives its ``-wal``, ``-shm`` and ``-journal`` files the database
    file's own mode, so they are private too; an existing database and those
    files are made 0600 when they are not.
    """
    if not url.startswith("sqlite:///") or url.endswith(":memory:"):
        return
    path = Path(url.removeprefix("sqlite:///"))
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for p in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        with contextlib.suppress(FileNotFoundError, PermissionError):
            if p.stat().st_mode & 0o077:
                os.chmod(p, 0o600)


_ORIGIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~/%@:-]{0,199}")


def check_origin(origin: str) -> str:
    """``origin`` if it can be a log's origin line and key name (a schema-less URL); ConfigError if not."""
    if "://" in origin or not _ORIGIN.fullmatch(origin) or "/" not in origin and "." not in origin:
        raise ConfigError(
            f"invalid origin {origin!r}: give a schema-less URL such as example.org/athar/log "
            "(no https://, no spaces or '+', at most 200 characters)")
    return origin


def default_origin(seed: bytes) -> str:
    """The origin of a log whose operator chose none: named after its checkpoint key, never the machine.

    ``athar.invalid/log/<first 16 hex digits of the SHA-256 of the public key>``: unique to
    the key, stable wherever the workspace moves; ``.invalid`` is the top-level domain
    reserved never to resolve, saying that no address was chosen.
    """
    public = Signer.from_seed("athar-log", seed).public_key
    return f"athar.invalid/log/{hashlib.sha256(public).hexdigest()[:16]}"


def _read_signer(path: Path) -> Signer:
    if not path.exists():
        raise ConfigError(f"{path} is missing: run `athar init` to create the workspace")
    if path.stat().st_mode & 0o077:
        raise ConfigError(f"{path} is readable by others: run `chmod 600 {path}`")
    try:
        return Signer.from_skey(path.read_text().strip())
    except MalformedNote as exc:
        raise ConfigError(f"{path} does not hold a valid signer key: {exc.message}") from None


@dataclass
class Workspace:
    """An opened workspace: settings, keys, (lazily) its log, and caches of views derived from it.

    ``cache`` holds read views that the layers above rebuild when the log has
    grown (a snapshot of the reports, an encoded incident list); it belongs to
    this workspace and is emptied when it closes, so no module keeps state of
    its own between workspaces.
    """

    settings: Settings
    log_signer: Signer
    admin_signer: Signer
    _log: Log | None = None
    cache: dict[str, object] = field(default_factory=dict)

    @property
    def home(self) -> Path:
        return self.settings.home

    @property
    def db_url(self) -> str:
        return self.settings.resolved_database_url

    @property
    def blob_dir(self) -> Path:
        return self.home / "blobs"

    @property
    def published_checkpoint(self) -> Path:
        """The last checkpoint the log published, kept outside the database (see
        :mod:`athar.log.published`)."""
        return self.home / PUBLISHED_CHECKPOINT

    @property
    def vkey(self) -> str:
        """The log's checkpoint verifier key."""
        return self.log_signer.vkey

    @classmethod
    def init(cls, home: Path | str | None = None, *, origin: str | None = None,
             database_url: str | None = None, exist_ok: bool = False) -> Workspace:
        """Create a workspace (folder, keys, settings, tables, genesis admin entry)."""
        settings = Settings.load(home)
        root = settings.home
        if (root / LOG_KEY).exists():
            if exist_ok:
                return cls.open(root)
            raise ConfigError(f"{root} is already a workspace; use it or pick another folder")
        root.mkdir(parents=True, exist_ok=True)
        os.chmod(root, 0o700)  # the workspace is its owner's alone (see _private_sqlite too)
        for folder in (root / "blobs", root / "keys"):
            folder.mkdir(mode=0o700, exist_ok=True)
            os.chmod(folder, 0o700)
        seed = secrets.token_bytes(32)
        origin = check_origin(origin) if origin else default_origin(seed)
        lines = [f'origin = "{origin}"']
        if database_url:
            lines.append(f'database_url = "{database_url}"')
        toml = os.open(root / "athar.toml", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(toml, 0o600)
        with os.fdopen(toml, "w") as f:
            f.write("\n".join(lines) + "\n")
        _write_secret(root / LOG_KEY, Signer.from_seed(origin, seed).skey)  # named as its origin
        _write_secret(root / ADMIN_KEY, Signer.generate("athar-admin").skey)
        ws = cls.open(root)
        log = ws.log()
        if log.size() == 0:
            admin = ws.admin_signer
            body = {"actor_id": "admin", "name": "Workspace administrator",
                    "actor_type": "person", "vkey": admin.vkey, "roles": ["admin"]}
            log.append(Entry.create("actor.registered", body, admin))
            log.publish_checkpoint()
        return ws

    @classmethod
    def open(cls, home: Path | str | None = None) -> Workspace:
        """Open an existing workspace; ConfigError with a hint if there is none."""
        settings = Settings.load(home)
        if not settings.origin:
            raise ConfigError(
                f"no workspace at {settings.home}: run `athar init` (or set ATHAR_HOME)"
            )
        return cls(settings, _read_signer(settings.home / LOG_KEY),
                   _read_signer(settings.home / ADMIN_KEY))

    def log(self) -> Log:
        """The workspace's log, started (tables created, sequencer running)."""
        if self._log is None:
            s = self.settings
            options = LogOptions(
                max_entry_bytes=s.max_entry_bytes,
                verify_workers=s.verify_workers,
                sequencer=SequencerOptions(s.batch_max, s.checkpoint_interval_ms,
                                           s.checkpoint_max_entries),
                published_checkpoint=self.published_checkpoint,
            )
            db_opts = {"synchronous": s.sqlite_synchronous} if self.db_url.startswith("sqlite") else {}
            _private_sqlite(self.db_url)
            self._log = Log(connect(self.db_url, **db_opts), self.log_signer, s.origin, options)
            self.add_hooks(self._log)
            self._log.start()
        return self._log

    def add_hooks(self, log: Log, *, replay: bool = False) -> None:
        """Register every package's entry hook and the completeness index on ``log``.

        ``replay``: ``log`` is being rebuilt from this workspace's entries
        (``athar log verify --from-scratch``), so its stored index snapshots are
        accepted when they match the recomputed index.
        """
        log.register_hook(CustodyHook(timedelta(minutes=self.settings.custody_max_skew_minutes)))
        log.register_hook(IntakeHook())
        log.register_hook(CaseHook())
        log.register_hook(CurationHook())
        log.set_index_source(index_values, replay=replay)

    def close(self) -> None:
        """Flush and close the log."""
        self.cache.clear()
        if self._log is not None:
            self._log.close()
            self._log = None
