"""Grouping claims into incidents: same place, date window and agent; sources side by side."""

from __future__ import annotations

import random

from athar.incidents.grouping import claim_facts, group_incidents
from athar.incidents.models import ClaimFacts


def fact(report, no, source, speaker, place, date, agents=("chlorine",), casualties=(),
         perps=(), denial=False, verb="said"):
    return ClaimFacts(report, no, source, date, speaker, "government", verb, f"{speaker} {no}",
                      (place,), date, tuple(agents), tuple(casualties), tuple(perps), denial)


def test_same_place_and_window_join_and_figures_conflict():
    claims = [
        fact("r1", 0, "Wire A", "Ministry of Health", "Aleppo", "2018-11-24",
             casualties=[(107, "injured")], perps=["armed groups"]),
        fact("r2", 0, "NGO B", "Syrian Observatory", "Aleppo", "2018-11-25",
             casualties=[(94, "injured")], perps=["armed groups"]),
        fact("r3", 0, "Agency C", "Opposition spokesman", "Aleppo", "2018-11-25", denial=True,
             verb="denied", perps=["armed groups"]),
        fact("r4", 0, "Wire A", "Ministry", "Aleppo", "2018-12-20"),  # outside the window
        fact("r5", 0, "Wire A", "Ministry", "Idlib", "2018-11-24"),  # another place
        fact("r6", 0, "Wire A", "Ministry", "Aleppo", "2018-11-24", agents=["sarin"]),
    ]
    incidents = group_incidents(claims)
    main = next(i for i in incidents if len(i.versions) == 3)
    assert main.place == "Aleppo" and main.date_from == "2018-11-24"
    assert set(main.sources) == {"Wire A", "NGO B", "Agency C"}
    kinds = {(r.kind, r.about) for r in main.relations}
    assert ("contradicts", "casualties:injured") in kinds
    assert ("agrees", "perpetrator") in kinds
    assert ("contradicts", "denial") in kinds
    assert len(incidents) == 4


def test_grouping_does_not_depend_on_input_order_and_never_drifts():
    claims = [fact(f"r{i}", 0, f"S{i}", "X", "Douma", f"2018-04-{1 + i * 2:02d}")
              for i in range(10)]
    a = group_incidents(claims)
    shuffled = claims[:]
    random.Random(3).shuffle(shuffled)
    assert [i.to_json() for i in group_incidents(shuffled)] == [i.to_json() for i in a]
    for inc in a:
        from datetime import date

        span = date.fromisoformat(inc.date_to) - date.fromisoformat(inc.date_from)
        assert span.days <= 3


def test_claim_facts_take_facts_inside_the_claim_and_inherit_place():
    text = "Activists said chlorine injured 12 people in Douma. The ministry denied it."
    ex = {
        "published": "2018-04-08",
        "claims": [
            {"speaker": "Activists", "speaker_normalized": "activists",
             "speaker_type": "unnamed_source", "verb": "said", "claim": text[15:50],
             "start": 15, "end": 50},
            {"speaker": "The ministry", "speaker_normalized": "Ministry",
             "speaker_type": "government", "verb": "denied", "claim": "it", "start": 71, "end": 73},
        ],
        "places": [{"normalized": "Douma", "kind": "town", "start": 44, "end": 49}],
        "dates": [],
        "agents": [{"normalized": "chlorine", "start": 15, "end": 23}],
        "casualties": [{"figure": 12, "kind": "injured", "start": 32, "end": 34}],
        "alleged_perpetrators": [],
    }
    a, b = claim_facts("r", "Outlet", ex)
    assert a.places == ("Douma",) and not a.place_inherited
    assert a.agents == ("chlorine",) and a.casualties == ((12, "injured"),)
    assert b.places == ("Douma",) and b.place_inherited and b.denial
    assert a.date == "2018-04-08"
    (inc,) = group_incidents([a, b])
    assert {v.speaker for v in inc.versions} == {"activists", "Ministry"}
