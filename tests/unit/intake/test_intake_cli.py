"""``athar intake extract`` through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from athar.cli import app

runner = CliRunner()
TEXT = "وقالت مصادر طبية إن 12 شخصا أصيبوا بحالات اختناق في دوما يوم الخميس الماضي."


def test_extract_json_with_sidecar(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_text(TEXT, encoding="utf-8")
    (tmp_path / "r.txt.json").write_text(json.dumps({"outlet": "X", "published": "2018-04-13"}))
    res = runner.invoke(app, ["intake", "extract", str(f), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["published"] == "2018-04-13"
    assert out["claims"][0]["speaker_normalized"] == "medical sources"
    assert "أصيبوا" in res.stdout  # ensure_ascii=False
    assert [d["iso"] for d in out["dates"]] == ["2018-04-12"]


def test_flags_override_and_stdin() -> None:
    res = runner.invoke(app, ["intake", "extract", "-", "--json", "--published", "2018-04-10",
                              "--source", "Y"], input=TEXT.encode())
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["published"] == "2018-04-10"


def test_folder_gives_json_lines(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"r{i}.txt").write_text(TEXT, encoding="utf-8")
    res = runner.invoke(app, ["intake", "extract", str(tmp_path), "--json"])
    assert res.exit_code == 0, res.output
    lines = [json.loads(line) for line in res.stdout.splitlines()]
    assert [Path(line["file"]).name for line in lines] == ["r0.txt", "r1.txt", "r2.txt"]


def test_table_output(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_text(TEXT, encoding="utf-8")
    res = runner.invoke(app, ["intake", "extract", str(f)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "medical sources" in res.stdout


def test_errors_are_intake_errors(tmp_path: Path) -> None:
    from athar.errors import IntakeError

    empty = tmp_path / "e.txt"
    empty.write_bytes(b"")
    res = runner.invoke(app, ["intake", "extract", str(empty), "--json"])
    assert res.exit_code != 0 and isinstance(res.exception, IntakeError)
    res = runner.invoke(app, ["intake", "extract", str(tmp_path / "missing.txt")])
    assert isinstance(res.exception, IntakeError)
