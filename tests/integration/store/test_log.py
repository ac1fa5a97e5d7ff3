"""The stored log on every backend: appends, checks, proofs, checkpoints, identity."""

from __future__ import annotations

import base64
import json
import os

import pytest

from athar.errors import EntryRejected, Forbidden, InvalidSignature, NotFound
from athar.ledger.checkpoint import Checkpoint
from athar.ledger.entry import Entry, canonical_json
from athar.ledger.hashing import leaf_hash
from athar.ledger.note import Signer
from athar.ledger.note import open as open_note
from athar.ledger.proof import verify_consistency, verify_inclusion
from athar.ledger.tree import MemoryTree
from athar.log.identity import IdentityView
from tests.conftest import make_note


def register(log, admin, actor_id, roles=("investigator",)):
    key = Signer.generate(actor_id)
    body = {"actor_id": actor_id, "name": actor_id.title(), "actor_type": "person",
            "vkey": key.vkey, "roles": list(roles)}
    log.append(Entry.create("actor.registered", body, admin))
    return key


def test_appends_match_a_memory_tree_and_proofs_verify(workspace):
    log = workspace.log()
    admin = workspace.admin_signer
    results = log.append_many(make_note(admin, f"note {i}") for i in range(300))
    assert [r.index for r in results] == list(range(1, 301))
    mem = MemoryTree()
    for i in range(log.size()):
        mem.append(log.entry(i))
    cp = log.publish_checkpoint()
    assert cp.size == 301 and cp.checkpoint.root_hash == mem.root()
    opened = open_note(cp.note, [workspace.log_signer.verifier()])
    assert Checkpoint.from_text(opened.text) == cp.checkpoint
    for i in (0, 1, 150, 299, 300):
        proof = log.inclusion_proof(i, cp.size)
        assert proof == mem.inclusion_proof(i, cp.size)
        verify_inclusion(leaf_hash(log.entry(i)), i, cp.size, proof, cp.checkpoint.root_hash)
    for a in (1, 2, 64, 255, 300):
        proof = log.consistency_proof(a, cp.size)
        verify_consistency(a, cp.size, proof, log.root(a), cp.checkpoint.root_hash)


def test_wait_checkpoint_returns_a_verifying_proof(workspace):
    log = workspace.log()
    r = log.append(make_note(workspace.admin_signer, "wait for me"), wait_checkpoint=True)
    assert r.checkpoint is not None and r.checkpoint.size > r.index
    verify_inclusion(r.leaf_hash, r.index, r.checkpoint.size, list(r.proof),
                     r.checkpoint.checkpoint.root_hash)


def test_resubmitting_identical_bytes_returns_the_existing_index(workspace):
    log = workspace.log()
    e = make_note(workspace.admin_signer, "once")
    first = log.append(e)
    again = log.append(e.to_bytes())
    assert again.index == first.index and again.duplicate and log.size() == first.index + 1


def test_entries_are_checked_before_sequencing(workspace):
    log = workspace.log()
    admin = workspace.admin_signer
    size = log.size()
    good = make_note(admin, "x").to_bytes()
    spaced = good.replace(b'"kind"', b' "kind"')
    with pytest.raises(EntryRejected, match="canonical"):
        log.append(spaced)
    with pytest.raises(EntryRejected, match="unknown entry kind"):
        log.append(Entry.create("no.such_kind", {}, admin))
    with pytest.raises(EntryRejected, match="limit"):
        log.append(make_note(admin, "x" * (2 << 20)))
    with pytest.raises(EntryRejected, match="not registered"):
        log.append(make_note(Signer.generate("stranger"), "hi"))
    forged = json.loads(good)
    forged["body"]["text"] = "y"
    with pytest.raises(InvalidSignature):
        log.append(canonical_json(forged))
    with pytest.raises(EntryRejected, match="note entry body"):
        log.append(Entry.create("note", {"nope": 1}, admin))
    assert log.size() == size


def test_identity_registration_roles_and_revocation(workspace):
    log = workspace.log()
    admin = workspace.admin_signer
    alice = register(log, admin, "alice")
    assert log.append(make_note(alice, "from alice")).index > 0
    with pytest.raises(Forbidden, match="admin"):
        register(log, alice, "mallory")
    log.append(Entry.create("key.revoked", {"vkey": alice.vkey, "reason": "lost laptop"}, admin))
    with pytest.raises(EntryRejected, match="revoked"):
        log.append(make_note(alice, "after revocation"))
    view = IdentityView(log)
    assert view.is_revoked(alice.vkey)
    assert view.roles("alice") == ("investigator",)
    assert [a.actor_id for a in view.actors()] == ["admin", "alice"]
    # A genesis-style self-registration is refused once the log has an admin.
    eve = Signer.generate("eve")
    body = {"actor_id": "eve", "name": "Eve", "actor_type": "person", "vkey": eve.vkey,
            "roles": ["admin"]}
    with pytest.raises(Forbidden):
        log.append(Entry.create("actor.registered", body, eve))


