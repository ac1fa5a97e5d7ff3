"""No sensitive field reaches the log's entries or tiles in clear."""

from __future__ import annotations

import json
from pathlib import Path

from athar.custody.commitments import commitment_of
from athar.log.tiles_export import export_tiles

from .scenario import SECRET_DESCRIPTION, SECRET_LOCATION, SECRET_STORE, run_story

NEEDLES = ["Layla", "Haddad", "crater", "35.123456", "36.654321", "cold room", "vehicle 2",
           "splitting", "see report", "-result.txt"]


def test_secrets_stay_out_of_entries_and_tiles(world, tmp_path: Path) -> None:
    run_story(world)
    log = world.ws.log()
    log.publish_checkpoint()
    blob = b"".join(log.entries(0, log.size()))
    for needle in NEEDLES:
        assert needle.encode() not in blob, needle
    export_tiles(log, tmp_path / "tiles")
    for f in (tmp_path / "tiles").rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            for needle in NEEDLES:
                assert needle.encode() not in data, (f, needle)


def test_secrets_are_held_and_open_their_commitments(world) -> None:
    run_story(world)
    svc = world.svc
    reg = svc.timeline("S-0001")[0]
    held = {f: v for i, f, v in svc.secrets("S-0001") if i == reg.index}
    assert held["description"] == SECRET_DESCRIPTION
    assert held["location"] == SECRET_LOCATION
    d = svc.disclosure(reg.index, "description")
    assert commitment_of(d.value, d.salt) == reg.body["commit"]["description"]
    stored = [v for _, f, v in svc.secrets("S-0001-C") if f == "location"]
    assert stored == [SECRET_STORE]


def test_commitments_differ_for_equal_values(world) -> None:
    run_story(world)
    bodies = [e.body for e in world.svc.timeline("S-0001-C") + world.svc.timeline("S-0001-D")
              if e.action == "stored"]
    assert len(bodies) == 2
    assert bodies[0]["commit"]["location"] != bodies[1]["commit"]["location"]
    assert "location" not in json.dumps([b for b in bodies if "location" in b])
