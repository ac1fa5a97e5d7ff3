"""A case in a real browser, in English and in Arabic: open it, take a report into it, review three
claims from the keyboard (accept, correct, reject) and add one from a text selection; every step a
signed log entry. Screenshots of the home, the case and the review queue, desktop and phone.
"""

from __future__ import annotations

import pytest

from athar.accounts.actor_keys import signer_for
from athar.cases.service import CaseService
from tests.browser.conftest import PASSWORD, shot
from tests.browser.flows import login
from tests.browser.test_story import EXAMPLES, sidecar

# Reports no other browser test uses: reviewing them changes their incidents, which others look at.
REPORTS = {"en": EXAMPLES / "binnish-2020-02-24-doctorsnetwork-en.txt",
           "ar": EXAMPLES / "binnish-2020-02-21-coordination-ar.txt"}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Select the report's text from character ``start`` to ``end`` (code points, as the server counts),
# across however many marked-up pieces it spans, as a person dragging over it would.
_SELECT = """([start, end]) => {
    const article = document.getElementById('report-text');
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let seen = 0, node, began = false;
    while ((node = walker.nextNode())) {
        const chars = Array.from(node.data);
        const units = k => chars.slice(0, k).join('').length;
        if (!began && start < seen + chars.length) {
            range.setStart(node, units(start - seen));
            began = true;
        }
        if (began && end <= seen + chars.length) { range.setEnd(node, units(end - seen)); break; }
        seen += chars.length;
    }
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    return sel.toString();
}"""


def _entries(live, kind: str) -> list[tuple[int, str | None]]:
    """``(index, signing actor)`` of every entry of ``kind``."""
    return [(int(i), a) for i, a in live.ws.log().read(
        "SELECT e.idx, k.actor_id FROM entries e LEFT JOIN actor_keys k ON k.vkey = e.author "
        "WHERE e.kind = ? ORDER BY e.idx", (kind,))]


