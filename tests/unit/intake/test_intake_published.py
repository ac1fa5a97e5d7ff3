"""Publication date: given in full or in part, or read from the report's dateline."""

from __future__ import annotations

import datetime as dt

import pytest

from athar.errors import IntakeError
from athar.intake import extract
from athar.intake.published import parse_published


@pytest.mark.parametrize(
    ("value", "iso", "precision"),
    [("2018", "2018", "year"), ("2018-11", "2018-11", "month"), ("2018-11-29", "2018-11-29", "day"),
     ("2018-11-29T10:00:00", "2018-11-29", "day")],
)
def test_parse_published(value: str, iso: str, precision: str) -> None:
    p = parse_published(value)
    assert p is not None and p.iso() == iso and p.precision == precision and not p.inferred


@pytest.mark.parametrize("bad", ["18-11-29", "2018/11/29", "November 2018", "2018-13"])
def test_parse_published_rejects(bad: str) -> None:
    with pytest.raises(IntakeError):
        parse_published(bad)


def test_english_dateline_without_year_takes_the_latest_year_named() -> None:
    text = ("ALEPPO, Nov 25 (Newswire) - Dozens of people were treated for breathing problems "
            "on Saturday after shelling, a doctor said. The city was also hit in 2016 and 2018.")
    out = extract(text).to_json()
    assert out["published"] == "2018-11-25" and out["published_inferred"] is True
    assert {d["as_written"]: d["iso"] for d in out["dates"]}["on Saturday"] == "2018-11-24"


def test_arabic_dateline_line() -> None:
    text = "حماة - الخميس ٢٩ نوفمبر ٢٠١٨\nقال الطبيب إن ٢٠ شخصا أصيبوا أمس الأربعاء بحالات اختناق."
    out = extract(text).to_json()
    assert out["published"] == "2018-11-29" and out["published_inferred"] is True
    assert "2018-11-28" in {d["iso"] for d in out["dates"]}


def test_given_date_is_not_inferred_and_wins() -> None:
    text = "حماة - الخميس ٢٩ نوفمبر ٢٠١٨\nقال الطبيب إن القصف وقع أمس."
    out = extract(text, published=dt.date(2018, 12, 1)).to_json()
    assert out["published"] == "2018-12-01" and out["published_inferred"] is False


def test_no_dateline_no_date() -> None:
    out = extract("Activists said the attack on the town happened on 4 April 2017.").to_json()
    assert out["published"] is None and out["published_inferred"] is False


def test_partial_published_resolves_months_and_periods() -> None:
    out = extract("Activists said the town was hit last month and again in March.",
                  published="2018-05").to_json()
    assert out["published"] == "2018-05"
    assert [d["iso"] for d in out["dates"]] == ["2018-04", "2018-03"]


def test_arabic_relative_periods_and_yesterday_with_weekday() -> None:
    text = "وقال ناشطون إن الطائرات قصفت البلدة أمس السبت، بعد هجوم مماثل في الشهر الماضي."
    out = extract(text, published=dt.date(2018, 11, 25)).to_json()
    isos = {d["as_written"]: d["iso"] for d in out["dates"]}
    assert isos == {"أمس السبت": "2018-11-24", "الشهر الماضي": "2018-10"}


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Hundreds of people died Wednesday after the shelling.", "2018-11-28"),
        ("The clinic was hit late Monday.", "2018-11-26"),
        ("Inspectors will arrive tomorrow.", "2018-12-01"),
        ("The town was hit in late 2016.", "2016"),
        ("وقع الهجوم في أواخر 2016.", "2016"),
        ("وقع الهجوم في العام 2017.", "2017"),
        ("Similar symptoms were seen last fall.", "2017"),
        ("The strike happened last week.", "2018-11"),
        ("وقع القصف الأسبوع الماضي.", "2018-11"),
        ("The team visited the village in May.", "2018-05"),
        ("تعرضت القرى لهجمات في أبريل ومايو 2014.", "2014-04"),
    ],
)
def test_more_relative_and_partial_dates(text: str, iso: str) -> None:
    out = extract(text, published=dt.date(2018, 11, 30)).to_json()
    assert iso in [d["iso"] for d in out["dates"]]
