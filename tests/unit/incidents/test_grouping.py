"""Incidents by event: a report's frames, and frames from many reports grouped by place and event day."""

from __future__ import annotations

import random
from typing import Any

from athar.incidents.facts import claim_facts
from athar.incidents.frames import Place, near, report_frames
from athar.incidents.grouping import group_incidents

PLACES = {  # name: (kind, governorate, lat, lon) as the gazetteer gives them
    "Khan Shaykhun": ("town", "Idlib", 35.4421, 36.651),
    "Idlib": ("city", "Idlib", 35.9306, 36.6339),
    "Kafr Zita": ("town", "Hama", 35.3735, 36.6017),
    "Douma": ("town", "Rif Dimashq", 33.5711, 36.4027),
    "Zamalka": ("town", "Rif Dimashq", 33.5211, 36.3578),
    "Damascus": ("city", "Damascus", 33.5102, 36.2913),
    "Aleppo": ("city", "Aleppo", 36.2012, 37.1612),
    "Geneva": ("capital", "Switzerland", 46.2, 6.15),
}


def claim(speaker: str, *, places=(), dates=(), agents=(), figures=(), perps=(), verb="said",
          kind="government") -> dict[str, Any]:
    return {"speaker": speaker, "kind": kind, "verb": verb, "places": places, "dates": dates,
            "agents": agents, "figures": figures, "perps": perps}


def extraction(*claims: dict[str, Any], published: str | None = "2017-04-05") -> dict[str, Any]:
    """An intake output whose claim i spans [100 i, 100 i + 99] with its facts inside."""
    out: dict[str, Any] = {"published": published, "claims": [], "places": [], "dates": [], "agents": [],
                           "casualties": [], "alleged_perpetrators": []}
    for i, c in enumerate(claims):
        s = 100 * i
        out["claims"].append({"speaker": c["speaker"], "speaker_normalized": c["speaker"],
                              "speaker_type": c["kind"], "verb": c["verb"], "claim": f"claim {i}",
                              "start": s, "end": s + 99})
        pos = s + 1
        for name in c["places"]:
            kind, admin, lat, lon = PLACES[name]
            out["places"].append({"normalized": name, "kind": kind, "admin": admin, "lat": lat, "lon": lon,
                                  "start": pos, "end": pos + 1})
            pos += 2
        for iso in c["dates"]:
            out["dates"].append({"as_written": iso, "iso": iso, "start": pos, "end": pos + 1})
            pos += 2
        for a in c["agents"]:
            out["agents"].append({"normalized": a, "start": pos, "end": pos + 1})
            pos += 2
        for figure, kind in c["figures"]:
            out["casualties"].append({"figure": figure, "kind": kind, "start": pos, "end": pos + 1})
            pos += 2
        for p in c["perps"]:
            out["alleged_perpetrators"].append({"normalized": p, "start": pos, "end": pos + 1})
            pos += 2
    return out


def ks_report(rid: str, source: str, **kw: Any) -> list:
    published = kw.pop("published", "2017-04-05")
    day = kw.pop("day", "2017-04-04")
    ex = extraction(
        claim("health directorate", places=("Khan Shaykhun",), dates=(day,) if day else (),
              agents=("sarin",), figures=((72, "killed"),), **kw),
        published=published)
    return report_frames(rid, source, ex)


def test_a_report_has_one_main_frame_and_leaves_out_what_it_cannot_place():
    ex = extraction(
        claim("ministry", places=("Khan Shaykhun",), dates=("2017-04-04",), agents=("sarin",)),
        claim("monitor", places=("Khan Shaykhun",), figures=((58, "killed"),)),
        claim("HRW", dates=("2013-08-21",), agents=("sarin",)),                   # no place: left out
        claim("HRW", places=("Zamalka",), dates=("2013-08-21",), agents=("sarin",)),  # another event
        claim("monitor", places=("Aleppo",), figures=((12, "killed"),)),           # figures elsewhere
    )
    main, other = report_frames("r1", "Outlet", ex)
    assert (main.place.name, main.date, main.weak_date) == ("Khan Shaykhun", "2017-04-04", False)
    assert [c.claim_no for c in main.claims] == [0, 1]
    assert (other.place.name, other.date) == ("Zamalka", "2013-08-21")
    assert [c.claim_no for c in other.claims] == [3]


