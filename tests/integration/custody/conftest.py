"""Fixtures for custody integration tests: a real workspace, log, hook and blob store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from athar.custody.blobstore.local import LocalBlobStore
from athar.custody.service import CustodyService
from athar.ledger.entry import Entry
from athar.ledger.note import Signer
from athar.workspace import Workspace


@dataclass
class World:
    """A workspace with a custody service and helpers to register actors."""

    ws: Workspace
    svc: CustodyService
    signers: dict[str, Signer] = field(default_factory=dict)

    def actor(self, actor_id: str, *roles: str, actor_type: str = "person") -> Signer:
        """Register an actor with a fresh key (signed by the workspace admin)."""
        signer = Signer.generate(actor_id)
        body = {"actor_id": actor_id, "name": actor_id.title(), "actor_type": actor_type,
                "vkey": signer.vkey, "roles": list(roles)}
        self.ws.log().append(Entry.create("actor.registered", body, self.ws.admin_signer))
        self.signers[actor_id] = signer
        return signer

    def revoke(self, signer: Signer) -> None:
        """Revoke ``signer``'s key."""
        body = {"vkey": signer.vkey, "reason": "test"}
        self.ws.log().append(Entry.create("key.revoked", body, self.ws.admin_signer))


def make_world(home: Path) -> World:
    """A fresh workspace at ``home`` with its custody service."""
    ws = Workspace.init(home)
    return World(ws, CustodyService(ws.log(), LocalBlobStore(ws.blob_dir)))


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.delenv("ATHAR_HOME", raising=False)
    w = make_world(tmp_path / "ws")
    try:
        yield w
    finally:
        w.ws.close()
