"""`athar intake ingest` on the development set, and the incidents it builds."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from athar.cli import app
from athar.incidents.service import ReportMeta, ingest_bytes
from athar.incidents.store import ReportStore
from athar.ledger.entry import Entry
from athar.workspace import Workspace
from tests.conftest import ROOT

DEVSET = ROOT / "tests" / "assets" / "intake"
runner = CliRunner()


def run(*args):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    home = tmp_path_factory.mktemp("ingest") / "ws"
    run("init", "--home", str(home))
    out = run("intake", "ingest", str(DEVSET), "--home", str(home))
    return home, out


def test_ingest_builds_incidents_with_several_sources(ingested):
    home, out = ingested
    n_reports = len(list(DEVSET.glob("*.txt")))
    assert f"{n_reports} new report(s)" in out
    incidents = json.loads(run("incidents", "list", "--json", "--home", str(home)))
    multi = [i for i in incidents if len(i["sources"]) >= 2]
    assert multi, "no incident gathers more than one source"
    shown = json.loads(run("incidents", "show", multi[0]["incident_id"], "--json",
                           "--home", str(home)))
    assert {v["source"] for v in shown["versions"]} == set(multi[0]["sources"])
    table = run("incidents", "show", multi[0]["incident_id"], "--home", str(home))
    assert multi[0]["incident_id"] in table and multi[0]["place"] in table


def test_ingesting_twice_changes_nothing(ingested):
    home, _ = ingested
    ws = Workspace.open(home)
    try:
        size = ws.log().size()
        before = ReportStore(ws.log()).incidents()
    finally:
        ws.close()
    out = run("intake", "ingest", str(DEVSET), "--home", str(home))
    assert "0 new report(s)" in out
    ws = Workspace.open(home)
    try:
        assert ws.log().size() == size
        assert ReportStore(ws.log()).incidents() == before
    finally:
        ws.close()


def test_each_report_is_logged_with_its_extraction_hash(ingested):
    home, _ = ingested
    ws = Workspace.open(home)
    try:
        store = ReportStore(ws.log())
        rec = store.all()[0]
        received = Entry.from_bytes(ws.log().entry(rec.received_idx))
        recorded = Entry.from_bytes(ws.log().entry(rec.extraction_idx))
        assert received.kind == "report.received"
        assert received.body["report_sha256"] == rec.report_id
        assert recorded.body["extractor_version"] == rec.extractor_version
        import datetime as dt
        import hashlib

        from athar.intake import extract
        from athar.ledger.entry import canonical_json

        again = extract(rec.text, published=dt.date.fromisoformat(rec.published)
                        if rec.published else None, source=rec.source).to_json()
        assert hashlib.sha256(canonical_json(again)).hexdigest() == recorded.body["output_sha256"]
    finally:
        ws.close()


def test_bad_input_is_refused_and_nothing_is_stored(tmp_path):
    ws = Workspace.init(tmp_path / "ws")
    try:
        store = ReportStore(ws.log())
        size = ws.log().size()
        from athar.errors import IntakeError

        for data in (b"", b"\x00\x01\x02binary\xff", "é".encode("latin-1") * 50):
            with pytest.raises(IntakeError):
                ingest_bytes(store, ws.admin_signer, data, "bad.txt", ReportMeta())
        assert ws.log().size() == size and store.all() == []
    finally:
        ws.close()
