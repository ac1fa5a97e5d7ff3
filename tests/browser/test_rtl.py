"""Mixed Arabic and English as chromium lays it out in the Arabic interface (right to left).

An English claim keeps its verb, colon and quote in English order ("said: ..."), an
Arabic one in Arabic order; dates stay on one line; a detail's value sits beside
its label; a verification finding reads in Arabic with its English detail left to right.
Measured from the rendered boxes, with screenshots for a person to look at.
"""

from __future__ import annotations

import re

from tests.browser.conftest import PASSWORD, shot
from tests.browser.flows import login
from tests.browser.test_story import AR_REPORT, EN_REPORT, ensure_report, incidents_api

_BOXES = """line => {
    const box = el => { const r = el.getClientRects()[0]; return {left: r.left, right: r.right,
                                                                  top: r.top, bottom: r.bottom}; };
    const q = s => line.querySelector(s);
    return {verb: box(q('.verb')), colon: box(q('.colon')), quote: box(q('.quote')),
            lang: q('.quote').lang, text: line.innerText.slice(0, 40)};
}"""


def _arabic(page, live, path: str) -> None:
    page.click("#language-switch button[value=ar]")
    page.wait_for_url(live.url + path)
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"


def test_verb_colon_and_quote_keep_their_order_in_the_arabic_interface(page, live):
    ensure_report(live, AR_REPORT)
    ensure_report(live, EN_REPORT)
    multi = [i for i in incidents_api(live) if len(i["sources"]) >= 2]
    assert multi, "the Arabic and English reports of the same attack were not grouped"
    path = f"/incidents/{multi[0]['incident_id']}"
    login(page, live, "ines", PASSWORD, path)
    _arabic(page, live, path)
    lines = page.locator("#versions .claim-line[dir]")
    seen = set()
    for k in range(lines.count()):
        b = lines.nth(k).evaluate(_BOXES)
        # The verb and its colon sit on the same line, the colon just after the verb in the
        # report's reading order: to its right in English (never ":said"), to its left in Arabic.
        assert abs(b["verb"]["top"] - b["colon"]["top"]) < 4, b
        if b["lang"] == "en":
            assert b["verb"]["right"] <= b["colon"]["left"] + 1 < b["quote"]["left"] + 1, b
        else:
            assert b["lang"] == "ar", b
            assert b["verb"]["left"] >= b["colon"]["right"] - 1 > b["quote"]["right"] - 1, b
        seen.add(b["lang"])
    assert seen == {"en", "ar"}, seen
    # Dates never wrap and read as written.
    dates = page.locator("#versions time.date")
    assert dates.count() >= 2
    for k in range(dates.count()):
        date = dates.nth(k)
        assert date.evaluate("el => el.getClientRects().length") == 1, date.inner_text()
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", date.inner_text()), date.inner_text()
        assert date.get_attribute("datetime") == date.inner_text()
    shot(page, "19-incident-versions-rtl")


def test_arabic_exhibit_details_and_findings(page, live):
    login(page, live, "cato", PASSWORD, "/exhibits")
    page.goto(live.url + "/exhibits")
    if not page.locator("#physical-form").is_visible():  # folded once there are exhibits
        page.click("#physical summary")
    form = page.locator("#physical-form")
    form.locator("#physical-container").fill("glass jar")
    form.locator("#physical-quantity").fill("50 g")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/exhibits/[^/?]+\?new=1$"))
    path = page.url.split("?")[0].removeprefix(live.url)
    # A hand-over with no receipt yet: Verify reports it as a finding.
    page.select_option("#event-action", "handed_over")
    page.select_option("#event-to", "lena")
    page.click("#event-submit")
    page.locator("#event-recorded").wait_for()
    page.goto(f"{live.url}{path}/verify")
    _arabic(page, live, f"{path}/verify")

    # Each value sits right beside its label, on the label's left (the inline end).
    rows = page.evaluate("""() => [...document.querySelectorAll('#exhibit-meta dt')].map(dt => {
        const dd = dt.nextElementSibling, a = dt.getBoundingClientRect(), b = dd.getBoundingClientRect();
        return {label: dt.innerText, gap: a.left - b.right, top: Math.abs(a.top - b.top)}; })""")
    assert len(rows) >= 4
    for row in rows:
        assert 0 <= row["gap"] <= 24 and row["top"] < 12, row

    finding = page.locator("#verify-findings li[data-code=incomplete_handover]")
    assert re.search("[\u0600-\u06ff]", finding.locator(".finding-title").inner_text())
    detail = finding.locator(".finding-detail bdi")
    assert detail.evaluate("el => getComputedStyle(el).direction") == "ltr"
    assert detail.inner_text().startswith("incomplete_handover: exhibit ")
    shot(page, "20-exhibit-verify-rtl")


def test_arabic_claims_table_dates_on_one_line_and_arabic_commas(page, live):
    ensure_report(live, AR_REPORT)
    ensure_report(live, EN_REPORT)
    login(page, live, "ines", PASSWORD, "/claims")
    page.set_viewport_size({"width": 900, "height": 900})  # narrow: the cells are tight
    _arabic(page, live, "/claims")
    dates = page.locator("#claims time.date")
    assert dates.count() >= 2
    for k in range(dates.count()):
        date = dates.nth(k)
        assert date.evaluate("el => el.getClientRects().length") == 1, date.inner_text()
        assert date.evaluate("el => getComputedStyle(el).direction") == "ltr"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", date.inner_text()), date.inner_text()
    # Every cell listing several names joins them with the Arabic comma, never a Latin one.
    lists = page.evaluate("""() => [...document.querySelectorAll('#claims td')]
        .filter(td => td.querySelectorAll(':scope > bdi.name, :scope > span.casualty').length > 1)
        .map(td => td.innerText)""")
    assert lists and all("، " in t and ", " not in t for t in lists), lists
    shot(page, "21-claims-rtl")


def test_arabic_exhibit_page_names_the_kind_in_arabic(page, live):
    login(page, live, "cato", PASSWORD, "/exhibits")
    page.goto(live.url + "/exhibits")
    if not page.locator("#physical-form").is_visible():
        page.click("#physical summary")
    form = page.locator("#physical-form")
    form.locator("#physical-container").fill("glass jar")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/exhibits/[^/?]+\?new=1$"))
    path = page.url.split("?")[0].removeprefix(live.url)
    page.goto(live.url + path)
    _arabic(page, live, path)
    assert page.locator("#exhibit-kind").inner_text() == "عيّنة مادية"
    assert page.locator("#custody-chain .ev-kind").first.inner_text() == "سُجّل"
    when = page.locator("#custody-chain time.date").first
    assert when.evaluate("el => el.getClientRects().length") == 1
    shot(page, "22-exhibit-rtl")
