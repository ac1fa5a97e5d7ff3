"""Checks of the intake development set's gold files (no extractor needed)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
from pathlib import Path

import pytest

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "intake"
GOLD_FILES = sorted(ASSETS.glob("*.gold.json"))


def _gold_tool():  # the script that owns the gold format: its key lists are the schema
    spec = importlib.util.spec_from_file_location("_compute_offsets", ASSETS / "_compute_offsets.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


GOLD = _gold_tool()
TOP_KEYS = list(GOLD.TOP_KEYS)
CLAIM_KEYS = set(GOLD.CLAIM_KEYS)

SPEAKER_TYPES = {
    "government",
    "military",
    "international_org",
    "ngo",
    "media",
    "person",
    "armed_group",
    "unnamed_source",
    "unattributed_outlet_voice",
}
STYLES = {
    "wire",
    "ministry_statement",
    "military_statement",
    "ngo_report",
    "un_note",
    "state_media_editorial",
    "activist_post",
    "denial",
    "counter_accusation",
    "press_briefing",
    "local_news",
    "analysis",
}
AGENTS = {
    "chlorine",
    "sarin",
    "mustard",
    "nerve agent",
    "toxic chemicals",
    "toxic gas",
    "chemical weapons",
    "white phosphorus",
}
KINDS = {"injured", "killed", "affected"}
ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _load(path: Path) -> tuple[dict, str]:
    gold = json.loads(path.read_text(encoding="utf-8"))
    text = path.with_name(path.name.replace(".gold.json", ".txt")).read_text(encoding="utf-8")
    return gold, text


def _ids(paths: list[Path]) -> list[str]:
    return [p.name.removesuffix(".gold.json") for p in paths]


def test_set_size_and_balance() -> None:
    langs = [json.loads(p.read_text(encoding="utf-8"))["language"] for p in GOLD_FILES]
    assert langs.count("ar") >= 20
    assert langs.count("en") >= 20
    assert len(GOLD_FILES) >= 40


def test_ids_unique_and_match_file_names() -> None:
    ids = [json.loads(p.read_text(encoding="utf-8"))["id"] for p in GOLD_FILES]
    assert len(ids) == len(set(ids))
    assert ids == _ids(GOLD_FILES)


def test_every_text_has_gold_and_back() -> None:
    texts = {p.name.removesuffix(".txt") for p in ASSETS.glob("*.txt")}
    assert texts == set(_ids(GOLD_FILES))


@pytest.mark.parametrize("path", GOLD_FILES, ids=_ids(GOLD_FILES))
def test_gold_file(path: Path) -> None:
    gold, text = _load(path)
    assert list(gold) == TOP_KEYS
    assert gold["language"] in {"ar", "en"}
    published = dt.date.fromisoformat(gold["published"])
    assert dt.date(2010, 1, 1) <= published <= dt.date(2030, 1, 1)
    assert isinstance(gold["source"], str) and gold["source"]
    assert gold["style"] in STYLES
    assert not INVISIBLE.search(text)
    words = len(re.findall(r"\w+", text))
    assert 80 <= words <= 400, words

    claims = gold["claims"]
    assert claims, "every report has at least one claim"
    for i, c in enumerate(claims):
        assert set(c) == CLAIM_KEYS, i
        assert c["speaker_type"] in SPEAKER_TYPES, i
        assert isinstance(c["speaker"], str) and c["speaker"], i
        assert isinstance(c["speaker_normalized"], str) and c["speaker_normalized"], i
        assert isinstance(c["start"], int) and isinstance(c["end"], int), i
        assert 0 <= c["start"] < c["end"] <= len(text), i
        assert text[c["start"] : c["end"]] == c["claim"], i
        assert c["claim"] == c["claim"].strip(), i
        assert isinstance(c["direct_quote"], bool), i
        assert c["via"] is None or (isinstance(c["via"], str) and c["via"] in text), i
        n = c["nested_in"]
        assert n is None or (isinstance(n, int) and 0 <= n < len(claims) and n != i), i
        if c["speaker_type"] == "unattributed_outlet_voice":
            assert c["verb"] is None and c["speaker_normalized"] == gold["source"], i
        else:
            assert isinstance(c["verb"], str) and c["verb"] in text, i

    for p in gold["places"]:
        assert set(p) == {"as_written", "normalized", "lat", "lon", "admin"}
        assert p["as_written"] in text and p["normalized"]
    for d in gold["dates"]:
        assert set(d) == {"as_written", "iso"}
        assert d["as_written"] in text and ISO.match(d["iso"]), d
        parts = [int(x) for x in d["iso"].split("-")] + [1, 1]
        dt.date(*parts[:3])
    for a in gold["agents"]:
        assert set(a) == {"as_written", "normalized"}
        assert a["as_written"] in text and a["normalized"] in AGENTS, a
    for k in gold["casualties"]:
        assert set(k) == {"figure", "kind", "as_written"}
        assert isinstance(k["figure"], int) and k["figure"] > 0
        assert k["kind"] in KINDS and k["as_written"] in text
    for a in gold["alleged_perpetrators"]:
        assert set(a) == {"as_written", "normalized"}
        assert a["as_written"] in text and a["normalized"]
    for w in gold["loaded_language"]:
        assert set(w) == {"as_written", "start", "end"}
        assert text[w["start"] : w["end"]] == w["as_written"]


def test_gold_files_are_canonical() -> None:
    mod = GOLD
    for path in GOLD_FILES:
        gold, text = _load(path)
        assert mod.dump(mod.canonicalise(gold, text)) == path.read_text(encoding="utf-8"), path.name


def test_some_incidents_are_covered_in_both_languages() -> None:
    """At least four places appear in reports of both languages (incident grouping)."""
    by_lang: dict[str, set[str]] = {"ar": set(), "en": set()}
    for p in GOLD_FILES:
        gold, _ = _load(p)
        for place in gold["places"]:
            by_lang[gold["language"]].add(place["normalized"].casefold())
    assert len(by_lang["ar"] & by_lang["en"]) >= 4
