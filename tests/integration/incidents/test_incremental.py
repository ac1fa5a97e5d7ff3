"""Incidents grouped as reports arrive: in the report's own transaction, touching only nearby incidents."""

from __future__ import annotations

import datetime as dt

import pytest

from athar.incidents.frames import report_frames
from athar.incidents.grouping import group_incidents
from athar.incidents.service import ReportMeta, ingest_bytes, prepare_report
from athar.incidents.store import ReportStore


def text(speaker: str, agent: str, town: str, day: str, figure: int) -> bytes:
    when = dt.date.fromisoformat(day)
    return (f"{speaker} said that a {agent} attack on {town} on {when.day} {when.strftime('%B %Y')} "
            f"injured {figure} people.").encode()


REPORTS = [  # (bytes, published)
    (text("The health directorate", "chlorine", "Saraqib", "2018-02-04", 11), "2018-02-04"),
    (text("A local doctor", "chlorine", "Saraqib", "2018-02-04", 9), "2018-02-05"),
    (text("The civil defence", "sarin", "Khan Shaykhun", "2017-04-04", 72), "2017-04-04"),
    (text("The defence ministry", "toxic gas", "Khan Shaykhun", "2017-04-04", 20), "2017-04-10"),
    (text("An opposition monitor", "chlorine", "Douma", "2018-04-07", 43), "2018-04-08"),
    (text("The health directorate", "chlorine", "Saraqib", "2016-08-01", 28), "2016-08-02"),
]


def ingest(store: ReportStore, signer, items) -> None:  # type: ignore[no-untyped-def]
    for data, published in items:
        outcome = ingest_bytes(store, signer, data, "r.txt",
                               ReportMeta("Wire", None, dt.date.fromisoformat(published)))
        assert outcome.new


def members(incidents) -> set[frozenset[str]]:  # type: ignore[no-untyped-def]
    return {frozenset(c["report_id"] for v in inc["versions"] for c in v["claims"]) for inc in incidents}


def test_reports_are_grouped_as_they_arrive_and_regrouping_agrees(workspace):
    store = ReportStore(workspace.log())
    ingest(store, workspace.admin_signer, REPORTS)
    incremental = store.incidents()
    assert len(incremental) == 4  # Saraqib 2018, Khan Shaykhun 2017, Douma 2018, Saraqib 2016
    ks = next(i for i in incremental if i["place"] == "Khan Shaykhun")
    assert ks["date_from"] == "2017-04-04" and len(ks["figures"]) == 2 and ks["reports"] == 2
    frames = [f for r in store.all() for f in report_frames(r.report_id, r.source, r.extraction)]
    pure = [i.to_json() for i in group_incidents(frames)]
    assert members(incremental) == members(pure)
    assert store.regroup() == 4
    assert members(store.incidents()) == members(pure)


def test_a_later_report_joins_without_renaming_or_touching_other_incidents(workspace):
    store = ReportStore(workspace.log())
    ingest(store, workspace.admin_signer, REPORTS[:1] + REPORTS[2:3])
    before = {i["incident_id"]: i for i in store.incidents()}
    generation = store.generation()
    ingest(store, workspace.admin_signer, REPORTS[1:2])  # a second account of Saraqib 2018
    after = {i["incident_id"]: i for i in store.incidents()}
    assert set(after) == set(before)
    saraqib = next(i for i in after.values() if i["place"] == "Saraqib")
    assert saraqib["reports"] == 2
    assert after[next(k for k, v in before.items() if v["place"] == "Khan Shaykhun")] == \
        next(v for v in before.values() if v["place"] == "Khan Shaykhun")  # untouched
    assert store.generation() > generation


def test_a_report_is_grouped_with_its_own_append_and_in_bulk(workspace):
    store = ReportStore(workspace.log())
    prepared = [prepare_report(data, f"r{i}.txt", ReportMeta("Wire", None, dt.date.fromisoformat(p)),
                               workspace.admin_signer) for i, (data, p) in enumerate(REPORTS)]
    entries = [e for p in prepared for e in p.entries()]
    contexts = [c for p in prepared for c in p.contexts()]
    results = store.log.append_many(entries, contexts)
    assert not [r for r in results if isinstance(r, Exception)]
    assert len(store.incidents()) == 4 and len(store.all()) == len(REPORTS)
    with pytest.raises(ValueError):
        store.log.append_many(entries[:2], contexts[:1])
