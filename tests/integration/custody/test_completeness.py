"""A real export proves completeness: the issue's attack (the last events of an exhibit
removed, with the broken-seal warning they carried) fails, and so does every drop."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from athar.custody.index import index_values
from athar.errors import EntryRejected
from athar.ledger.completeness import SNAPSHOT_KIND, exhibit_name, snapshot_body
from athar.ledger.entry import Entry
from athar.ledger.vmap import VerifiableMap
from athar.report.export import export_bundle
from athar.report.verify import verify_files
from tests.property import completeness_attacks as atk

from .scenario import PORTIONS, run_story


def _files(world, tmp_path: Path, codes=("S-0001",)) -> dict[str, bytes]:
    out = tmp_path / "case.zip"
    export_bundle(world.svc, list(codes), out)
    with zipfile.ZipFile(out) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _events(files: dict[str, bytes], code: str) -> list[int]:
    return [i for i in atk.custody_indices(files)
            if json.loads(files[f"entries/{i}.json"])["body"]["exhibit"] == code]


def test_the_issue_attack_fails(world, tmp_path: Path) -> None:
    inv = world.actor("inv", "investigator")
    cus = world.actor("cus", "custodian")
    svc = world.svc
    svc.register_physical(inv, code="X", at="2024-05-01T09:00:00Z")
    svc.record("X", "sealed", inv, at="2024-05-01T09:05:00Z", public={"seals": ["S-1"]})
    svc.record("X", "handed_over", inv, at="2024-05-01T10:00:00Z", public={"to": "cus"})
    svc.record("X", "received", cus, at="2024-05-01T11:00:00Z")
    svc.record("X", "seal_checked", cus, at="2024-05-01T11:05:00Z",
               public={"seals": ["S-1"], "status": "broken"})
    files = _files(world, tmp_path, ["X"])
    report = verify_files(files, world.ws.vkey)
    assert report.intact and "broken_seal" in {f.code for f in report.findings}
    last = _events(files, "X")[-1]
    cut = verify_files(atk.drop(files, [last]), world.ws.vkey)
    assert not cut.intact
    assert "broken_seal" not in {f.code for f in cut.findings}
    bad = [f for f in cut.findings if f.code == "incomplete"]
    assert bad and bad[0].exhibit_id == "X" and "left out" in bad[0].message


def test_every_single_drop_of_the_story_fails(world, tmp_path: Path) -> None:
    run_story(world)
    files = _files(world, tmp_path)
    vkey = world.ws.vkey
    assert verify_files(files, vkey).clean
    missed = [i for i in atk.custody_indices(files) + atk.identity_indices(files)[1:]
              if verify_files(atk.drop(files, [i]), vkey).intact]
    assert not missed
    for code in ["S-0001", *PORTIONS]:  # every truncation of every chain
        own = _events(files, code)
        for k in range(1, len(own)):
            assert not verify_files(atk.drop(files, own[-k:]), vkey).intact, (code, k)


def test_the_snapshot_is_the_checkpoints_last_entry(world, tmp_path: Path) -> None:
    run_story(world)
    files = _files(world, tmp_path)
    m = json.loads(files["manifest.json"])
    assert m["format"] == "athar-bundle/2"
    assert m["index"]["entry"] == m["tree_size"] - 1
    snap = json.loads(files[f"entries/{m['index']['entry']}.json"])
    assert snap["kind"] == SNAPSHOT_KIND and snap["author"] == world.ws.vkey
    names = [n["name"] for n in m["index"]["names"]]
    assert names == sorted(["identity", *(exhibit_name(c) for c in m["exhibits"])])


def test_each_export_takes_a_fresh_snapshot(world, tmp_path: Path) -> None:
    run_story(world)
    log = world.ws.log()
    res, cp = log.snapshot()
    assert cp.size == res.index + 1
    note = world.svc.record("S-0001", "note", world.signers["central-lab"],
                            at="2024-05-04T10:00:00Z", private={"text": "later"})
    files = _files(world, tmp_path)  # a fresh snapshot: the note is in, and counted
    assert verify_files(files, world.ws.vkey).intact
    assert note.index in _events(files, "S-0001")
    values = index_values(log.read)
    assert values[exhibit_name("S-0001")].count == len(world.svc.timeline("S-0001"))


def test_nobody_else_can_log_a_snapshot(world) -> None:
    log = world.ws.log()
    vm = VerifiableMap(index_values(log.read))
    body = snapshot_body(log.size(), len(vm), vm.root)
    for signer in (world.ws.admin_signer, world.ws.log_signer):
        with pytest.raises(EntryRejected):
            log.append(Entry.create(SNAPSHOT_KIND, body, signer))
