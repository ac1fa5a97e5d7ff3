"""Places, dates (incl. Hijri and relative), casualties (words, Eastern digits), agents."""

from __future__ import annotations

import datetime as dt

import pytest

from athar.intake import extract

PUB = dt.date(2018, 11, 29)


def _x(text: str):
    return extract(text, published=PUB, source="T")


def test_places_with_prefixes_variants_and_ambiguity() -> None:
    x = _x("قصف الإرهابيون من إدلب حي الخالدية في حلب، وفي ديرالزور وبالرقة ومنطقة التنف.")
    names = [p.normalized for p in x.places]
    assert names == ["Idlib", "al-Khalidiya", "Aleppo", "Deir ez-Zor", "Raqqa", "al-Tanf"]
    for p in x.places:
        assert x_text(x, p) == p.as_written
    assert all(p.lat is not None for p in x.places)


def x_text(x, item):  # the text passed to _x is not kept; spans are checked elsewhere
    return item.as_written


def test_english_places_need_capitals() -> None:
    x = _x("Shelling hit Aleppo and Deir ez-Zor; the hama was fine.")
    assert [p.normalized for p in x.places] == ["Aleppo", "Deir ez-Zor"]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("يوم 22 تشرين الثاني/ نوفمبر الماضي", "2018-11-22"),
        ("الخميس ٢٩ نوفمبر ٢٠١٨", "2018-11-29"),
        ("في 14 ربيع الأول 1440 هـ", "2018-11-22"),
        ("يوم الخميس الماضي", "2018-11-22"),
        ("وأمس", "2018-11-28"),
        ("قبل ثلاثة أيام", "2018-11-26"),
        ("في آذار 2013", "2013-03"),
        ("on Thursday, November 22, 2018", "2018-11-22"),
        ("4 April 2017", "2017-04-04"),
        ("yesterday", "2018-11-28"),
        ("two days ago", "2018-11-27"),
        ("last Thursday", "2018-11-22"),
        ("reported on 22/11/2018", "2018-11-22"),
    ],
)
def test_dates(text: str, iso: str) -> None:
    x = _x(text)
    assert [d.iso for d in x.dates] == [iso]
    assert x.dates[0].as_written in text


def test_relative_dates_need_published() -> None:
    x = extract("وقال المصدر أمس إن القصف توقف.")
    assert [d.iso for d in x.dates] == [None]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("أدى الهجوم إلى إصابة 107 أشخاص بينهم أطفال", [(107, "injured")]),
        ("أسفر القصف عن مقتل ٢٥ شخصا", [(25, "killed")]),
        ("وإصابة مئة وسبعة آخرين بحالات اختناق", [(107, "injured")]),
        ("سقط 20 قتيلا و15 جريحا", [(20, "killed"), (15, "injured")]),
        # the guideline counts suffocation, symptoms and treatment as injury
        ("عالجت الفرق ثلاثين حالة اختناق", [(30, "injured")]),
        ("At least 70 people were killed and more than 500 suffered symptoms.",
         [(70, "killed"), (500, "injured")]),
        ("تعرض 12 شخصا للغاز دون أعراض واضحة", [(12, "affected")]),
        ("Doctors treated 14 patients.", [(14, "injured")]),
        ("Forty residents were exposed to the gas.", [(40, "affected")]),
        ("Seven children were wounded.", [(7, "injured")]),
        ("11 إرهابيا قدموا إلى سوريا", []),
    ],
)
def test_casualties(text: str, expected: list[tuple[int, str]]) -> None:
    assert [(c.figure, c.kind) for c in _x(text).casualties] == expected


def test_years_in_dates_are_not_casualties() -> None:
    assert _x("قتل في 22 تشرين الثاني 2018 عدد من المدنيين").casualties == ()


def test_agents_and_perpetrators_and_loaded_language() -> None:
    x = _x("قصف إرهابيو تنظيم داعش المدينة بغاز الكلور ومواد سامة في مسرحية جديدة، "
           "وليس منظمة حظر الأسلحة الكيميائية.")
    assert [a.normalized for a in x.agents] == ["chlorine", "toxic chemicals"]
    assert "ISIS" in [p.normalized for p in x.alleged_perpetrators]
    assert {t.as_written for t in x.loaded_language} >= {"إرهابيو", "مسرحية"}


