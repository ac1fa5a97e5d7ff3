"""Arabic attribution: verbs, speakers, quotes, relays, documents, nesting, vague sources."""

from __future__ import annotations

import datetime as dt

from athar.intake import extract


def _claims(text: str, source: str = "Outlet"):
    return extract(text, published=dt.date(2019, 10, 3), source=source).claims


def test_verb_then_speaker_then_complementiser() -> None:
    text = "وأكدت وزارة الدفاع الروسية أن المسلحين يحضرون لهجوم بغاز الكلور في ريف إدلب."
    (c,) = _claims(text)
    assert c.speaker == "وزارة الدفاع الروسية"
    assert c.speaker_normalized == "Russian Ministry of Defence"
    assert c.verb == "أكدت"
    assert c.claim == "المسلحين يحضرون لهجوم بغاز الكلور في ريف إدلب"
    assert text[c.start : c.end] == c.claim
    assert not c.direct_quote


def test_feminine_present_and_participle_forms_share_speaker() -> None:
    text = ("حذر وزير الخارجية الروسي، سيرغي لافروف، من أن الإرهابيين حصلوا على مواد سامة، "
            "مشيرا إلى أن ذلك يهدد المنطقة.")
    c1, c2 = _claims(text)
    assert c1.speaker_normalized == c2.speaker_normalized == "Sergey Lavrov"
    assert c1.claim == "الإرهابيين حصلوا على مواد سامة"
    assert c2.verb == "مشيرا" and c2.claim == "ذلك يهدد المنطقة"


def test_document_carried_and_generic_noun_resolve_to_issuer() -> None:
    text = ("أكدت وزارة الدفاع الروسية أن المسلحين نقلوا عبوات الكلور.\n"
            "وأوضحت الوزارة في بيان لها أن الشحنة وصلت إلى سراقب.\n"
            "وختم البيان بأن المراقبة مستمرة في المنطقة.")
    claims = _claims(text)
    assert [c.speaker for c in claims] == ["وزارة الدفاع الروسية", "الوزارة", "البيان"]
    assert {c.speaker_normalized for c in claims} == {"Russian Ministry of Defence"}
    assert claims[1].claim == "الشحنة وصلت إلى سراقب"


def test_direct_quote_across_sentences() -> None:
    text = "وقال الطبيب سامر حداد: «وصل إلينا عشرون مصابا. كانوا يعانون من ضيق تنفس شديد». "
    (c,) = _claims(text)
    assert c.direct_quote
    assert c.claim == "وصل إلينا عشرون مصابا. كانوا يعانون من ضيق تنفس شديد"
    assert c.speaker_type == "person"
    assert c.speaker_normalized == "Dr. Samer Haddad"


def test_relay_speaker_is_original_source_via_is_relay() -> None:
    text = "ونقلت وكالة سانا عن مصدر عسكري قوله إن الجيش لم يستخدم أي أسلحة كيميائية في المنطقة."
    (c,) = _claims(text)
    assert c.speaker == "مصدر عسكري"
    assert c.speaker_type == "unnamed_source"
    assert c.speaker_normalized == "military source"
    assert c.via == "وكالة سانا"
    assert c.claim == "الجيش لم يستخدم أي أسلحة كيميائية في المنطقة"


def test_vague_sources_are_unnamed() -> None:
    (c,) = _claims("وأفادت مصادر أهلية بأن المروحيات ألقت براميل متفجرة على البلدة.")
    assert c.speaker_type == "unnamed_source"
    assert c.speaker_normalized == "local sources"


def test_kana_subject_before_verb() -> None:
    text = "وكان مندوب روسيا الدائم لدى الأمم المتحدة فاسيلي نيبينزيا قد أعلن أن بلاده مستعدة للتحقيق."
    (c,) = _claims(text)
    assert c.speaker_normalized == "Vassily Nebenzia"
    assert c.claim == "بلاده مستعدة للتحقيق"


def test_nested_attribution() -> None:
    text = "وقال المرصد السوري لحقوق الإنسان إن الدفاع المدني أكد أن فرقه عالجت عشرات المصابين."
    outer, inner = _claims(text)
    assert outer.speaker_normalized == "Syrian Observatory for Human Rights"
    assert inner.speaker_normalized == "Syrian Civil Defence"
    assert inner.nested_in == 0
    assert outer.start <= inner.start and inner.end <= outer.end


def test_postposed_according_to() -> None:
    text = "وقصفت المروحيات البلدة ببرميلين محملين بالكلور، بحسب ناشطين."
    claims = _claims(text)
    attributed = [c for c in claims if c.speaker_type == "unnamed_source"]
    assert attributed and attributed[0].speaker_normalized == "activists"
    assert attributed[0].claim.startswith("وقصفت المروحيات")


def test_outlet_voice_allegation_marked_as_such() -> None:
    text = "ارتكبت قوات النظام مجزرة جديدة بغاز الكلور في مدينة أريحا."
    (c,) = _claims(text, source="Al-Shahed")
    assert c.speaker_type == "unattributed_outlet_voice"
    assert c.speaker_normalized == "Al-Shahed"
    assert c.verb is None


def test_quoted_name_is_not_a_quote_claim() -> None:
    text = "أكدت الوزارة أن تنظيم “داعش” يصنع قنابل في ريف دير الزور."
    (c,) = _claims(text)
    assert not c.direct_quote
    assert "يصنع قنابل" in c.claim
