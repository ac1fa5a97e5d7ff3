"""Web users sign with their own actor keys: every custody-capable account is an actor in the log.

When a user holding one of the custody roles (investigator, custodian, lab,
admin) is created, the server makes an Ed25519 key for them, keeps it in
``<workspace>/keys/web/NAME.key`` (mode 0600, in the ``athar-key/1`` format of
:mod:`athar.custody.keys`, encrypted under a passphrase derived with HMAC-SHA256
from the workspace secret ``actor-keys.secret`` and the user name) and appends an
admin-signed ``actor.registered`` entry: ``actor_id`` = user name, ``actor_type``
person, ``roles`` = the user's roles. The custody routes and pages then sign
with the logged-in user's key, so a hand-over is signed by its giver and a
receipt by its receiver.

The web user ``admin`` made on the first ``athar serve`` is the workspace's own
``admin`` actor (the genesis entry) and signs with ``admin.key``. Accounts made
before this existed, or directly through :class:`~athar.accounts.users.Accounts`,
get their key on their first custody action. A user name that is already an
actor whose key the server does not hold is refused (it would be someone else).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from pathlib import Path

from athar.accounts.users import Accounts
from athar.custody.keys import generate_encrypted_key, load_encrypted_key, write_key_file
from athar.custody.models import WRITER_ROLES
from athar.errors import ConfigError, EntryRejected, Forbidden
from athar.ledger.entry import Entry
from athar.ledger.note import Signer
from athar.log.identity import IdentityView
from athar.workspace import Workspace, load_or_create_secret

__all__ = ["CUSTODY_ROLES", "SECRET_FILE", "SIGNING_ROLES", "add_user", "bootstrap_admin", "check_linkable",
           "key_path", "provision", "signer_for"]

CUSTODY_ROLES: frozenset[str] = WRITER_ROLES
SIGNING_ROLES: frozenset[str] = WRITER_ROLES | {"reviewer"}
"""Roles whose users sign log entries (custody events, reviews) with a key of their own."""
SECRET_FILE = "actor-keys.secret"
_CACHE_KEY = "accounts.actor_signers"
_LOCK = threading.Lock()


def _signers(ws: Workspace) -> dict[str, Signer]:
    """The decrypted actor keys of ``ws``'s users, kept on the workspace (call under ``_LOCK``)."""
    signers = ws.cache.get(_CACHE_KEY)
    if not isinstance(signers, dict):
        signers = ws.cache[_CACHE_KEY] = {}
    return signers


def key_path(ws: Workspace, name: str) -> Path:
    """Where the server keeps ``name``'s key."""
    return ws.home / "keys" / "web" / f"{name}.key"


def _secret(ws: Workspace) -> bytes:
    return load_or_create_secret(ws.home / SECRET_FILE, "the web users' signing keys")


def _passphrase(ws: Workspace, name: str) -> str:
    return hmac.new(_secret(ws), b"athar-web-actor-key\0" + name.encode(), hashlib.sha256).hexdigest()


def _admin_linked(ws: Workspace, name: str) -> bool:
    actor = IdentityView(ws.log()).actor(name)
    return actor is not None and ws.admin_signer.vkey in actor.keys


def check_linkable(ws: Workspace, name: str) -> None:
    """ConfigError when ``name`` is already an actor whose key this server does not hold."""
    actor = IdentityView(ws.log()).actor(name)
    if actor is None or ws.admin_signer.vkey in actor.keys or key_path(ws, name).exists():
        return
    raise ConfigError(f"{name!r} is already an actor in the log with a key this server does not "
                      "hold: choose another user name")


def _load(ws: Workspace, name: str) -> Signer:
    return load_encrypted_key(key_path(ws, name).read_bytes(), _passphrase(ws, name))


def _register(ws: Workspace, name: str, signer: Signer, roles: tuple[str, ...]) -> None:
    view = IdentityView(ws.log())
    owner = view.actor_for_vkey(signer.vkey)
    if owner == name:
        return
    if owner is not None or view.actor(name) is not None:
        raise ConfigError(f"actor {name!r} is registered with another key than the one the server "
                          f"holds in {key_path(ws, name)}")
    body = {"actor_id": name, "name": name, "actor_type": "person", "vkey": signer.vkey,
            "roles": list(roles)}
    try:
        ws.log().append(Entry.create("actor.registered", body, ws.admin_signer))
    except EntryRejected:
        if view.actor_for_vkey(signer.vkey) != name:  # not a concurrent registration of ours
            raise


def provision(ws: Workspace, name: str, roles: tuple[str, ...] | list[str]) -> Signer | None:
    """Make (or find) ``name``'s actor key and registration; None for roles that sign nothing."""
    roles = tuple(roles)
    if not SIGNING_ROLES & set(roles):
        return None
    with _LOCK:
        cached = _signers(ws).get(name)
        if cached is not None:
            return cached
        if _admin_linked(ws, name):
            signer = ws.admin_signer
        else:
            path = key_path(ws, name)
            if not path.exists():
                check_linkable(ws, name)
                path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                try:
                    write_key_file(path, generate_encrypted_key(name, _passphrase(ws, name)))
                except ConfigError:
                    pass  # another process made it first; use theirs
            signer = _load(ws, name)
            _register(ws, name, signer, roles)
        _signers(ws)[name] = signer
        return signer


def signer_for(ws: Workspace, user_name: str, roles: tuple[str, ...]) -> Signer:
    """The key the logged-in user signs custody events and reviews with (made on first use if missing)."""
    signer = provision(ws, user_name, roles)
    if signer is None:
        raise Forbidden("signing log entries needs one of the roles: " + ", ".join(sorted(SIGNING_ROLES)))
    return signer


def add_user(ws: Workspace, name: str, roles: list[str] | tuple[str, ...], password: str | None = None,
             *, must_change: bool = False) -> tuple[str, Signer | None]:
    """Create an account and, for custody roles, its actor key and registration.

    Returns the password (generated when none is given) and the signer (None when
    the user's roles sign nothing).
    """
    check_linkable(ws, name)
    chosen = Accounts(ws.log().db).add(name, roles, password, must_change=must_change)
    return chosen, provision(ws, name, roles)


def bootstrap_admin(ws: Workspace) -> str | None:
    """:meth:`Accounts.bootstrap_admin`, then link ``admin`` to the workspace's admin actor."""
    password = Accounts(ws.log().db).bootstrap_admin()
    if password is not None:
        provision(ws, "admin", ("admin",))
    return password