def test_checkpoints_are_published_after_max_entries(tmp_path, database_url):
    from athar.workspace import Workspace

    ws = Workspace.init(tmp_path / "w", database_url=database_url)
    ws.close()
    (tmp_path / "w" / "athar.toml").write_text(
        (tmp_path / "w" / "athar.toml").read_text()
        + "checkpoint_max_entries = 50\ncheckpoint_interval_ms = 600000\n")
    ws = Workspace.open(tmp_path / "w")
    try:
        log = ws.log()
        log.append_many(make_note(ws.admin_signer, f"n{i}") for i in range(120))
        import time

        deadline = time.time() + 5
        while log.latest_checkpoint().size < 51 and time.time() < deadline:
            time.sleep(0.05)
        sizes = [c.size for c in log.checkpoints()]
        assert max(sizes) >= 51
        for older, newer in zip(sorted(sizes), sorted(sizes)[1:], strict=False):
            if older:
                verify_consistency(older, newer, log.consistency_proof(older, newer),
                                   log.root(older), log.root(newer))
    finally:
        ws.close()


def test_tiles_hold_the_stored_hashes(workspace):
    from athar.ledger.tiles import unbundle_entries
    from athar.log.tiles_export import tile_bytes

    log = workspace.log()
    log.append_many(make_note(workspace.admin_signer, f"t{i}") for i in range(299))
    cp = log.publish_checkpoint()
    assert cp.size == 300
    full = log.tile(0, 0, 256)
    assert [full[i * 32:(i + 1) * 32] for i in range(256)] == [
        leaf_hash(log.entry(i)) for i in range(256)]
    assert unbundle_entries(tile_bytes(log, "entries", 1, 44, 300)) == log.entries(256, 300)
    level1 = log.tile(1, 0, 1)
    mem = MemoryTree()
    for i in range(256):
        mem.append(log.entry(i))
    assert level1 == mem.root()
    with pytest.raises(NotFound):
        log.tile(0, 1, 200)


def test_reads_of_missing_things_are_not_found(workspace):
    log = workspace.log()
    with pytest.raises(NotFound):
        log.entry(10_000)
    with pytest.raises(NotFound):
        log.inclusion_proof(5, 10_000)


def test_sizes_in_proof_outputs_are_base64_friendly(workspace):
    r = workspace.log().append(make_note(workspace.admin_signer, "b64"), wait_checkpoint=True)
    assert all(len(base64.b64encode(p)) == 44 for p in r.proof)


def test_bulk_appends_keep_submission_order_and_place_each_refusal(workspace):
    """Checks run in worker processes ahead of the sequencer; results still line up."""
    log = workspace.log()
    admin = workspace.admin_signer
    stranger = Signer.generate("stranger")
    items: list[Entry | bytes] = [make_note(admin, f"bulk {i}") for i in range(700)]
    bad_sig = json.loads(items[10].to_bytes())
    bad_sig["sig"] = items[11].sig
    items[10] = canonical_json(bad_sig)
    items[333] = b'{"not": "canonical" }'
    items[500] = make_note(stranger, "unknown author")
    # A key registered mid-batch may sign the very next entries of the same batch.
    alice = Signer.generate("alice")
    items[600] = Entry.create("actor.registered", {
        "actor_id": "alice", "name": "Alice", "actor_type": "person", "vkey": alice.vkey,
        "roles": ["investigator"]}, admin)
    items[601] = make_note(alice, "signed by a key registered one entry earlier")
    items[650] = items[20]  # a resubmission inside the batch
    results = log.append_many(items)
    assert isinstance(results[10], InvalidSignature)
    assert isinstance(results[333], EntryRejected)
    assert isinstance(results[500], EntryRejected) and "not registered" in str(results[500])
    assert results[650].duplicate and results[650].index == results[20].index
    accepted = [(i, r) for i, r in enumerate(results)
                if not isinstance(r, Exception) and not r.duplicate]
    assert [r.index for _, r in accepted] == list(range(1, 1 + len(accepted)))
    for i, r in accepted:
        data = items[i] if isinstance(items[i], bytes) else items[i].to_bytes()
        assert log.entry(r.index) == data
    assert len(accepted) == 700 - 4
    # The batch really went through the worker processes (not the inline fallback).
    assert log._pool is not None or (os.cpu_count() or 1) < 2


def test_insert_rows_spans_several_statements(workspace):
    db = workspace.log().db
    base = 1 << 60  # far from any node a real tree of this test would store
    rows = [(base + i, bytes([i % 256]) * 3) for i in range(1000)]  # 2,000 parameters: over 999
    with db.write() as txn:
        txn.insert_rows("nodes", ("id", "hash"), rows)
        txn.insert_rows("nodes", ("id", "hash"), [])
    back = db.read("SELECT id, hash FROM nodes WHERE id >= ? ORDER BY id", (base,))
    assert [(a, bytes(b)) for a, b in back] == rows
