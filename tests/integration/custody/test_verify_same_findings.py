"""One set of findings: the server's Verify and the offline verifier of an exported bundle
report the same findings (same code, same entries), and ``athar verify`` shows them as a
custody summary; ``athar disclose`` and export refuse a value that no longer opens its
commitment."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from athar.cli import app
from athar.custody.commitments import DisclosureMismatch
from athar.report.export import export_bundle
from athar.report.verify import check_bundle

from .scenario import SECRET_LOCATION, run_story

runner = CliRunner()


def _concerns(world) -> None:  # type: ignore[no-untyped-def]
    central = world.signers["central-lab"]
    world.svc.record("S-0001-C", "seal_checked", central, at="2024-05-20T10:00:00Z",
                     public={"seals": ["R-S-0001-C"], "status": "broken"})
    world.svc.record("S-0001-D", "handed_over", central, at="2024-05-21T10:00:00Z",
                     public={"to": "lab-a"})


def _key(f) -> tuple:  # type: ignore[no-untyped-def]
    return (f.severity, f.code, f.exhibit_id, f.index)


@pytest.mark.parametrize("gap", [timedelta(hours=48), timedelta(days=3), None])
def test_server_and_offline_verify_report_the_same_findings(world, tmp_path: Path,
                                                            gap) -> None:  # type: ignore[no-untyped-def]
    run_story(world)
    _concerns(world)
    out = tmp_path / "case.zip"
    export_bundle(world.svc, ["S-0001"], out, include_blobs=True)
    server = world.svc.verify("S-0001", gap)
    offline = check_bundle(out, world.ws.vkey, gap).report
    assert server.intact and offline.intact
    assert sorted(map(_key, server.findings)) == sorted(map(_key, offline.findings))
    assert {"broken_seal", "incomplete_handover"} <= {f.code for f in offline.findings}
    assert set(server.states) == set(offline.states)
    assert all(server.states[c] == offline.states[c] for c in server.states)


def test_athar_verify_prints_the_summary_with_warnings_marked(world, tmp_path: Path,
                                                             monkeypatch) -> None:  # type: ignore[no-untyped-def]
    run_story(world)
    _concerns(world)
    out = tmp_path / "case.zip"
    export_bundle(world.svc, ["S-0001"], out, include_blobs=True)
    vkey = world.ws.vkey
    world.ws.close()
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["verify", str(out), "--key", vkey])
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("VERIFIED WITH WARNINGS case.zip")
    portion = text[text.index("Exhibit S-0001-C "):text.index("Exhibit S-0001-D ")]
    assert "WARNING" in portion and "broken" in portion
    sample = text[text.index("Exhibit S-0001 "):text.index("Exhibit S-0001-A ")]
    assert "portions   S-0001-A; S-0001-B; S-0001-C; S-0001-D" in sample
    assert "holders    inv-1" in sample and "→ team-1" in sample and "→ central-lab" in sample
    assert "OPCW-0001 applied" in sample and "checked intact" in sample and "opened" in sample
    a = text[text.index("Exhibit S-0001-A "):text.index("Exhibit S-0001-B ")]
    assert "results    R-S-0001-A (GC-MS, lab-a" in a
    as_json = runner.invoke(app, ["verify", str(out), "--key", vkey, "--json"])
    assert as_json.exit_code == 0
    assert '"verdict": "warnings"' in as_json.output or '"verdict":"warnings"' in as_json.output


def _tamper_secret(world, field: str, value: str) -> None:  # type: ignore[no-untyped-def]
    # An insider editing the database, on whichever backend the workspace uses.
    with world.ws.log().db.write() as txn:
        n = txn.execute("UPDATE custody_secrets SET value = ? WHERE field = ?", (value, field)).rowcount
    assert n >= 1


def test_disclose_checks_the_value_against_its_commitment(world, tmp_path: Path,
                                                          monkeypatch) -> None:  # type: ignore[no-untyped-def]
    run_story(world)
    reg = world.svc.timeline("S-0001")[0].index
    monkeypatch.setenv("ATHAR_HOME", str(world.ws.home))
    good = tmp_path / "loc.json"
    ok = runner.invoke(app, ["disclose", str(reg), "location", "-o", str(good)])
    assert ok.exit_code == 0, ok.output
    assert "opens the commitment" in ok.output and good.exists()
    _tamper_secret(world, "location", '{"lat": 1.0, "lon": 2.0}')
    bad = tmp_path / "bad.json"
    refused = runner.invoke(app, ["disclose", str(reg), "location", "-o", str(bad)])
    assert refused.exit_code != 0
    said = refused.output + str(refused.exception)
    assert "does not match the logged commitment" in said and "cannot be disclosed" in said
    assert not bad.exists()
    with pytest.raises(DisclosureMismatch):
        export_bundle(world.svc, ["S-0001"], tmp_path / "case.zip",
                      disclose=[(reg, "location")])
    assert not (tmp_path / "case.zip").exists()
    assert SECRET_LOCATION != {"lat": 1.0, "lon": 2.0}
