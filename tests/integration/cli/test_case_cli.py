"""``athar case`` and ``athar review`` from the command line, end to end."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from athar.cli import app
from athar.errors import Conflict
from athar.incidents.store import ReportStore
from athar.workspace import Workspace
from tests.conftest import ROOT

runner = CliRunner()
REPORT = ROOT / "examples" / "reports" / "ariha-2019-10-03-shahed-ar.txt"


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_open_staff_link_and_review_a_case(tmp_path):
    home = str(tmp_path / "ws")
    run("init", "--home", home)
    run("intake", "ingest", str(REPORT), "--home", home)
    ws = Workspace.open(home)
    try:
        report_id = ReportStore(ws.log()).all()[0].report_id
    finally:
        ws.close()
    run("case", "new", "C-ariha", "--name", "Ariha 2019", "--home", home)
    run("case", "link", "C-ariha", "report", report_id, "--note", "the first report", "--home", home)
    shown = json.loads(run("case", "show", "C-ariha", "--json", "--home", home))
    assert shown["links"][0]["item_id"] == report_id and shown["to_review"] >= 1
    before = shown["to_review"]
    run("review", "accept", report_id, "0", "--home", home)
    run("review", "reject", report_id, "0", "--note", "on second reading", "--home", home)  # reads the newest
    value = json.dumps({"speaker": "الدفاع المدني", "speaker_type": "ngo", "verb": "قال",
                        "start": 0, "end": 20, "asserts": True, "via": None})
    run("review", "add", report_id, "--value", value, "--home", home)
    after = json.loads(run("case", "show", "C-ariha", "--json", "--home", home))["to_review"]
    assert after == before - 1
    listed = json.loads(run("case", "list", "--json", "--home", home))
    assert listed[0]["case_id"] == "C-ariha" and listed[0]["to_review"] == after
    again = runner.invoke(app, ["case", "new", "C-ariha", "--name", "twice", "--home", home])
    assert isinstance(again.exception, Conflict)
