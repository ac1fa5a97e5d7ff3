"""The issue's story: one sample from the field to two labs, as service calls."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from athar.ledger.note import Signer

SECRET_DESCRIPTION = "soil scraped beside crater, witness Layla Haddad present"
SECRET_LOCATION = {"lat": 35.123456, "lon": 36.654321}
SECRET_STORE = "cold room 3, shelf B"
PORTIONS = ["S-0001-A", "S-0001-B", "S-0001-C", "S-0001-D"]


@dataclass
class Story:
    """What the scenario created."""

    signers: dict[str, Signer]
    sample: str = "S-0001"
    results: dict[str, str] = field(default_factory=dict)


def at(day: int, hour: int, minute: int = 0) -> str:
    return f"2024-05-{day:02d}T{hour:02d}:{minute:02d}:00Z"


def hand(svc, code, giver, receiver, receiver_id, when_give, when_receive) -> None:
    svc.record(code, "handed_over", giver, at=when_give, public={"to": receiver_id},
               private={"transport": "sealed cool box, vehicle 2"})
    svc.record(code, "received", receiver, at=when_receive)


def run_story(world) -> Story:
    """Collected and sealed in the field, to a team, to a central lab, split in four,
    analysed at two labs, results recorded."""
    inv = world.actor("inv-1", "investigator")
    team = world.actor("team-1", "custodian")
    central = world.actor("central-lab", "custodian", "lab", actor_type="lab")
    lab_a = world.actor("lab-a", "lab", actor_type="lab")
    lab_b = world.actor("lab-b", "lab", actor_type="lab")
    svc = world.svc
    s = "S-0001"
    svc.register_physical(inv, code=s, at=at(1, 9),
                          public={"container": "glass jar", "quantity": "200 g"},
                          private={"description": SECRET_DESCRIPTION,
                                   "location": SECRET_LOCATION})
    svc.record(s, "collected", inv, at=at(1, 9, 5), private={"location": SECRET_LOCATION,
                                                             "witnesses": ["Layla Haddad"]})
    svc.record(s, "sealed", inv, at=at(1, 9, 10), public={"seals": ["OPCW-0001"]})
    hand(svc, s, inv, team, "team-1", at(1, 12), at(1, 12, 5))
    svc.record(s, "seal_checked", team, at=at(1, 12, 10),
               public={"seals": ["OPCW-0001"], "status": "intact"})
    hand(svc, s, team, central, "central-lab", at(2, 8), at(3, 10))
    svc.record(s, "seal_checked", central, at=at(3, 10, 5),
               public={"seals": ["OPCW-0001"], "status": "intact"})
    svc.record(s, "opened", central, at=at(3, 10, 10), public={"seal_status": "intact"},
               private={"reason": "splitting"})
    svc.record(s, "split", central, at=at(3, 11),
               public={"portions": [{"code": c, "quantity": "50 g"} for c in PORTIONS]})
    story = Story({"inv": inv, "team": team, "central": central, "lab_a": lab_a,
                   "lab_b": lab_b})
    for code, lab, lab_id, n in (("S-0001-A", lab_a, "lab-a", 1), ("S-0001-B", lab_b,
                                                                      "lab-b", 2)):
        svc.record(code, "sealed", central, at=at(3, 12), public={"seals": [f"P-{n}"]})
        hand(svc, code, central, lab, lab_id, at(4, 8), at(5, 9))
        svc.record(code, "seal_checked", lab, at=at(5, 9, 5),
                   public={"seals": [f"P-{n}"], "status": "intact"})
        svc.record(code, "opened", lab, at=at(5, 10), public={"seal_status": "intact"})
        report = f"lab {lab_id} result for {code}: method GC-MS, see annex\n".encode()
        res = svc.ingest(io.BytesIO(report), lab, name=f"{code}-result.txt", kind="report",
                         code=f"R-{code}", parent=code, at=at(6, 10))
        svc.record(code, "analysed", lab, at=at(6, 11),
                   public={"result": res.exhibit_id, "method": "GC-MS"},
                   private={"conclusion": "see report"})
        story.results[code] = res.exhibit_id
    for code in ("S-0001-C", "S-0001-D"):
        svc.record(code, "sealed", central, at=at(3, 12), public={"seals": [f"R-{code}"]})
        svc.record(code, "stored", central, at=at(3, 13), private={"location": SECRET_STORE})
    return story
