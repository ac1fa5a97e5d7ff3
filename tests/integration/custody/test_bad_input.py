"""Bad input: a clear error, nothing lost, nothing half-written."""

from __future__ import annotations

import io

import pytest

from athar.custody.events import build_entry
from athar.custody.metadata import display_name
from athar.errors import CustodyRuleViolation, EntryRejected, NotFound
from athar.ledger.note import Signer


class Boom(io.RawIOBase):
    """A stream that fails after some bytes, like a dropped upload."""

    def __init__(self, good: int) -> None:
        self.left = good

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def]
        if self.left <= 0:
            raise ConnectionError("client went away")
        n = min(len(b), self.left, 4096)
        b[:n] = b"x" * n
        self.left -= n
        return n


def _blob_files(world) -> list:
    return [p for p in world.ws.blob_dir.rglob("*") if p.is_file()]


def test_interrupted_upload_leaves_no_blob_and_no_entry(world) -> None:
    inv = world.actor("inv", "investigator")
    size = world.ws.log().size()
    with pytest.raises(ConnectionError):
        world.svc.ingest(io.BufferedReader(Boom(3 << 20)), inv, name="big.bin")
    assert _blob_files(world) == []
    assert world.ws.log().size() == size
    assert world.svc.exhibits() == []


def test_refused_registration_removes_its_new_blob(world) -> None:
    world.actor("obs", "observer")
    obs = world.signers["obs"]
    with pytest.raises(CustodyRuleViolation, match="may not record registered"):
        world.svc.ingest(io.BytesIO(b"photo"), obs, name="a.jpg")
    assert _blob_files(world) == []


def test_unknown_and_revoked_keys_are_refused(world) -> None:
    stranger = Signer.generate("stranger")
    with pytest.raises(EntryRejected, match="not registered"):
        world.svc.register_physical(stranger, code="S-9")
    inv = world.actor("inv", "investigator")
    world.svc.register_physical(inv, code="S-9", at="2024-01-01T00:00:00Z")
    world.revoke(inv)
    with pytest.raises(EntryRejected, match="revoked"):
        world.svc.record("S-9", "sealed", inv, at="2024-01-02T00:00:00Z",
                         public={"seals": ["X"]})


def test_replayed_and_stale_events_are_refused(world) -> None:
    inv = world.actor("inv", "investigator")
    world.actor("team", "custodian")
    svc = world.svc
    svc.register_physical(inv, code="S-1", at="2024-01-01T00:00:00Z")
    head = svc.state("S-1").head
    e1, _ = build_entry("sealed", "S-1", head, inv, at="2024-01-01T01:00:00Z",
                        public={"seals": ["A"]})
    first = svc.append(e1)
    again = svc.append(e1)
    assert again.duplicate and again.index == first.index
    e2, _ = build_entry("stored", "S-1", head, inv, at="2024-01-01T02:00:00Z")
    with pytest.raises(CustodyRuleViolation, match="replayed or stale"):
        svc.append(e2)


def test_unknown_exhibit_and_non_holder_are_refused(world) -> None:
    inv = world.actor("inv", "investigator")
    team = world.actor("team", "custodian")
    svc = world.svc
    with pytest.raises(NotFound):
        svc.record("NOPE", "sealed", inv, public={"seals": ["A"]})
    e, _ = build_entry("stored", "NOPE", "0" * 64, inv)
    with pytest.raises(CustodyRuleViolation, match="no exhibit NOPE"):
        svc.append(e)
    svc.register_physical(inv, code="S-2", at="2024-01-01T00:00:00Z")
    with pytest.raises(CustodyRuleViolation, match="only the current holder"):
        svc.record("S-2", "handed_over", team, at="2024-01-02T00:00:00Z",
                   public={"to": "team"})
    with pytest.raises(CustodyRuleViolation, match="backwards"):
        svc.record("S-2", "stored", inv, at="2023-12-31T00:00:00Z")
    svc.record("S-2", "destroyed", inv, at="2024-01-03T00:00:00Z", public={"method": "incinerated"})
    with pytest.raises(CustodyRuleViolation, match="destroyed"):
        svc.record("S-2", "note", inv, at="2024-01-04T00:00:00Z", private={"text": "late"})


def test_sensitive_field_in_clear_is_refused(world) -> None:
    inv = world.actor("inv", "investigator")
    with pytest.raises(EntryRejected, match="sensitive"):
        world.svc.register_physical(inv, code="S-3", public={"description": "in clear"})


@pytest.mark.parametrize("name", ["../../etc/passwd", "report\u202egnp.exe", "a\x00b\nc.txt",
                                  "C:\\Windows\\x.dll", "\u2067evil\u2069.pdf"])
def test_tricky_file_names_are_stored_safely_and_shown_escaped(world, name: str) -> None:
    inv = world.actor("inv", "investigator")
    r = world.svc.ingest(io.BytesIO(name.encode("utf-8", "replace") + b"!"), inv, name=name)
    held = [v for _, f, v in world.svc.secrets(r.exhibit_id) if f == "original_name"]
    assert held == [name]
    shown = display_name(name)
    assert all(c.isprintable() for c in shown)
    assert not any(c in shown for c in "\u202e\u2067\u2069\x00\n")
    files = _blob_files(world)
    assert len(files) == 1 and files[0].resolve().is_relative_to(world.ws.blob_dir.resolve())
    assert files[0].name == world.svc.exhibit(r.exhibit_id).sha256
