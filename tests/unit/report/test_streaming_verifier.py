"""The streaming offline verifier: limits refuse zip bombs in bounded memory, every changed
byte fails and the failure names the member (and the entry), output reads as a custody
summary with three verdicts."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from athar.report.bundle_zip import BundleLimitExceeded, BundleTampered, CanonicalZip, Limits
from athar.report.verify import check_bundle, main, verify_files, write_zip
from tests.property.bundles import LOG, Builder, story, zip_files

MiB = 1 << 20


@pytest.fixture(scope="module")
def small() -> tuple[Builder, dict[str, bytes], bytes]:
    b = story(2, 8, blob=b"exhibit bytes")
    files = b.files(b.exhibits, disclose=[(4, "description")])
    return b, files, zip_files(files)


def _codes(result) -> set[str]:  # type: ignore[no-untyped-def]
    return {f.code for f in result.report.findings}


def test_a_clean_bundle_verifies_streaming_and_as_files(small) -> None:  # type: ignore[no-untyped-def]
    _, files, raw = small
    result = check_bundle(io.BytesIO(raw), LOG.vkey)
    assert result.report.clean, result.report.findings
    assert result.report.events == 16
    assert verify_files(files, LOG.vkey).clean


def test_canonical_layout_matches_what_write_zip_writes(small) -> None:  # type: ignore[no-untyped-def]
    _, files, raw = small
    z = CanonicalZip.open(io.BytesIO(raw))
    names = [m.name for m in z.members()]
    assert names[:3] == ["manifest.json", "checkpoint.txt", "actors.json"]
    assert sorted(names) == sorted(files)
    for m in CanonicalZip.open(io.BytesIO(raw)).members():
        assert CanonicalZip.open(io.BytesIO(raw)).read(m) == files[m.name]


def _deflated_bomb(path: Path, member: str, mib: int, files: dict[str, bytes]) -> None:
    zeros = bytes(MiB)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in files.items():
            if name != member:
                zf.writestr(name, data)
        with zf.open(member, "w", force_zip64=True) as f:
            for _ in range(mib):
                f.write(zeros)


def test_a_zip_bomb_entry_is_refused_before_it_is_read(small, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, files, _ = small
    bomb = tmp_path / "bomb.zip"
    _deflated_bomb(bomb, "entries/5.json", 64, files)
    assert bomb.stat().st_size < MiB
    result = check_bundle(bomb, LOG.vkey)
    [f] = result.report.findings
    assert f.code == BundleLimitExceeded.code
    assert "entries/5.json" in f.message and "refused before reading it" in f.message


def test_a_compression_ratio_over_the_limit_is_a_zip_bomb(small, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, files, _ = small
    digest = next(n for n in files if n.startswith("blobs/"))
    bomb = tmp_path / "ratio.zip"
    _deflated_bomb(bomb, digest, 256, files)
    [f] = check_bundle(bomb, LOG.vkey).report.findings
    assert f.code == BundleLimitExceeded.code
    assert digest in f.message and "zip bomb" in f.message


@pytest.mark.parametrize("limits,needle", [
    (Limits(max_members=5), "members, over the limit of 5"),
    (Limits(max_total_bytes=10_000), "add up to more than 10,000 bytes"),
    (Limits(max_manifest_bytes=1000), "manifest.json would be"),
    (Limits(max_entry_bytes=100), "entries/0.json would be"),
])
def test_each_limit_refuses_clearly(small, limits: Limits, needle: str) -> None:  # type: ignore[no-untyped-def]
    _, _, raw = small
    [f] = check_bundle(io.BytesIO(raw), LOG.vkey, limits=limits).report.findings
    assert f.code == BundleLimitExceeded.code and needle in f.message, f.message


PROGRAM = """
import sys
from pathlib import Path
from athar.report.verify import check_bundle
r = check_bundle(sys.argv[1], sys.argv[2])
hwm = [l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM")]
print(r.report.findings[0].code if r.report.findings else "clean", int(hwm[0].split()[1]) // 1024)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_a_gigabyte_bomb_is_refused_in_bounded_memory(small, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, files, _ = small
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
        for i in range(16):  # 16 members of 60 MiB: the shape that took 1 GB before
            with zf.open(f"entries/x{i}.json", "w", force_zip64=True) as f:
                for _ in range(60):
                    f.write(bytes(MiB))
    proc = subprocess.run([sys.executable, "-c", PROGRAM, str(bomb), LOG.vkey],
                          capture_output=True, text=True, timeout=120, check=True)
    code, peak_mib = proc.stdout.split()
    assert code == BundleLimitExceeded.code
    assert int(peak_mib) < 200


def _member_offsets(raw: bytes) -> dict[str, tuple[int, int]]:
    z = CanonicalZip.open(io.BytesIO(raw))
    return {m.name: (m.offset, m.size) for m in z.members()}


def test_a_changed_byte_in_any_member_names_that_member(small) -> None:  # type: ignore[no-untyped-def]
    _, files, raw = small
    for name, (offset, size) in _member_offsets(raw).items():
        b = bytearray(raw)
        b[offset + size // 2] ^= 0x01
        report = check_bundle(io.BytesIO(bytes(b)), LOG.vkey).report
        assert not report.intact, name
        assert any(name in f.message for f in report.findings), (name, report.findings)


def test_a_changed_byte_outside_members_fails(small) -> None:  # type: ignore[no-untyped-def]
    _, _, raw = small
    inside = set()
    for offset, size in _member_offsets(raw).values():
        inside.update(range(offset, offset + size))
    for i in range(0, len(raw)):
        if i in inside:
            continue
        b = bytearray(raw)
        b[i] ^= 0x01
        assert not check_bundle(io.BytesIO(bytes(b)), LOG.vkey).report.intact, i


def test_appended_bytes_and_a_deflated_copy_fail(small) -> None:  # type: ignore[no-untyped-def]
    _, files, raw = small
    assert not check_bundle(io.BytesIO(raw + b"\0"), LOG.vkey).report.intact
    rezipped = io.BytesIO()
    with zipfile.ZipFile(rezipped, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    [f] = check_bundle(rezipped, LOG.vkey).report.findings
    assert f.code == BundleTampered.code


def test_a_re_signed_zip_with_a_changed_entry_names_member_and_entry() -> None:
    b = story(2, 8)
    files = b.files(b.exhibits)
    name = "entries/9.json"
    files[name] = files[name].replace(b'"at":"2024-05-01T00:0', b'"at":"2024-05-01T01:0', 1)
    report = check_bundle(io.BytesIO(zip_files(files)), LOG.vkey).report
    assert not report.intact
    [f] = [f for f in report.findings if f.severity == "error"]
    assert f.index == 9 and f.message.startswith("entries/9.json: entry 9 (custody.")


def test_an_entry_missing_from_the_zip_is_named(small) -> None:  # type: ignore[no-untyped-def]
    _, files, _ = small
    dropped = dict(files)
    del dropped["entries/7.json"]
    buf = io.BytesIO()
    write_zip(buf, ((n, [d]) for n, d in dropped.items()))
    [f] = check_bundle(buf, LOG.vkey).report.findings
    assert "entries/7.json" in f.message


def _warned() -> bytes:
    b = story(2, 8)
    code = b.exhibits[1]
    b.event("seal_checked", code, "cus-b", 60 * 24 * 5,  # five days later: a gap
            public={"seals": [f"SEAL-{code}"], "status": "broken"})
    return zip_files(b.files(b.exhibits))


def test_findings_to_review_read_as_warnings_not_failure_nor_clean(tmp_path: Path,
                                                                   capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "warned.zip"
    path.write_bytes(_warned())
    assert main([str(path), "--key", LOG.vkey]) == 0
    text = capsys.readouterr().out
    first = text.splitlines()[0]
    assert first.startswith("VERIFIED WITH WARNINGS warned.zip") and "2 custody finding" in first
    section = text[text.index("Exhibit E-00001"):]
    assert "WARNING" in section and "broken" in section and "custody gap" not in first
    assert "WARNING" not in text[text.index("Exhibit E-00000"):text.index("Exhibit E-00001")]
    assert main([str(path), "--key", LOG.vkey, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "warnings" and out["intact"] and not out["clean"]
    [ex] = [e for e in out["exhibits"] if e["exhibit"] == "E-00001"]
    assert {f["code"] for f in ex["findings"]} == {"custody_gap", "broken_seal"}
    assert ex["now"]["broken_seal"] is True and ex["now"]["holder"] == "cus-b"


def test_a_clean_summary_shows_holders_seals_and_state(small, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _, _, raw = small
    path = tmp_path / "case.zip"
    path.write_bytes(raw)
    assert main([str(path), "--key", LOG.vkey]) == 0
    text = capsys.readouterr().out
    assert text.startswith("VERIFIED case.zip: 2 exhibit(s), 16 custody event(s)")
    assert "WARNING" not in text and "ERROR" not in text
    section = text[text.index("Exhibit E-00000"):text.index("Exhibit E-00001")]
    assert "holders    inv (2024-05-01T00:00Z) → cus-a (2024-05-01T00:03Z) → cus-b" in section
    assert "SEAL-E-00000 applied 2024-05-01T00:01Z by inv" in section
    assert "checked intact" in section and "sha256 " in section
    assert "now        held by cus-b; sealed (SEAL-E-00000)" in section


def test_failure_exits_one_and_says_failed(small, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _, _, raw = small
    path = tmp_path / "case.zip"
    path.write_bytes(raw)
    assert main([str(path), "--key", Builder().actor("x").vkey]) == 1
    assert capsys.readouterr().out.startswith("FAILED case.zip")


def test_limits_are_options_of_the_command(small, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _, _, raw = small
    path = tmp_path / "case.zip"
    path.write_bytes(raw)
    assert main([str(path), "--key", LOG.vkey, "--max-members", "5"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("FAILED") and "raise --max-members" in out
    assert main([str(path), "--key", LOG.vkey, "--max-blob-gib", "0.000000001"]) == 1
    assert "raise --max-blob-gib" in capsys.readouterr().out


def test_a_long_custody_is_summarised_in_bounded_memory() -> None:
    b = story(1, 4 + 3 * 300)  # about 300 hand-overs of one exhibit
    result = check_bundle(io.BytesIO(zip_files(b.files(b.exhibits))), LOG.vkey)
    assert result.report.clean
    s = result.summary.exhibits["E-00000"]  # type: ignore[union-attr]
    assert s.holders.total > 200 and len(list(s.holders)) == 200
    assert s.holders.omitted == s.holders.total - 200
    [ex] = result.to_json()["exhibits"]
    assert ex["omitted"]["holders"] == s.holders.omitted
    assert ex["holders"][-1]["holder"] == result.report.states["E-00000"].holder
    text = result.to_text()
    assert "more; --json lists up to 200" in text
