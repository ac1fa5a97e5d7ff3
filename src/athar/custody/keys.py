"""Actors' private keys on disk, encrypted with a passphrase; never in the database.

The file is text::

    athar-key/1
    vkey: name+keyid+base64
    -----BEGIN ENCRYPTED PRIVATE KEY-----
    ... PKCS#8, encrypted with cryptography's BestAvailableEncryption ...
    -----END ENCRYPTED PRIVATE KEY-----

The passphrase comes from ``ATHAR_KEY_PASSPHRASE`` or a prompt.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from athar.errors import AuthError, ConfigError
from athar.ledger.note import Signer, Verifier

__all__ = [
    "PASSPHRASE_ENV",
    "generate_encrypted_key",
    "load_encrypted_key",
    "load_key_file",
    "passphrase",
    "write_key_file",
]

PASSPHRASE_ENV = "ATHAR_KEY_PASSPHRASE"
_MAGIC = "athar-key/1"


def passphrase(prompt: Callable[[str], str] | None = None, *, confirm: bool = False) -> str:
    """The passphrase from ``ATHAR_KEY_PASSPHRASE``, else from ``prompt``; never empty."""
    value = os.environ.get(PASSPHRASE_ENV)
    if value is None and prompt is not None:
        value = prompt("Key passphrase")
        if confirm and prompt("Repeat the passphrase") != value:
            raise ConfigError("the passphrases differ; try again")
    if not value:
        raise ConfigError(f"a key passphrase is needed: set {PASSPHRASE_ENV} or type it")
    return value


def _encode(signer: Signer, secret: str) -> bytes:
    key = Ed25519PrivateKey.from_private_bytes(signer.seed)
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8,
                            BestAvailableEncryption(secret.encode("utf-8")))
    return f"{_MAGIC}\nvkey: {signer.vkey}\n".encode() + pem


def generate_encrypted_key(name: str, passphrase: str) -> bytes:
    """A new Ed25519 key named ``name``, as key-file bytes encrypted under ``passphrase``."""
    if not passphrase:
        raise ConfigError("an empty passphrase would leave the key unprotected")
    return _encode(Signer.generate(name), passphrase)


def load_encrypted_key(data: bytes, passphrase: str) -> Signer:
    """Decrypt key-file bytes; the result's vkey equals the one written in the file.

    Raises AuthError for a wrong passphrase and ConfigError for a file that is
    not an Athar key.
    """
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise ConfigError("not an Athar key file (not ASCII text)") from None
    lines = text.split("\n", 2)
    if len(lines) < 3 or lines[0] != _MAGIC or not lines[1].startswith("vkey: "):
        raise ConfigError(f"not an Athar key file (expected {_MAGIC!r} header)")
    try:
        verifier = Verifier.from_vkey(lines[1][6:])
    except Exception:
        raise ConfigError("the key file's vkey line is malformed") from None
    try:
        key = load_pem_private_key(lines[2].encode(), passphrase.encode("utf-8"))
    except (ValueError, TypeError):
        raise AuthError("wrong passphrase for this key file (or the file is damaged)") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigError("the key file does not hold an Ed25519 key")
    seed = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    signer = Signer.from_seed(verifier.name, seed)
    if signer.vkey != verifier.vkey:
        raise ConfigError("the key file's private key does not match its vkey line")
    return signer


def write_key_file(path: Path, data: bytes) -> None:
    """Write key-file bytes to ``path`` with mode 0600, refusing to overwrite."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise ConfigError(f"{path} exists; choose another file name") from None
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def load_key_file(path: Path, prompt: Callable[[str], str] | None = None) -> Signer:
    """Read and decrypt the key file at ``path`` (passphrase from env or ``prompt``)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read key file {path}: {exc.strerror}") from None
    return load_encrypted_key(data, passphrase(prompt))