def test_a_report_naming_no_day_is_dated_weakly_by_its_publication():
    [frame] = report_frames("r", "Outlet", extraction(claim("x", places=("Douma",), agents=("chlorine",)),
                                                      published="2018-04-09"))
    assert frame.date == "2018-04-09" and frame.weak_date


def test_places_of_one_event_are_near():
    def place(name: str) -> Place:
        kind, admin, lat, lon = PLACES[name]
        return Place(name, kind, admin, lat, lon)

    assert near(place("Khan Shaykhun"), place("Idlib"))      # a town and its governorate's seat
    assert near(place("Zamalka"), place("Damascus"))         # suburbs, 7 km
    assert near(place("Khan Shaykhun"), place("Kafr Zita"))   # 10 km apart, across a governorate line
    assert not near(place("Douma"), place("Aleppo"))


def test_reports_days_or_years_later_join_the_event_they_refer_to():
    frames = (ks_report("first", "Local media", published="2017-04-04")
              + ks_report("ngo", "NGO", published="2017-04-05", day="2017-04-05")
              + ks_report("denial", "State media", published="2017-04-11", day=None,
                          verb="denied", perps=("Syrian government forces",))
              + ks_report("un", "UN body", published="2017-10-26")   # names 4 April 2017
              + ks_report("old", "Archive", published="2014-05-01", day=None))  # before the event
    incidents = group_incidents(frames)
    main = next(i for i in incidents if "first" in {c.report_id for v in i.versions for c in v.claims})
    members = {c.report_id for v in main.versions for c in v.claims}
    assert members == {"first", "ngo", "denial", "un"}
    assert main.date_from == "2017-04-04" and main.dated_by_event and main.place == "Khan Shaykhun"
    assert len(incidents) == 2


def test_an_undated_report_joins_the_best_known_event_at_its_very_place():
    frames = (ks_report("a", "A") + ks_report("b", "B")
              + ks_report("undated", "C", published=None, day=None))
    incidents = group_incidents(frames)
    assert len(incidents) == 1 and len(incidents[0].versions) == 3


def test_a_denial_is_never_agreement_and_its_accused_are_denied_not_alleged():
    alleged = extraction(
        claim("White Helmets", places=("Douma",), dates=("2018-04-07",), agents=("chlorine",),
              figures=((43, "killed"),), perps=("Syrian government forces",), kind="ngo"),
        published="2018-04-08")
    denied = extraction(
        claim("Syrian government", places=("Douma",), dates=("2018-04-07",), agents=("chlorine",),
              perps=("Syrian government forces",), verb="denied"), published="2018-04-08")
    frames = report_frames("r1", "Opposition media", alleged) + report_frames("r2", "State media", denied)
    [inc] = group_incidents(frames)
    deny = next(v for v in inc.versions if v.denies)
    assert deny.perpetrators == () and deny.denied == ("Syrian government forces", "chlorine")
    assert {(r.kind, r.about) for r in inc.relations} == {("contradicts", "denial")}
    assert inc.agents == ("chlorine",)


def test_figures_by_source_side_by_side():
    frames = (report_frames("r1", "Local media", extraction(
        claim("doctors", places=("Douma",), dates=("2018-04-07",), agents=("chlorine",),
              figures=((120, "injured"),)), published="2018-04-07"))
              + report_frames("r2", "Defence ministry", extraction(
                  claim("ministry", places=("Douma",), dates=("2018-04-07",), agents=("chlorine",),
                        figures=((45, "injured"),)), published="2018-04-09")))
    [inc] = group_incidents(frames)
    assert [(f.source, f.figure, f.kind, f.said_on) for f in inc.figures] == [
        ("Local media", 120, "injured", "2018-04-07"), ("Defence ministry", 45, "injured", "2018-04-09")]
    assert ("contradicts", "casualties:injured") in {(r.kind, r.about) for r in inc.relations}


def test_grouping_does_not_depend_on_input_order():
    frames = []
    for i in range(12):
        frames += report_frames(f"r{i}", f"S{i % 4}", extraction(
            claim("x", places=(["Douma", "Zamalka", "Aleppo"][i % 3],), dates=(f"2018-04-{1 + i:02d}",),
                  agents=("chlorine",)), published=f"2018-04-{2 + i:02d}"))
    a = group_incidents(frames)
    shuffled = frames[:]
    random.Random(3).shuffle(shuffled)
    assert [i.to_json() for i in group_incidents(shuffled)] == [i.to_json() for i in a]


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
