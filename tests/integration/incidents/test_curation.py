"""People curate incidents on the record, and the grouping never undoes their decisions."""

from __future__ import annotations

import datetime as dt

import pytest

from athar.accounts.actor_keys import add_user
from athar.errors import Conflict, EntryRejected, Forbidden
from athar.incidents.curation import curate
from athar.incidents.service import ReportMeta, ingest_bytes
from athar.incidents.store import ReportStore
from tests.integration.incidents.test_incremental import REPORTS


@pytest.fixture
def world(workspace):
    store = ReportStore(workspace.log())
    for data, published in REPORTS:
        ingest_bytes(
            store,
            workspace.admin_signer,
            data,
            "r.txt",
            ReportMeta("Wire", None, dt.date.fromisoformat(published)),
        )
    lina = add_user(workspace, "lina", ["investigator"], "correct horse battery")[1]
    omar = add_user(workspace, "omar", ["reviewer"], "correct horse battery")[1]
    return workspace, store, lina, omar


def by_place(store, place, date_prefix=""):  # type: ignore[no-untyped-def]
    return next(
        i for i in store.incidents() if i["place"] == place and (i["date_from"] or "").startswith(date_prefix)
    )


def test_merge_split_move_and_set_stay_put_through_regrouping(world):
    ws, store, lina, omar = world
    old, new = by_place(store, "Saraqib", "2016"), by_place(store, "Saraqib", "2018")
    curate(
        ws.log(),
        lina,
        "merge",
        old["incident_id"],
        "the same campaign, per the lab reports",
        into=new["incident_id"],
    )
    merged = store.incident(new["incident_id"])
    assert merged["reports"] == 3 and old["incident_id"] not in {i["incident_id"] for i in store.incidents()}
    assert store.regroup() == len(store.incidents())
    assert store.incident(new["incident_id"])["reports"] == 3  # the regrouping kept the merge
    frame = next(c["report_id"] for v in merged["versions"] for c in v["claims"]) + ":0"
    split = curate(
        ws.log(), lina, "split", new["incident_id"], "one account is about another day", frames=[frame]
    )
    assert store.incident(new["incident_id"])["reports"] == 2
    assert any(
        i["reports"] == 1 and i["incident_id"] != new["incident_id"] and i["place"] == "Saraqib"
        for i in store.incidents()
    )
    assert split.index > 0
    curate(
        ws.log(), lina, "set_date", new["incident_id"], "the hospital records say the 4th", date="2018-02-04"
    )
    curate(
        ws.log(),
        lina,
        "set_place",
        new["incident_id"],
        "the eastern quarter",
        place={"name": "Saraqib east", "kind": "neighbourhood", "admin": "Idlib", "lat": 35.86, "lon": 36.81},
    )
    after = store.incident(new["incident_id"])
    assert (
        after["place"] == "Saraqib east"
        and after["date_from"] == "2018-02-04"
        and after["place_set_by_person"]
    )
    store.regroup()
    again = store.incident(new["incident_id"])
    assert (again["place"], again["reports"]) == ("Saraqib east", 2)


def test_curation_is_refused_when_stale_unauthorised_or_nonsense(world):
    ws, store, lina, omar = world
    ks = by_place(store, "Khan Shaykhun")
    douma = by_place(store, "Douma")
    stale = {ks["incident_id"]: ks["version"], douma["incident_id"]: douma["version"]}
    curate(ws.log(), lina, "set_date", ks["incident_id"], "records", date="2017-04-04")
    with pytest.raises(Conflict, match="changed since you saw it"):
        curate(ws.log(), lina, "merge", ks["incident_id"], "x", into=douma["incident_id"], seen=stale)
    with pytest.raises(Forbidden):
        curate(ws.log(), omar, "set_date", ks["incident_id"], "a reviewer may not", date="2017-04-05")
    with pytest.raises(EntryRejected, match="itself"):
        curate(ws.log(), lina, "merge", ks["incident_id"], "x", into=ks["incident_id"])
    with pytest.raises(EntryRejected, match="reason"):
        curate(ws.log(), lina, "set_date", ks["incident_id"], "  ", date="2017-04-05")
    with pytest.raises(EntryRejected, match="at least one"):
        frames = [
            c["report_id"] + ":0" for v in store.incident(ks["incident_id"])["versions"] for c in v["claims"]
        ]
        curate(ws.log(), lina, "split", ks["incident_id"], "all of it", frames=sorted(set(frames)))
