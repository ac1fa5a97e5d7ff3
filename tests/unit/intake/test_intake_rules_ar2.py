"""Arabic attribution rules added for real reports (sentences written for these tests)."""

from __future__ import annotations

import datetime as dt

from athar.intake import extract


def _claims(text: str, source: str = "وكالة تجريبية"):
    return extract(text, published=dt.date(2021, 3, 4), source=source).claims


def test_verb_first_with_an_organisation_subject() -> None:
    text = "اتهم الائتلاف المعارض قوات النظام بقصف البلدة بغاز الكلور."
    (c,) = _claims(text)
    assert c.speaker == "الائتلاف المعارض"
    assert c.claim == "قوات النظام بقصف البلدة بغاز الكلور"


def test_verb_first_subject_after_the_verb_wins_over_the_lead() -> None:
    text = "قتل عشرة مدنيين في غارة جوية قالت الدول الغربية إن الجيش استخدم فيها غاز السارين."
    c = [c for c in _claims(text) if c.verb == "قالت"][0]
    assert c.speaker == "الدول الغربية"
    assert c.claim == "الجيش استخدم فيها غاز السارين"


def test_noun_phrase_content_after_shadda_ala() -> None:
    text = "وكان المبعوث الأممي قد شدد أمس على ضرورة انتظار نتائج التحقيق في الهجوم الكيميائي."
    (c,) = _claims(text)
    assert c.speaker == "المبعوث الأممي"
    assert c.claim.startswith("ضرورة انتظار نتائج التحقيق")


def test_report_as_subject_of_akkada_with_noun_phrase() -> None:
    text = "أكد تقرير للجنة الدولية، مسؤولية الجيش عن الهجوم بغاز السارين على البلدة."
    (c,) = _claims(text)
    assert c.speaker == "تقرير للجنة الدولية"
    assert c.claim.startswith("مسؤولية الجيش عن الهجوم")


def test_wifq_ma_afad_is_according_to() -> None:
    text = "أصيب 30 شخصا بحالات اختناق في البلدة، وفق ما أفاد المرصد الحقوقي."
    claims = _claims(text)
    assert len(claims) == 1
    assert claims[0].speaker == "المرصد الحقوقي"
    assert claims[0].claim == "أصيب 30 شخصا بحالات اختناق في البلدة"


def test_according_to_what_evidence_shows_is_outlet_voice() -> None:
    text = "وبحسب ما تشير الأدلة المتوفرة، قصفت طائرة حربية البلدة بمادة كيميائية."
    (c,) = _claims(text)
    assert c.speaker_type == "unattributed_outlet_voice"


def test_relay_without_a_named_conduit() -> None:
    text = "وقال المرصد إن القصف استهدف البلدة. ونقل عن أطباء في المنطقة أن المصابين عانوا من ضيق تنفس."
    c = [c for c in _claims(text) if c.verb == "نقل"][0]
    assert c.speaker == "أطباء في المنطقة"
    assert c.claim == "المصابين عانوا من ضيق تنفس"


def test_impersonal_yudhkar_is_outlet_voice() -> None:
    text = "وقال المتحدث إن التحقيق مستمر. يذكر أن الفصائل استخدمت الغازات السامة سابقا في المدينة."
    c = [c for c in _claims(text) if c.claim.startswith("الفصائل")][0]
    assert c.speaker_type == "unattributed_outlet_voice"


def test_quoted_name_before_complementiser_is_part_of_the_speaker() -> None:
    text = 'كشف مركز "رصد الانتهاكات في المنطقة"، أن التنظيم قصف المدينة بقذائف تحوي غازات سامة.'
    (c,) = _claims(text)
    assert c.claim == "التنظيم قصف المدينة بقذائف تحوي غازات سامة"


def test_adverbial_clause_after_the_content_is_cut() -> None:
    text = "قالت الوزارة إن لديها أدلة على استخدام مادة سامة، وذلك بعد ساعات من القصف."
    (c,) = _claims(text)
    assert c.claim == "لديها أدلة على استخدام مادة سامة"