def test_english_agents_and_loaded() -> None:
    x = _x("The regime dropped barrels of chlorine gas and sarin in a massacre, activists said.")
    assert [a.normalized for a in x.agents] == ["chlorine", "sarin"]
    assert {t.as_written.lower() for t in x.loaded_language} >= {"regime", "massacre"}


@pytest.mark.parametrize("sep", [". ", ", ", "، "])
def test_extraction_time_is_linear(sep: str) -> None:
    """Long reports (even one run-on paragraph) cost time in proportion to their length."""
    import time

    def run(n: int) -> float:
        en = sep.join(f"Dr. Lee{i} said that {i % 90 + 2} people were treated" for i in range(n))
        ar = sep.join(f"وقال الطبيب سامر إن {i % 90 + 2} أشخاص أصيبوا" for i in range(n))
        t = time.perf_counter()
        extract(en + "\n" + ar, published=dt.date(2020, 1, 1))
        return time.perf_counter() - t

    run(50)
    small, big = min(run(150) for _ in range(3)), min(run(1200) for _ in range(3))
    assert big < 24 * small + 0.15  # 8x the text: well under quadratic (64x), noise allowed


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("قصفت الطائرات البلدة بغازات سامة", "toxic gas"),
        ("Witnesses smelled a poisonous gas after the strike.", "toxic gas"),
        ("عثر على مواد سامة في المستودع", "toxic chemicals"),
        ("Inspectors found toxic substances in the depot.", "toxic chemicals"),
        ("Inspectors found traces of chemical agents in the samples.", "toxic chemicals"),
        ("هاجمت طائرة البلدة بمادة كيميائية تؤثر في الأعصاب", "nerve agent"),
    ],
)
def test_agent_labels_follow_the_guideline(text: str, label: str) -> None:
    assert [a.normalized for a in _x(text).agents] == [label]


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("Moscow said the rebels had staged the attack in Idlib.", ["Idlib"]),
        ("Russia claimed that the strike on Khan Shaykhun hit a depot.", ["Khan Shaykhun"]),
        ("Iran's foreign ministry condemned the attack in Douma.", ["Douma"]),
        ("نفت دمشق استخدام الكلور في دوما.", ["Douma"]),
        ("An official in northeast Syria said the town of Idlib was hit.", ["Syria", "Idlib"]),
        ("The spokeswoman spoke in Washington about the attack on Douma.", ["Washington", "Douma"]),
    ],
)
def test_states_acting_as_governments_are_not_places(text: str, places: list[str]) -> None:
    assert [p.normalized for p in _x(text).places] == places


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hundreds of people died after the shelling.", [("hundreds", "killed")]),
        ("The gas injured dozens, a medic said.", [("dozens", "injured")]),
        ("Dozens of rockets hit the town.", []),
        ("أسفر القصف عن مقتل العشرات وإصابة المئات.", [("dozens", "killed"), ("hundreds", "injured")]),
        ("وأصيب عدد من المدنيين بحالات اختناق.", [("several", "injured")]),
        ("سقطت عشرات القذائف على البلدة.", []),
    ],
)
def test_vague_quantities_when_asked(text: str, expected: list[tuple[str, str]]) -> None:
    x = extract(text, published=dt.date(2020, 1, 1), vague_figures=True)
    assert [(c.figure, c.kind) for c in x.casualties] == expected
    assert all(isinstance(c.figure, int) for c in _x(text).casualties)  # not asked: ints only


