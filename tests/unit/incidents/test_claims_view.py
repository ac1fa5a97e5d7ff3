"""Claim rows: filters (text, exact, partial dates) and CSV safe for spreadsheets."""

from __future__ import annotations

import csv
import datetime as dt
import io

from athar.incidents.claims_view import ClaimFilter, ClaimRow, to_csv


def row(**kw) -> ClaimRow:
    base = dict(report_id="r", claim_no=0, source="Levant Wire", published="2019-10-04", language="en",
                speaker="the ministry", speaker_normalized="Ministry of Defence", speaker_type="government",
                verb="said", claim="chlorine was used", direct_quote=False, via=None, places=("Ariha",),
                place_inherited=False, date="2019-10-03", agents=("chlorine",), casualties=("3 killed",),
                perpetrators=(), denial=False, start=0, end=17)
    base.update(kw)
    return ClaimRow(**base)


def test_text_filters_are_case_insensitive_substrings():
    r = row()
    assert ClaimFilter(speaker="DEFENCE").matches(r) and ClaimFilter(speaker="the min").matches(r)
    assert ClaimFilter(place="ari", agent="CHLOR", source="levant").matches(r)
    assert not ClaimFilter(place="Binnish").matches(r)
    assert not ClaimFilter(speaker_type="ngo").matches(r)
    assert ClaimFilter(speaker_type="government").matches(r)
    assert not ClaimFilter(language="ar").matches(r)


def test_date_filters_are_inclusive_and_handle_partial_dates():
    day = dt.date.fromisoformat
    r = row(date="2019-10-03")
    assert ClaimFilter(date_from=day("2019-10-03"), date_to=day("2019-10-03")).matches(r)
    assert not ClaimFilter(date_from=day("2019-10-04")).matches(r)
    assert not ClaimFilter(date_to=day("2019-10-02")).matches(r)
    month = row(date="2019-10")
    assert ClaimFilter(date_from=day("2019-10-20")).matches(month)  # the month may hold that day
    assert not ClaimFilter(date_from=day("2019-11-01")).matches(month)
    assert not ClaimFilter(date_from=day("2019-01-01")).matches(row(date=None))
    assert ClaimFilter().matches(row(date=None))


def test_query_round_trips_the_filter():
    f = ClaimFilter(speaker="x", date_from=dt.date(2020, 1, 2), language="ar")
    assert f.query() == {"speaker": "x", "date_from": "2020-01-02", "language": "ar"}


def test_csv_has_every_field_and_defuses_formulas():
    text = to_csv([row(claim='=HYPERLINK("http://x")', speaker="+cmd", places=("A", "B"))])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["claim"] == "'=HYPERLINK(\"http://x\")" and rows[0]["speaker"] == "'+cmd"
    assert rows[0]["places"] == "A; B" and rows[0]["casualties"] == "3 killed"
    assert rows[0]["direct_quote"] == "False" and rows[0]["via"] == ""
    assert set(rows[0]) == set(ClaimRow.__dataclass_fields__)
