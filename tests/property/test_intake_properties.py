"""Property: arbitrary text never raises anything but AtharError, spans are exact."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from athar.errors import AtharError
from athar.intake import extract

_PIECES = st.sampled_from([
    "قال", "وأكدت", "وزارة الدفاع الروسية", "أن", "إن", "«", "»", "\"", "“", "”", "،", ".", "\n",
    "حلب", "ديرالزور", "الكلور", "107", "١٠٧", "مئة وسبعة", "أشخاص", "تشرين الثاني/نوفمبر",
    "said", "told Reuters", "according to", "the ministry", "Aleppo", "chlorine", " ", ":",
    "\u200f", "\u202b", "\u2066", "\u200b", "\ufeff", "\u061c", "ـ", "َ", "14 ربيع الأول 1440",
    "يوم الخميس الماضي", "yesterday", "killed", "injured", "بحسب", "نقلت وكالة سانا عن",
])
_TEXT = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=60).map(" ".join),
    st.builds(lambda a, n: a * n, st.sampled_from(["ا", "a ", "قال ", "\u200f", "«"]),
              st.integers(1, 3000)),
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT, st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))))
def test_extract_total_and_spans_exact(text: str, published: dt.date | None) -> None:
    try:
        x = extract(text, published=published, source="S")
    except AtharError:
        return
    for c in x.claims:
        assert text[c.start : c.end] == c.claim
        assert c.claim
        if c.speaker_start is not None:
            assert text[c.speaker_start : c.speaker_end] == c.speaker
        assert c.nested_in is None or 0 <= c.nested_in < len(x.claims)
    for item in [*x.places, *x.dates, *x.agents, *x.casualties, *x.alleged_perpetrators,
                 *x.loaded_language]:
        assert text[item.start : item.end] == item.as_written
        assert item.as_written
    invisible = ("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                 "\u2066\u2067\u2068\u2069\ufeff\u061c")
    for span in [c.claim for c in x.claims] + [p.as_written for p in x.places]:
        assert not any(ch in span for ch in invisible)