def test_wire_name_after_lam_is_the_conduit() -> None:
    text = "وقال متحدث باسم الفصيل لرويترز إن الهجوم كان بالغاز."
    (c,) = _claims(text)
    assert c.speaker == "متحدث باسم الفصيل"
    assert c.via == "رويترز"


def test_document_speaks_with_jaa_fi() -> None:
    text = "وجاء في التقرير أن الطائرات ألقت براميل تحوي غاز الكلور على القرية."
    (c,) = _claims(text)
    assert c.speaker == "التقرير"
    assert c.claim == "الطائرات ألقت براميل تحوي غاز الكلور على القرية"


def test_participle_after_an_implicit_relay_stays_with_the_relayer() -> None:
    text = ("وقال المرصد إن القصف استهدف البلدة. ونقل عن أطباء في المنطقة أن الإصابات ناجمة "
            "عن استنشاق غاز، مرجحا أن يكون الغاز المستخدم هو الكلور.")
    c = [c for c in _claims(text) if c.verb == "مرجحا"][0]
    assert c.speaker == "المرصد"


def test_loaded_with_is_not_a_reporting_verb() -> None:
    text = "سقطت قذائف محملة بغازات سامة على البلدة."
    assert all(c.verb is None for c in _claims(text))


def test_verb_first_announcement_with_noun_phrase_content() -> None:
    text = "أعلن جيش المعارضة إحالة أحد قادته إلى المحكمة بسبب استخدام أسلحة محرمة."
    (c,) = _claims(text)
    assert c.speaker == "جيش المعارضة"
    assert c.claim.startswith("إحالة أحد قادته")


def test_vso_subject_after_a_clause_beats_the_clause() -> None:
    text = "اتهم ناشطون الجيش بقصف البلدة، بينما نفى النظام السوري وقوفه وراء الهجوم."
    c = [c for c in _claims(text) if c.verb == "نفى"][0]
    assert c.speaker == "النظام السوري"
    assert c.claim == "وقوفه وراء الهجوم"


def test_afad_with_bi_content() -> None:
    text = "أفاد ناشطون بسقوط أكثر من 30 قذيفة تحوي مادة الخردل على المدينة."
    (c,) = _claims(text)
    assert c.speaker == "ناشطون"
    assert c.claim.startswith("سقوط أكثر من 30 قذيفة")


def test_outlet_clause_before_an_attribution_in_the_same_sentence() -> None:
    text = ("وكان القصف أدى إلى مقتل 40 شخصا بينهم 12 طفلا في غارة جوية قالت منظمات حقوقية "
            "إن الجيش استخدم فيها غاز السارين.")
    claims = _claims(text)
    outlet = [c for c in claims if c.speaker_type == "unattributed_outlet_voice"]
    assert [c.claim for c in outlet] == ["وكان القصف أدى إلى مقتل 40 شخصا بينهم 12 طفلا في غارة جوية"]
    assert any(c.speaker == "منظمات حقوقية" for c in claims)


def test_relative_clause_verb_takes_the_subject_of_the_opening_verb() -> None:
    text = ("نشر ناشطون معارضون تسجيلا مصورا قالوا إنه يظهر سحابة صفراء فوق القرية وهي أول "
            "صور من نوعها.")
    (c,) = _claims(text)
    assert c.verb == "قالوا"
    assert c.speaker == "ناشطون معارضون"
    assert c.claim == "يظهر سحابة صفراء فوق القرية"


def test_prepositional_content_before_a_nested_complementiser() -> None:
    text = "وخلص فريق التحقيق إلى وجود أسس معقولة للاعتقاد بأن الطائرات ألقت غاز السارين."
    (c,) = _claims(text)
    assert c.speaker == "فريق التحقيق"
    assert c.claim.startswith("وجود أسس معقولة للاعتقاد")


def test_subject_before_min_jihatihi() -> None:
    text = "الجيش من جهته، نفى استخدام الغازات السامة، واتهم الفصائل بفبركة الهجوم."
    claims = _claims(text)
    assert [(c.speaker, c.verb) for c in claims] == [("الجيش", "نفى"), ("الجيش", "اتهم")]


