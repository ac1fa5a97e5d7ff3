"""Settings: one object, read from ``ATHAR_*`` environment variables and ``athar.toml``.

Every setting has help text; ``docs/settings.md`` lists them all and a test
keeps the two in step.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from athar.errors import ConfigError

__all__ = ["SETTINGS_HELP", "Settings"]


def _setting(default: Any, help: str) -> Any:  # noqa: A002
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """Athar's settings. Environment variables override ``$ATHAR_HOME/athar.toml``."""

    home: Path = _setting(Path("athar-data"), "Workspace folder (database, blobs, keys).")
    database_url: str = _setting("", "Database URL; default sqlite:///$ATHAR_HOME/athar.db.")
    blob_url: str = _setting("", "Blob store: a folder path (default $ATHAR_HOME/blobs) or s3://bucket/prefix.")
    trusted_proxies: tuple[str, ...] = _setting(
        (), "Reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For and "
            "X-Forwarded-Proto are believed; empty: none, loopback included.")
    login_free_failures: int = _setting(
        3, "Failed logins to one account from one address before each further try waits "
           "(1 s, doubling).")
    login_free_failures_per_address: int = _setting(
        20, "Failed logins from one address before it waits too, except for accounts that have "
            "signed in from there.")
    login_max_delay_s: int = _setting(900, "Longest wait, in seconds, that failed logins impose.")
    max_body_bytes: int = _setting(
        1 << 20, "Largest request body in bytes (JSON, forms); uploads have their own limits.")
    read_timeout_s: int = _setting(
        30, "Seconds a client may take to send a request's headers, or pause in its body (408).")
    keep_alive_s: int = _setting(5, "Seconds `athar serve` keeps an idle keep-alive connection open.")
    origin: str = _setting("", "The log's origin line and key name, a schema-less URL (set by athar init).")
    max_entry_bytes: int = _setting(1 << 20, "Largest accepted log entry in bytes.")
    batch_max: int = _setting(2000, "Most entries integrated in one transaction.")
    checkpoint_interval_ms: int = _setting(50, "Longest wait before a new checkpoint covers new entries.")
    checkpoint_max_entries: int = _setting(5000, "Publish a checkpoint after this many new entries.")
    verify_workers: int = _setting(0, "Processes checking signatures of large batches (0: one per core).")
    witnesses: tuple[str, ...] = _setting((), "Trusted witness keys (name+id+base64), comma-separated.")
    sqlite_synchronous: str = _setting("FULL", "SQLite synchronous mode (FULL or NORMAL).")
    custody_max_gap_hours: int = _setting(48, "Custody gaps longer than this many hours are marked.")
    custody_max_skew_minutes: int = _setting(
        10, "Custody events dated more than this many minutes ahead of the server's clock are refused.")

    @classmethod
    def load(cls, home: Path | str | None = None, **overrides: Any) -> Settings:
        """Settings for the workspace at ``home`` (default ``$ATHAR_HOME`` or ``./athar-data``)."""
        home_path = Path(home or os.environ.get("ATHAR_HOME") or "athar-data")
        values: dict[str, Any] = {}
        toml_path = home_path / "athar.toml"
        if toml_path.exists():
            try:
                values.update(tomllib.loads(toml_path.read_text()))
            except tomllib.TOMLDecodeError as exc:
                raise ConfigError(f"{toml_path} is not valid TOML: {exc}") from None
        for f in fields(cls):
            env = os.environ.get(f"ATHAR_{f.name.upper()}")
            if env is not None and f.name != "home":
                values[f.name] = env
        values.update({k: v for k, v in overrides.items() if v is not None})
        values["home"] = home_path
        return cls(**{f.name: _coerce(f.name, f.type, values[f.name])
                      for f in fields(cls) if f.name in values})

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.home / 'athar.db').resolve()}"

    @property
    def blob_location(self) -> str:
        return self.blob_url or str((self.home / "blobs").resolve())


def _coerce(name: str, typ: Any, value: Any) -> Any:
    try:
        if typ in (int, "int"):
            return int(value)
        if typ in (Path, "Path"):
            return Path(value)
        if str(typ).startswith("tuple"):
            if isinstance(value, str):
                return tuple(v.strip() for v in value.split(",") if v.strip())
            return tuple(value)
        return str(value)
    except (TypeError, ValueError):
        raise ConfigError(f"setting {name} has an invalid value {value!r}") from None


SETTINGS_HELP = {f.name: f.metadata["help"] for f in fields(Settings)}
