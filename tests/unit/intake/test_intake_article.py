"""The real Al-Alam article (2018-11-29) from ../shared/corpus: what issue 4 requires.

Skips when the shared corpus is absent (it is never copied into the repository)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from athar.intake import extract

ROOT = Path(__file__).resolve().parents[3]
ARTICLE = Path(os.environ.get("ATHAR_SHARED_DIR", ROOT.parent / "shared")) / "corpus" / (
    "alalam-2018-11-29-ar.txt")


@pytest.fixture(scope="module")
def result():
    if not ARTICLE.exists():
        pytest.skip(f"shared corpus not available: {ARTICLE}")
    text = ARTICLE.read_text(encoding="utf-8")
    return text, extract(text, published=dt.date(2018, 11, 29), source="Al-Alam")


def _by(x, name):
    return [c for c in x.claims if c.speaker_normalized == name]


def test_spans_are_exact(result) -> None:
    text, x = result
    for c in x.claims:
        assert text[c.start : c.end] == c.claim
    for item in [*x.places, *x.dates, *x.agents, *x.casualties, *x.alleged_perpetrators,
                 *x.loaded_language]:
        assert text[item.start : item.end] == item.as_written


def test_russian_defence_ministry_statements(result) -> None:
    _, x = result
    mod = _by(x, "Russian Ministry of Defence")
    assert [c.verb for c in mod] == ["أكدت", "أوضحت", "أشار", "ختم"]
    assert [c.speaker for c in mod] == ["وزارة الدفاع الروسية", "الوزارة", "البيان", "البيان"]
    assert mod[0].claim.startswith("تنظيم “داعش” الإرهابي يصنع قنابل محشوة بمواد سامة")
    assert all(c.speaker_type == "military" for c in mod)


def test_lavrov_direct_and_reported(result) -> None:
    _, x = result
    lav = _by(x, "Sergey Lavrov")
    assert any(c.direct_quote for c in lav) and any(not c.direct_quote for c in lav)
    direct = [c for c in lav if c.direct_quote]
    assert any(c.claim.startswith("التهديد المتزايد للإرهاب الكيميائي") and
               c.claim.endswith("عوامل الحرب الكيميائية الكاملة") for c in direct)
    assert any(c.verb == "حذر" and "تقنيات تصنيع مواد سامة" in c.claim for c in lav)
    assert any(c.speaker == "وزير الخارجية الروسي" and c.verb == "أعلن" for c in lav)


def test_ulyanov_nebenzia_zakharova(result) -> None:
    _, x = result
    (uly,) = _by(x, "Mikhail Ulyanov")
    assert uly.claim.startswith("موظفي منظمة حظر الأسلحة الكيميائية")
    (neb,) = _by(x, "Vassily Nebenzia")
    assert neb.claim.startswith("روسيا على استعداد")
    (zak,) = _by(x, "Maria Zakharova")
    assert zak.direct_quote and zak.speaker_type == "government"


def test_outlet_voice_opening_and_closing(result) -> None:
    _, x = result
    outlet = [c for c in x.claims if c.speaker_type == "unattributed_outlet_voice"]
    assert any(c.claim.startswith("تلوح في الأفق ملامح تمثيلية جديدة") for c in outlet)
    assert any(c.claim.startswith("وياتي قصف المناطق الاهلة بالسكان") for c in outlet)
    assert all(c.speaker_normalized == "Al-Alam" and c.verb is None for c in outlet
               if c.claim.startswith(("تلوح", "وياتي")))


def test_places(result) -> None:
    _, x = result
    names = {p.normalized for p in x.places}
    assert {"Deir ez-Zor", "Hajin", "Aleppo", "al-Khalidiya", "al-Zahraa",
            "al-Nil street", "Idlib", "al-Tanf", "al-Hasakah", "Raqqa"} <= names


def test_agents_casualties_dates_and_loaded(result) -> None:
    _, x = result
    assert {"chlorine", "toxic chemicals"} <= {a.normalized for a in x.agents}
    assert (107, "injured") in {(c.figure, c.kind) for c in x.casualties}
    assert {"2018-11-29", "2018-11-22"} <= {d.iso for d in x.dates}
    assert {"تمثيلية", "إرهابيو"} <= {t.as_written for t in x.loaded_language}
    assert "ISIS" in {p.normalized for p in x.alleged_perpetrators}