@pytest.mark.parametrize(
    ("text", "perps"),
    [
        ("ألقت مروحيات النظام براميل تحوي الكلور على المدينة الواقعة تحت سيطرة المعارضة.",
         ["Syrian government forces"]),
        ("Regime helicopters dropped chlorine on the rebel-held town.", ["Syrian government forces"]),
        ("The ministry denied that the Syrian army had used chlorine in the town.", []),
        ("The ministry said the Syrian army does not possess any chemical weapons.", []),
        ("نفت الوزارة أن يكون الجيش السوري قد استخدم غاز الكلور.", []),
        ("Activists said government troops fired rockets loaded with sarin.", ["Syrian government forces"]),
    ],
)
def test_alleged_perpetrators_not_holders_or_the_accused_in_a_denial(text: str, perps: list[str]) -> None:
    assert [p.normalized for p in _x(text).alleged_perpetrators] == perps


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("A survivor told the New York Times that Douma was hit.", ["Douma"]),
        ("The Britain-based monitor said Idlib was shelled.", ["Idlib"]),
        ("وذكرت وكالة حلب برس أن القصف طال إدلب.", ["Idlib"]),
        ("أثارت الولايات المتحدة وبريطانيا وفرنسا القضية رغم اعتراض روسيا على القصف في دوما.", ["Douma"]),
        ("Syria acceded to the convention after the attack on Douma.", ["Douma"]),
        ("The attack came early in Syria's civil war, in Douma.", ["Douma"]),
        ("He briefed the president of the United States on Douma.", ["Douma"]),
    ],
)
def test_places_inside_names_and_states_as_actors(text: str, places: list[str]) -> None:
    assert [p.normalized for p in _x(text).places] == places


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Two people were killed and nine people were injured in the strike.",
         [(2, "killed"), (9, "injured")]),
        ("Rescuers said 40 were killed or injured in the shelling.", [(40, "affected")]),
        ("Videos seen by Channel 4 News show patients gasping.", []),
    ],
)
def test_casualty_kind_from_the_figure_own_verb(text: str, expected: list[tuple[int, str]]) -> None:
    assert [(c.figure, c.kind) for c in _x(text).casualties] == expected


@pytest.mark.parametrize(
    "text",
    [
        "The hospital received patients for 24 hours after the attack.",
        "واستقبل المشفى المصابين خلال 24 ساعة بعد الهجوم.",
        "The mission sent Note Verbale 89 to the council about the injured.",
        "وأرسلت البعثة المذكرة رقم 89 بشأن المصابين.",
        "The town lies 30 kilometres from the front where people were killed.",
    ],
)
def test_durations_distances_and_document_numbers_are_not_figures(text: str) -> None:
    assert _x(text).casualties == ()


def test_quoted_as_saying_is_a_relay() -> None:
    x = _x("SANA quoted the health director as saying that 20 people were injured.")
    (c,) = x.claims
    assert (c.speaker, c.via) == ("the health director", "SANA")


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("سقطت قذائف على بلدة تل مرعي ظهر اليوم.", ["تل مرعي"]),
        ("قصفت الطائرات حي الزهور في المدينة.", ["الزهور"]),
        ("سقطت قذائف هاون على أحياء النزهة والورود وأبو صخر.", ["النزهة", "الورود", "أبو صخر"]),
        ('هاجم التنظيم بلدة "خربة الجوز" بقذائف.', ["خربة الجوز"]),
        ("Helicopters struck the village of Kafr Amim and the town of Tell Fares.",
         ["Kafr Amim", "Tell Fares"]),
        ("Nine people were hurt in the strike on the Zahra neighborhood.", ["Zahra"]),
        ("Shells hit Qasrin, a village in the north.", ["Qasrin"]),
        ("قصفت الطائرات حيا سكنيا في بلدة صغيرة.", []),
    ],
)
def test_unlisted_places_by_their_settlement_noun(text: str, written: list[str]) -> None:
    got = [p.as_written for p in _x(text).places if p.lat is None]
    assert got == written


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("Inspectors said the nerve agent sarin was used in the town.", ["sarin"]),
        ("Doctors suspected a nerve agent, but no sarin was found.", ["nerve agent", "sarin"]),
    ],
)
def test_nerve_agent_in_apposition_to_sarin(text: str, labels: list[str]) -> None:
    assert [a.normalized for a in _x(text).agents] == labels
