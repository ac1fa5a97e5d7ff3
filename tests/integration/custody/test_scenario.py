"""Done means: one sample's whole custody, exported and verified offline, tamper-evident."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from athar.report.export import export_bundle
from athar.report.verify import format_verdict, verify_bundle, verify_files

from .scenario import PORTIONS, run_story


def test_story_is_recorded_and_verifies(world) -> None:
    story = run_story(world)
    svc = world.svc
    st = svc.state("S-0001")
    assert st.children == tuple(PORTIONS) and st.holder == "central-lab"
    assert svc.state("S-0001-A").holder == "lab-a"
    assert svc.state("S-0001-B").holder == "lab-b"
    assert svc.exhibit(story.results["S-0001-A"]).parent_id == "S-0001-A"
    actions = [e.action for e in svc.timeline("S-0001-A")]
    assert actions == ["split", "sealed", "handed_over", "received", "seal_checked",
                       "opened", "analysed"]
    report = svc.verify("S-0001")
    assert report.intact and report.clean, report.findings


def _bundle(world, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    out = tmp_path / "case.zip"
    export_bundle(world.svc, ["S-0001"], out, include_blobs=True,
                  disclose=[(world.svc.timeline("S-0001")[0].index, "description")])
    with zipfile.ZipFile(out) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    return out, files


def test_export_verifies_offline(world, tmp_path: Path) -> None:
    run_story(world)
    out, files = _bundle(world, tmp_path)
    report = verify_bundle(out, world.ws.vkey)
    assert report.intact and report.clean, format_verdict(report)
    assert set(report.states) >= {"S-0001", *PORTIONS, "R-S-0001-A", "R-S-0001-B"}
    assert any(n.startswith("blobs/") for n in files)
    assert any(n.startswith("disclosures/") for n in files)
    assert format_verdict(report).startswith("VERIFIED")


def test_wrong_key_fails(world, tmp_path: Path) -> None:
    run_story(world)
    out, _ = _bundle(world, tmp_path)
    report = verify_bundle(out, world.ws.admin_signer.vkey)
    assert not report.intact
    assert format_verdict(report).startswith("FAILED")


@pytest.mark.slow
def test_every_single_byte_change_is_detected(world, tmp_path: Path) -> None:
    run_story(world)
    _, files = _bundle(world, tmp_path)
    vkey = world.ws.vkey
    assert verify_files(files, vkey).intact
    missed = []
    for name, data in files.items():
        for i in range(len(data)):
            b = bytearray(data)
            b[i] ^= 0x01
            report = verify_files({**files, name: bytes(b)}, vkey)
            if report.intact:
                missed.append((name, i))
    assert not missed, missed[:20]


def test_changed_entry_is_named(world, tmp_path: Path) -> None:
    run_story(world)
    _, files = _bundle(world, tmp_path)
    idx = world.svc.timeline("S-0001")[3].index
    name = f"entries/{idx}.json"
    forged = files[name].replace(b"2024-05-01T12", b"2024-05-01T13")
    assert forged != files[name]
    report = verify_files({**files, name: forged}, world.ws.vkey)
    assert not report.intact
    assert f"entry {idx} (custody." in format_verdict(report)


@pytest.mark.slow
def test_raw_zip_damage_is_detected(world, tmp_path: Path) -> None:
    """Bytes outside the members (headers, directory) count too: the zip is canonical.

    Every 5th position here to keep the suite quick; all positions pass as well.
    """
    run_story(world)
    out, _ = _bundle(world, tmp_path)
    raw = out.read_bytes()
    for i in range(0, len(raw), 5):
        b = bytearray(raw)
        b[i] ^= 0xFF
        damaged = tmp_path / "damaged.zip"
        damaged.write_bytes(bytes(b))
        assert not verify_bundle(damaged, world.ws.vkey).intact, i


def test_custody_concerns_are_findings(world) -> None:
    run_story(world)
    svc = world.svc
    central = world.signers["central-lab"]
    svc.record("S-0001-C", "seal_checked", central, at="2024-05-20T10:00:00Z",
               public={"seals": ["R-S-0001-C"], "status": "broken"})
    svc.record("S-0001-D", "handed_over", central, at="2024-05-21T10:00:00Z",
               public={"to": "lab-a"})
    from datetime import timedelta

    report = svc.verify("S-0001", max_gap=timedelta(days=3))
    assert report.intact
    codes = {f.code for f in report.findings}
    assert {"broken_seal", "incomplete_handover", "custody_gap"} <= codes
    assert svc.state("S-0001-C").broken_seal


def test_unverified_prior_custody_is_flagged(world) -> None:
    inv = world.actor("inv-9", "investigator")
    svc = world.svc
    r = svc.ingest(io.BytesIO(b"video bytes"), inv, name="clip.mp4", at="2024-01-01T00:00:00Z")
    svc.record(r.exhibit_id, "returned", inv, at="2024-01-02T00:00:00Z",
               private={"recipient": "the uploader"})
    svc.record(r.exhibit_id, "received_from_unverified_party", inv, at="2024-01-03T00:00:00Z",
               private={"party": "anonymous courier"})
    report = svc.verify(r.exhibit_id)
    assert report.intact and not report.clean
    assert "unverified_prior_custody" in {f.code for f in report.findings}