def test_plural_participle_is_a_trigger_and_a_claim() -> None:
    text = "وأفاد ناشطون بسقوط عشرين قذيفة على البلدة، مشيرين إلى أن القصف لم يتوقف."
    claims = _claims(text)
    assert [(c.speaker, c.verb) for c in claims] == [("ناشطون", "أفاد"), ("ناشطون", "مشيرين")]
    assert claims[0].claim == "سقوط عشرين قذيفة على البلدة"


def test_arabic_colon_attribution() -> None:
    (c,) = _claims("لافروف: «المسلحون استخدموا غاز الكلور في حلب»")
    assert (c.speaker, c.verb, c.direct_quote) == ("لافروف", ":", True)


def test_arabic_dateline_is_not_a_speaker() -> None:
    (c,) = _claims("دمشق - سانا: قالت وزارة الصحة إن 107 أشخاص أصيبوا.")
    assert c.speaker == "وزارة الصحة"


def test_pronoun_conjunction_is_an_elided_subject() -> None:
    text = "نفت وزارة الدفاع أي استخدام للكلور. لكنها قالت إن المسلحين فبركوا الهجوم."
    assert [c.speaker for c in _claims(text)] == ["وزارة الدفاع", "وزارة الدفاع"]


def test_verb_first_unnamed_source_with_adjectives() -> None:
    (c,) = _claims("نفى مصدر رسمي سوري استخدام الجيش أي أسلحة كيميائية.")
    assert (c.speaker, c.speaker_type) == ("مصدر رسمي سوري", "unnamed_source")
    assert c.claim == "استخدام الجيش أي أسلحة كيميائية"


def test_headline_noun_nafy_is_not_a_verb() -> None:
    assert all(c.verb is None for c in _claims("نفي سوري لاستخدام الكيماوي في دوما"))


def test_quoted_outlet_after_lam_is_the_conduit() -> None:
    (c,) = _claims("أكد مسؤول محلي لـ«صحيفة المدينة» أن الطائرات ألقت براميل تحوي الكلور.")
    assert (c.speaker, c.via) == ("مسؤول محلي", "صحيفة المدينة")


def test_wasafa_object_is_not_part_of_the_speaker() -> None:
    (c,) = _claims("ووصف المتحدث الهجوم بأنه مفبرك بالكامل.")
    assert c.speaker == "المتحدث"


def test_daa_ila_content_starts_after_the_preposition() -> None:
    (c,) = _claims("ودعت المنظمة إلى فتح تحقيق مستقل في الهجوم.")
    assert c.claim == "فتح تحقيق مستقل في الهجوم"


def test_pronominal_denial_takes_the_antecedent_claim() -> None:
    text = "قال ناشطون إن الجيش استخدم غاز الكلور، وهو اتهام نفاه الجيش، بينما واصل القصف."
    said, denied = _claims(text)
    assert (denied.speaker, denied.stance) == ("الجيش", "denies")
    assert denied.claim == said.claim == "الجيش استخدم غاز الكلور"
    assert _claims("نفاه المتحدث باسم الجيش.") == ()


def test_coordinated_anna_complements_are_separate_claims() -> None:
    claims = _claims("وقال المتحدث إن القصف استهدف البلدة، وأن 20 شخصا أصيبوا بحالات اختناق.")
    assert [c.claim for c in claims] == ["القصف استهدف البلدة", "20 شخصا أصيبوا بحالات اختناق"]


def test_coordinated_blame_shares_the_subject_and_ends_the_previous_content() -> None:
    text = "وتنفي دمشق أن قواتها تستخدم الكلور وتلقي باللوم في كل الهجمات على مسلحي المعارضة."
    deny, blame = _claims(text)
    assert (deny.speaker, deny.claim, deny.stance) == ("دمشق", "قواتها تستخدم الكلور", "denies")
    assert (blame.speaker, blame.verb) == ("دمشق", "تلقي باللوم")


def test_wifqan_li_after_a_verb_claim_is_the_conduit() -> None:
    (c,) = _claims("وقال المتحدث إن المسلحين نقلوا أسطوانات الكلور إلى البلدة، وفقا لوكالة الأنباء.")
    assert (c.speaker, c.via) == ("المتحدث", "وكالة الأنباء")
    assert c.claim == "المسلحين نقلوا أسطوانات الكلور إلى البلدة"
