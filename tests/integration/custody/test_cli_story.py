"""The same story from the CLI, as a new user would run it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from athar.cli import app

runner = CliRunner()


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ATHAR_HOME", str(tmp_path / "ws"))
    monkeypatch.setenv("ATHAR_KEY_PASSPHRASE", "a long test passphrase")
    monkeypatch.chdir(tmp_path)

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(app, list(args))
        assert result.exit_code == code, (args, result.output, result.exception)
        return result.output + (str(result.exception) if code and result.exception else "")

    return run


def _json(text: str) -> dict:
    return json.loads(text[text.index("{"):])


def test_story_from_the_cli(cli, tmp_path: Path) -> None:
    cli("init")
    log_vkey = cli("keys", "show").strip()
    actors = {"inv": ("investigator",), "team": ("custodian",), "central": ("custodian", "lab"),
              "lab-a": ("lab",), "lab-b": ("lab",)}
    for name, roles in actors.items():
        vkey = cli("keys", "new", name).strip().splitlines()[-1]
        assert (tmp_path / f"{name}.key").exists()
        cli("actors", "add", name, "--vkey", vkey, *sum((["--role", r] for r in roles), []))
    k = {n: str(tmp_path / f"{n}.key") for n in actors}
    cli("exhibit", "add", "--physical", "--code", "S-1", "--container", "glass jar",
        "--description", "soil near crater", "--location", '{"lat": 35.1, "lon": 36.6}',
        "--at", "2024-05-01T09:00:00Z", "--key", k["inv"])
    ev = lambda *a: cli("custody", "event", *a)  # noqa: E731
    ev("S-1", "sealed", "--seal", "OPCW-1", "--at", "2024-05-01T09:10:00Z", "--key", k["inv"])
    ev("S-1", "handed_over", "--to", "team", "--at", "2024-05-01T12:00:00Z", "--key", k["inv"])
    ev("S-1", "received", "--at", "2024-05-01T12:05:00Z", "--key", k["team"])
    ev("S-1", "handed_over", "--to", "central", "--at", "2024-05-02T08:00:00Z",
       "--key", k["team"])
    ev("S-1", "received", "--at", "2024-05-03T10:00:00Z", "--key", k["central"])
    out = cli("custody", "event", "S-1", "opened", "--status", "intact",
              "--at", "2024-05-03T10:05:00Z", "--key", k["central"], code=1)
    assert "seal_checked" in out
    ev("S-1", "seal_checked", "--seal", "OPCW-1", "--status", "intact",
       "--at", "2024-05-03T10:05:00Z", "--key", k["central"])
    ev("S-1", "opened", "--status", "intact", "--at", "2024-05-03T10:10:00Z",
       "--key", k["central"])
    cli("exhibit", "split", "S-1", "--portion", "S-1-A:50 g", "--portion", "S-1-B:50 g",
        "--portion", "S-1-C", "--portion", "S-1-D", "--at", "2024-05-03T11:00:00Z",
        "--key", k["central"])
    for code, lab in (("S-1-A", "lab-a"), ("S-1-B", "lab-b")):
        ev(code, "handed_over", "--to", lab, "--at", "2024-05-04T08:00:00Z",
           "--key", k["central"])
        ev(code, "received", "--at", "2024-05-05T09:00:00Z", "--key", k[lab])
        ev(code, "opened", "--status", "none", "--at", "2024-05-05T09:30:00Z", "--key", k[lab])
        result = tmp_path / f"{code}.csv"
        result.write_text("device,time,quantity,unit,value\n"
                          f"{lab},2024-05-06T10:00:00Z,signal,au,12.5\n")
        reg = _json(cli("exhibit", "add", str(result), "--report", "--code", f"R-{code}",
                        "--parent", code, "--at", "2024-05-06T10:00:00Z", "--key", k[lab]))
        assert reg["media_type"] == "text/csv"
        ev(code, "analysed", "--result", f"R-{code}", "--method", "GC-MS",
           "--at", "2024-05-06T11:00:00Z", "--key", k[lab])
    out = cli("custody", "event", "S-1-C", "stored", "--at", "2030-05-03T12:00:00Z",
              "--key", k["central"], code=1)
    assert "ahead of the server's clock" in out
    idx = _json(ev("S-1-C", "stored", "--at", "2024-05-03T12:00:00Z", "--key", k["central"]))
    ev("S-1-C", "correction", "--voids", str(idx["index"]), "--reason", "wrong_exhibit",
       "-p", "notes=meant S-1-D", "--at", "2024-05-03T12:05:00Z", "--key", k["central"])
    assert "correction" in cli("custody", "show", "S-1-C")
    shown = cli("custody", "show", "S-1-A")
    assert "analysed" in shown and "lab-a" in shown
    listing = json.loads(cli("exhibit", "list", "--json"))
    assert {r["exhibit"] for r in listing} >= {"S-1", "S-1-A", "R-S-1-A"}
    assert "VERIFIED" in cli("custody", "verify", "S-1")
    reg_index = json.loads(cli("custody", "show", "S-1", "--json"))["events"][0]["index"]
    bundle = tmp_path / "case.zip"
    cli("export", "S-1", "-o", str(bundle), "--blobs", "--disclose", f"{reg_index}:description")
    verdict = cli("verify", str(bundle), "--key", log_vkey)
    assert verdict.startswith("VERIFIED")
    cli("disclose", str(reg_index), "location", "-o", str(tmp_path / "loc.json"))
    assert json.loads((tmp_path / "loc.json").read_text())["value"] == {"lat": 35.1, "lon": 36.6}
    raw = bytearray(bundle.read_bytes())
    raw[len(raw) // 2] ^= 1
    bundle.write_bytes(bytes(raw))
    assert re.match("FAILED", cli("verify", str(bundle), "--key", log_vkey, code=1))


def test_wrong_passphrase_is_refused(cli, tmp_path: Path, monkeypatch) -> None:
    cli("init")
    vkey = cli("keys", "new", "inv").strip().splitlines()[-1]
    cli("actors", "add", "inv", "--vkey", vkey, "--role", "investigator")
    monkeypatch.setenv("ATHAR_KEY_PASSPHRASE", "wrong")
    out = cli("exhibit", "add", "--physical", "--key", str(tmp_path / "inv.key"), code=1)
    assert "wrong passphrase" in out
