"""Witnessing: one Athar instance holds another's log to its history and cosigns it.

The witness keeps the last checkpoint it saw of each log. It fetches the new
checkpoint, checks the log's signature, checks a consistency proof from the
old size (refusing rollbacks and forks), then cosigns (C2SP tlog-cosignature)
and hands the cosignature back to the log, which stores it if it trusts us.
"""

from __future__ import annotations

import base64
import time
from typing import Any

import httpx

from athar.errors import AtharError, ConfigError, VerificationError
from athar.ledger.checkpoint import Checkpoint
from athar.ledger.cosignature import CosignatureVerifier, Cosigner, verify_cosignatures
from athar.ledger.note import Verifier
from athar.ledger.note import open as open_note
from athar.ledger.proof import verify_consistency

__all__ = ["accept_cosignature", "check_and_cosign", "witness_once", "witness_signer"]


def witness_signer(ws: Any) -> Cosigner:
    """This workspace's witness key (created on first use, mode 0600)."""
    import os

    from athar.ledger.note import Signer

    path = ws.home / "witness.key"
    if not path.exists():
        name = ws.settings.origin.replace(" ", "_") + "/witness"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(Signer.generate(name).skey + "\n")
    return Cosigner(Signer.from_skey(path.read_text().strip()))


def check_and_cosign(log: Any, cosigner: Cosigner, note_text: str, log_vkey: str,
                     fetch_consistency: Any, url: str = "") -> tuple[Checkpoint, str]:
    """Verify a checkpoint against what we saw before and return our cosignature line.

    ``fetch_consistency(size1, size2)`` returns the proof hashes. Raises
    VerificationError on a bad signature, a rollback, a fork or a bad proof.
    """
    verifier = Verifier.from_vkey(log_vkey)
    opened = open_note(note_text, [verifier])
    cp = Checkpoint.from_text(opened.text)
    rows = log.read("SELECT size, root FROM witnessed_logs WHERE origin = ?", (cp.origin,))
    if rows:
        old_size, old_root = int(rows[0][0]), bytes(rows[0][1])
        if cp.size < old_size:
            raise VerificationError(
                f"log {cp.origin} rolled back: size {cp.size} after {old_size} was witnessed")
        if cp.size == old_size and cp.root_hash != old_root:
            raise VerificationError(f"log {cp.origin} forked: two roots at size {cp.size}")
        if 0 < old_size < cp.size:
            proof = fetch_consistency(old_size, cp.size)
            verify_consistency(old_size, cp.size, proof, old_root, cp.root_hash)
    line = cosigner.cosign(opened.text, int(time.time()))
    with log.db.write() as txn:
        txn.execute("DELETE FROM witnessed_logs WHERE origin = ?", (cp.origin,))
        txn.execute("INSERT INTO witnessed_logs (origin, vkey, url, size, root, note) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (cp.origin, log_vkey, url, cp.size, cp.root_hash, note_text))
    return cp, line


def accept_cosignature(log: Any, trusted: list[str], size: int, line: str) -> str:
    """Verify a witness's cosignature line over our checkpoint at ``size`` and store it."""
    if not trusted:
        raise ConfigError("this log trusts no witnesses: set ATHAR_WITNESSES to their keys")
    cp = log.checkpoint_at(size)
    witnesses = [CosignatureVerifier.from_vkey(k) for k in trusted]
    if not line.endswith("\n"):
        line += "\n"
    found = verify_cosignatures(cp.note + line, witnesses)
    if not found:
        raise VerificationError("the cosignature is not from a trusted witness")
    c = found[0]
    log.add_cosignature(size, c.name, c.timestamp, c.line)
    return c.name


def witness_once(ws: Any, url: str, log_vkey: str) -> dict[str, Any]:
    """Fetch, check and cosign the checkpoint of the Athar log at ``url``; return a summary."""
    base = url.rstrip("/")
    cosigner = witness_signer(ws)
    try:
        with httpx.Client(timeout=30) as client:
            note_text = client.get(f"{base}/checkpoint").raise_for_status().text

            def fetch(a: int, b: int) -> list[bytes]:
                r = client.get(f"{base}/api/v1/log/proof/consistency",
                               params={"from": a, "to": b}).raise_for_status()
                return [base64.b64decode(p) for p in r.json()["proof"]]

            cp, line = check_and_cosign(ws.log(), cosigner, note_text, log_vkey, fetch, base)
            r = client.post(f"{base}/api/v1/log/cosignature",
                            json={"size": cp.size, "cosignature": line})
            stored = r.status_code == 200
    except httpx.HTTPError as exc:
        raise AtharError(f"could not reach {base}: {exc}") from exc
    return {"origin": cp.origin, "size": cp.size, "witness": cosigner.name,
            "witness_vkey": cosigner.verifier().vkey, "cosignature": line,
            "accepted_by_log": stored}
