"""Public API: exports, JSON contract, languages, warnings, errors."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import athar.intake as intake
from athar.errors import AtharError, IntakeError
from athar.intake import EXTRACTOR_VERSION, detect_language, extract

CLAIM_KEYS = {"speaker", "speaker_normalized", "speaker_type", "verb", "claim", "start", "end",
              "direct_quote", "via", "nested_in"}


def test_all_is_sorted_and_complete() -> None:
    assert intake.__all__ == sorted(intake.__all__)
    for name in intake.__all__:
        assert hasattr(intake, name)
    assert isinstance(EXTRACTOR_VERSION, str) and EXTRACTOR_VERSION


def test_to_json_contract_shape() -> None:
    text = "وقال لافروف إن المسلحين في حلب استخدموا غاز الكلور مما أدى إلى إصابة 107 أشخاص."
    out = extract(text, published=dt.date(2018, 11, 29), source="X").to_json()
    assert list(out) == ["language", "published", "published_inferred", "warnings", "claims",
                         "places", "dates",
                         "agents", "casualties", "alleged_perpetrators", "loaded_language"]
    assert out["language"] == "ar" and out["published"] == "2018-11-29"
    assert CLAIM_KEYS <= set(out["claims"][0])
    assert {"as_written", "normalized", "lat", "lon", "admin", "start", "end"} <= set(out["places"][0])
    assert out["casualties"][0]["figure"] == 107
    json.dumps(out, ensure_ascii=False)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("قال المتحدث إن الهجوم وقع صباح اليوم في المدينة", "ar"),
        ("The ministry said the attack happened this morning in the town", "en"),
        ("Le ministère a déclaré que l'attaque a eu lieu dans la ville ce matin", "fr"),
        ("Министерство заявило, что атака произошла утром", "ru"),
        ("12345 !!!", "und"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_unsupported_language_gives_warning_and_no_claims() -> None:
    x = extract("Министерство заявило, что атака произошла утром в Алеппо")
    assert x.language == "ru"
    assert "unsupported language" in x.warnings
    assert x.claims == ()


def test_bidi_controls_warn_and_stay_out_of_spans() -> None:
    text = "وقال\u200f المرصد\u202b السوري لحقوق الإنسان إن\u2066 القصف استهدف \u200bحلب\u200c بالكلور."
    x = extract(text)
    assert any("bidi" in w for w in x.warnings)
    items = [*x.claims, *x.places, *x.agents]
    assert items
    for it in items:
        s = text[it.start : it.end]
        assert not any(ch in s for ch in "\u200f\u202b\u2066\u200b\u200c")
    assert [p.as_written for p in x.places] == ["حلب"]


def test_bad_arguments_raise_intake_error() -> None:
    with pytest.raises(IntakeError):
        extract(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(IntakeError):
        extract("text", published="29/11/2018")
    with pytest.raises(IntakeError):
        extract("text", published="2018-02-30")
    assert issubclass(IntakeError, AtharError)


def test_deterministic() -> None:
    text = "Activists said helicopters dropped chlorine on Saraqib, injuring 11 people."
    assert extract(text).to_json() == extract(text).to_json()