def _no_sideways_scroll(page, path: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (path, width)


def _shots(page, live, path: str, name: str) -> None:
    """Full-page screenshots of ``path`` on a desktop and on a 390 px phone (no sideways scrolling)."""
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.goto(live.url + path)
        page.wait_for_load_state("networkidle")
        if label == "phone":
            _no_sideways_scroll(page, path)
        shot(page, f"{name}-{label}")
    page.set_viewport_size(DESKTOP)


def _a_sentence_outside_claims(text: str, claims: list[tuple[int, int]]) -> tuple[int, int]:
    """A line of the report's text that no claim touches (the reviewer's "missed" claim)."""
    at = 0
    for line in text.split("\n"):
        start, end = at, at + len(line)
        at = end + 1
        if len(line.strip()) > 20 and not any(s < end and start < e for s, e in claims):
            lead = len(line) - len(line.lstrip())
            return start + lead, start + len(line.rstrip())
    raise AssertionError("every line of the report holds a claim")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_open_a_case_take_in_a_report_and_review_from_the_keyboard(page, live, lang):
    report = REPORTS[lang]
    case_id = f"C-binnish-{lang}"
    login(page, live, "ines", PASSWORD)
    if lang == "ar":
        page.click("#language-switch button[value=ar]")
        page.wait_for_url(live.url + "/")
        assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    created, linked = len(_entries(live, "case.created")), len(_entries(live, "case.linked"))

    # 1. Open the case from the home page.
    page.locator("#new-case summary").click() if not page.locator("#new-case-form").is_visible() else None
    page.fill("#new-case-form input[name=case_id]", case_id)
    name = "Binnish, February 2020" if lang == "en" else "بنش، شباط 2020"
    page.fill("#new-case-form input[name=name]", name)
    page.fill("#new-case-form textarea[name=summary]", "Alleged chlorine attack on Binnish.")
    page.click("#new-case-form button[type=submit]")
    page.wait_for_url(f"{live.url}/cases/{case_id}")
    opened = _entries(live, "case.created")
    assert opened[-1][1] == "ines" and len(opened) == created + 1

    # 2. Take a report in, into the case.
    meta = sidecar(report)
    page.locator("#case-upload summary").click()
    page.set_input_files("#case-upload-form input[name=file]", str(report))
    page.fill("#case-upload-form input[name=source]", meta["outlet"])
    page.click("#case-upload-form button[type=submit]")
    page.wait_for_url(f"{live.url}/cases/{case_id}?done=uploaded")
    assert page.locator("#case-links [data-type=report] li").count() == 1
    assert len(_entries(live, "case.linked")) == linked + 1

    # 3. Staff it: rudi reviews.
    page.locator("#add-member summary").click()
    page.fill("#member-form input[name=actor_id]", "rudi")
    page.click("#member-form button[type=submit]")
    page.wait_for_url(f"{live.url}/cases/{case_id}")
    assert "rudi" in page.locator("#case-team").inner_text()

    # 4. The review queue, from the keyboard.
    page.click("#start-review")
    page.wait_for_url(f"{live.url}/cases/{case_id}/review")
    reviews = len(_entries(live, "claim.reviewed"))
    claim = page.locator("#claim-card").get_attribute("data-claim")
    # accept: one keystroke
    with page.expect_navigation():
        page.keyboard.press("a")
    after = _entries(live, "claim.reviewed")
    assert len(after) == reviews + 1 and after[-1][1] == "ines"
    keystrokes_to_accept = 1
    assert keystrokes_to_accept <= 10
    assert page.locator("#claim-card").get_attribute("data-claim") != claim  # on to the next
    # j / k move through the queue
    second = page.locator("#claim-card").get_attribute("data-claim")
    with page.expect_navigation():
        page.keyboard.press("j")
    assert page.locator("#claim-card").get_attribute("data-claim") != second
    with page.expect_navigation():
        page.keyboard.press("k")
    assert page.locator("#claim-card").get_attribute("data-claim") == second
    forward, back = ("ArrowLeft", "ArrowRight") if lang == "ar" else ("ArrowRight", "ArrowLeft")
    with page.expect_navigation():
        page.keyboard.press(forward)  # the arrow pointing the way the interface reads
    assert page.locator("#claim-card").get_attribute("data-claim") != second
    with page.expect_navigation():
        page.keyboard.press(back)
    assert page.locator("#claim-card").get_attribute("data-claim") == second

    # correct: e opens the form with the claim's values; change the speaker and type, re-select the span
    page.keyboard.press("e")
    form = page.locator("#form-corrected")
    assert form.is_visible()
    page.keyboard.type("Syrian Civil Defence" if lang == "en" else "الدفاع المدني السوري")
    form.locator("select[name=speaker_type]").select_option("ngo")
    rid = live.ws.log().read("SELECT item_id FROM case_links WHERE case_id = ? AND item_type = 'report'",
                             (case_id,))[0][0]
    text = live.ws.log().read("SELECT text FROM reports WHERE report_id = ?", (rid,))[0][0]
    m_start, m_end = (int(form.locator(f"input[name={n}]").input_value()) for n in ("start", "end"))
    span = (m_start, text.rindex(" ", m_start, m_end))  # the reviewer drops the claim's last word
    selected = page.evaluate(_SELECT, list(span))
    page.wait_for_function("() => document.querySelector('#form-corrected input[name=end]').value"
                           f" === '{span[1]}'")
    start, end = (int(form.locator(f"input[name={n}]").input_value()) for n in ("start", "end"))
    assert (start, end) == span and text[start:end] == selected.strip(), (start, end, selected)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    after = _entries(live, "claim.reviewed")
    assert len(after) == reviews + 2 and after[-1][1] == "ines"

    # reject: one keystroke
    with page.expect_navigation():
        page.keyboard.press("r")
    assert len(_entries(live, "claim.reviewed")) == reviews + 3

    # add: select words the machine missed, press n, name the speaker, record
    spans = [(c.current["start"], c.current["end"]) for c in CaseService(live.ws.log()).report_claims(rid)]
    missed = _a_sentence_outside_claims(text, spans)
    page.evaluate(_SELECT, list(missed))
    page.keyboard.press("n")
    add = page.locator("#form-added")
    assert add.is_visible()
    start, end = (int(add.locator(f"input[name={n}]").input_value()) for n in ("start", "end"))
    assert (start, end) == missed, (start, end, missed)
    page.keyboard.type("the outlet" if lang == "en" else "الموقع")
    add.locator("select[name=speaker_type]").select_option("media")
    with page.expect_navigation():
        add.locator("button[type=submit]").click()
    added = _entries(live, "claim.reviewed")
    assert len(added) == reviews + 4 and {a for _, a in added[-4:]} == {"ines"}

    # two reviewers at once: rudi rejects the claim ines is looking at; her accept is refused (409)
    # and the page shows rudi's newer decision; nothing of hers is written
    claim = int(page.locator("#claim-card").get_attribute("data-claim"))
    CaseService(live.ws.log()).review(signer_for(live.ws, "rudi", ("reviewer",)), rid, claim, "rejected",
                                      seen=None, note="a headline, not a claim")
    before = _entries(live, "claim.reviewed")
    with page.expect_navigation():
        page.keyboard.press("a")
    assert page.locator("#review-error").is_visible()
    newer = page.locator("#newer-decision")
    assert newer.locator("[data-decision=rejected]").count() == 1 and "rudi" in newer.inner_text()
    assert _entries(live, "claim.reviewed") == before
    shot(page, f"cases-review-conflict-{lang}")

    # the report page shows the four states
    page.goto(f"{live.url}/reports/{rid}")
    for d in ("accepted", "corrected", "rejected", "added"):
        assert page.locator(f"#report-claims [data-decision={d}]").count() >= 1, d
    _no_sideways_scroll(page, "/reports")
    assert not page.js_errors, page.js_errors

    # screenshots: home, case, review queue; desktop and phone
    _shots(page, live, "/", f"cases-home-{lang}")
    _shots(page, live, f"/cases/{case_id}", f"cases-case-{lang}")
    _shots(page, live, f"/cases/{case_id}/review", f"cases-review-{lang}")
    _shots(page, live, f"/reports/{rid}", f"cases-report-{lang}")
    page.goto(f"{live.url}/cases/{case_id}/review")
    page.keyboard.press("e")  # the correction form open, as a reviewer sees it
    assert page.locator("#form-corrected").is_visible()
    shot(page, f"cases-review-edit-{lang}")
