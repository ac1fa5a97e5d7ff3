"""General attribution and fact rules added in extractor 0.4 (not tied to dev-set sentences)."""

from __future__ import annotations

import datetime as dt

from athar.intake import extract


def _x(text: str, source: str = "Outlet"):
    return extract(text, published=dt.date(2019, 10, 3), source=source)


def test_arabic_np_verb_subject_after_verb_and_adjuncts() -> None:
    (c,) = _x("نفت هيئة تحرير الشام، اليوم الأحد، أي علاقة لها بالقصف على المدينة.").claims
    assert c.speaker == "هيئة تحرير الشام"
    assert c.speaker_normalized == "Hay'at Tahrir al-Sham"
    assert c.claim == "أي علاقة لها بالقصف على المدينة"


def test_arabic_headline_subject_before_verb_and_object_in_claim() -> None:
    claims = _x("زاخاروفا تتهم الغرب بتجاهل الهجوم الكيميائي على حلب\n").claims
    assert [(c.speaker_normalized, c.claim) for c in claims] == [
        ("Maria Zakharova", "الغرب بتجاهل الهجوم الكيميائي على حلب")]


def test_arabic_feminine_verb_masculine_object_is_not_subject() -> None:
    text = ("أكدت وزارة الخارجية السورية أن الجيش لم يستخدم أي سلاح كيميائي. "
            "وطالبت الوزارة في بيان لها مجلس الأمن الدولي بتحمل مسؤولياته.")
    c = _x(text).claims[-1]
    assert c.speaker == "الوزارة" and c.speaker_normalized == "Syrian Ministry of Foreign Affairs"
    assert c.claim == "مجلس الأمن الدولي بتحمل مسؤولياته"


def test_arabic_preposition_of_the_verb_is_not_in_the_claim() -> None:
    (c,) = _x("شكك وزير الخارجية الروسي، سيرغي لافروف، في صحة التقارير الغربية.").claims
    assert c.speaker_normalized == "Sergey Lavrov"
    assert c.claim == "صحة التقارير الغربية"


def test_states_as_speakers_alone_and_together() -> None:
    (c,) = _x("لقد حذرت موسكو ودمشق مرارا من أن الإرهابيين نقلوا أسطوانات الكلور.").claims
    assert c.speaker == "موسكو ودمشق" and c.speaker_normalized == "Russia and Syria"


def test_english_dateline_and_participle_attribution() -> None:
    text = ("NEW YORK, August 30 (Eurasia Today) – Russia's envoy, Vassily Nebenzia, told the "
            "Council that militants were preparing a chemical attack.\n"
            "Syrian state media gave a different account, saying coalition aircraft had struck "
            "the town with white phosphorus.")
    c1, c2 = _x(text).claims
    assert c1.speaker_normalized == "Vassily Nebenzia"
    assert c1.claim == "militants were preparing a chemical attack"
    assert c2.speaker == "Syrian state media" and c2.verb == "saying"
    assert c2.claim.startswith("coalition aircraft had struck")


def test_english_quote_of_the_previous_verb_is_not_reattributed() -> None:
    text = ('The ambassador rejected the warning as "a familiar tactic to pre-empt evidence," '
            "and said Washington had seen no information supporting it.")
    claims = _x(text).claims
    assert all(c.speaker != "and" for c in claims)
    assert claims[-1].claim == "Washington had seen no information supporting it"


def test_arabic_dual_and_partitive_casualties() -> None:
    x = _x("قتل شخصين وأصيب ١٢ آخرون، وقال الأطباء إن اثنين من المصابين فارقا الحياة لاحقا.")
    assert {(c.figure, c.kind) for c in x.casualties} >= {(2, "killed"), (12, "injured")}
    assert any(c.as_written.startswith("اثنين من المصابين فارقا") for c in x.casualties)


def test_perpetrators_need_a_link_to_the_act() -> None:
    x = _x("وقالت قسد إن الجيش السوري قصف البلدة بغاز الكلور.")
    assert [p.normalized for p in x.alleged_perpetrators] == ["Syrian government forces"]
    x = _x("وحذرت الوزارة من أن المسلحين يحضرون لاستخدام الكلور بهدف اتهام الجيش العربي السوري.")
    assert [p.normalized for p in x.alleged_perpetrators] == ["armed opposition groups"]


def test_loaded_words_keep_prepositions_drop_conjunctions() -> None:
    x = _x("إنها ذريعة لعدوان جديد يرتكبه إرهابيو النصرة وإرهابيو داعش بغاز الكلور.")
    assert [t.as_written for t in x.loaded_language][:3] == ["لعدوان", "إرهابيو", "إرهابيو"]


def test_speaker_adjunct_words_need_a_word_start() -> None:
    (c,) = _x("أعلن مندوب روسيا الدائم لدى الأمم المتحدة فاسيلي نيبينزيا أن بلاده مستعدة للتحقيق.").claims
    assert c.speaker.endswith("فاسيلي نيبينزيا")  # 'لي' ends the name; it is not 'قال لي'
    assert c.speaker_normalized == "Vassily Nebenzia"
