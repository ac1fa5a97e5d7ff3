"""The investigator's story in a real browser, on the sample reports shipped in ``examples/``.

Log in, upload a report, see its claims highlighted, open its incident on the
map, upload an exhibit, record a hand-over and its receipt, press Verify.

Each step is its own test and sets up what it needs itself (through the API
when an earlier step is not the point), so one missing page fails one step.
"""

from __future__ import annotations

import hashlib
import json
import re
import time

import httpx

from tests.browser.conftest import PASSWORD, shot
from tests.browser.flows import assert_arabic_font, login
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples" / "reports"
AR_REPORT = EXAMPLES / "ariha-2019-10-03-shahed-ar.txt"
EN_REPORT = EXAMPLES / "ariha-2019-10-04-levantwire-en.txt"
EXHIBITS = ROOT / "examples" / "exhibits"
EXHIBIT_FILE = EXHIBITS / "detector-readings.csv"
EXHIBIT_PHOTO = EXHIBITS / "scene-photo.jpg"


def sidecar(path) -> dict:
    return json.loads(path.with_suffix(".json").read_text())


def ensure_report(live, path) -> str:
    """Upload ``path`` through the JSON API (idempotent); its report id."""
    meta = sidecar(path)
    token = getattr(live, "_ines_token", None) or live.token("ines")
    live._ines_token = token
    with path.open("rb") as f:
        r = httpx.post(live.url + "/api/v1/reports", headers={"Authorization": f"Bearer {token}"},
                       files={"file": (path.name, f, "text/plain")},
                       data={"source": meta["outlet"], "url": meta["url"], "published": meta["published"]},
                       timeout=60)
    assert r.status_code in (200, 201), r.text
    return r.json()["report_id"]


def off_network(page, live) -> list[str]:
    """Every request the page makes to anything but the app (filled in as the page runs)."""
    strays: list[str] = []
    page.on("request", lambda req: strays.append(req.url)
            if not req.url.startswith((live.url + "/", "data:", "blob:", "about:")) else None)
    return strays


# -- reports ---------------------------------------------------------------------------------------

def test_upload_a_report_and_see_its_claims_highlighted(page, live, request):
    strays = off_network(page, live)
    login(page, live, "ines", PASSWORD, "/reports")
    form = page.locator("#upload-form")
    if not form.is_visible():  # the upload panel is folded once there are reports
        page.click("#upload summary")
    meta = sidecar(AR_REPORT)
    form.locator("input[type=file][name=file]").set_input_files(str(AR_REPORT))
    form.locator("input[name=source]").fill(meta["outlet"])
    form.locator("input[name=url]").fill(meta["url"])
    form.locator("input[name=published]").fill(meta["published"])
    shot(page, "05-report-upload-form")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/reports/[0-9a-f]{64}\?(new|known)=1$"))
    assert page.locator("#upload-done, #upload-known").count() == 1

    text = page.locator("#report-text")
    assert text.get_attribute("dir") == "rtl" and text.get_attribute("lang") == "ar"
    assert page.evaluate("getComputedStyle(document.getElementById('report-text')).direction") == "rtl"
    # The report's own words, unchanged, with its claims, speakers and verbs marked.
    original = AR_REPORT.read_text(encoding="utf-8")
    shown = text.inner_text()
    assert " ".join(original.split())[:60] in " ".join(shown.split())
    claims = text.locator(".hl-claim")
    assert claims.count() >= 1
    assert text.locator("[id^=claim-]").count() >= 1
    assert text.locator(".hl-speaker").count() >= 1 and text.locator(".hl-verb").count() >= 1
    # "Highlighted" means it looks different: a claim's background is not the text's.
    claim_bg = claims.first.evaluate("el => getComputedStyle(el).backgroundColor")
    text_bg = text.evaluate("el => getComputedStyle(el).backgroundColor")
    assert claim_bg not in ("rgba(0, 0, 0, 0)", "transparent", text_bg), (claim_bg, text_bg)
    # Arabic report text is set in the bundled Arabic face.
    assert_arabic_font(page, "#report-text", live.url)
    rows = page.locator("#report-claims tbody tr")
    assert rows.count() >= 1
    # A claim's number in the table links to its highlighted place in the text.
    first = rows.first.locator("a[href^='#claim-']")
    target = first.get_attribute("href")
    first.click()
    assert page.locator(target).count() == 1
    shot(page, "06-report-claims-highlighted")
    assert not strays, strays
    assert not page.js_errors, page.js_errors


def test_english_report_marks_speaker_verb_and_outlet_voice(page, live, request):
    report_id = ensure_report(live, EN_REPORT)
    login(page, live, "ines", PASSWORD, f"/reports/{report_id}")
    text = page.locator("#report-text")
    assert text.get_attribute("dir") == "ltr"
    assert text.locator(".hl-claim").count() >= 1
    assert text.locator(".hl-speaker").count() >= 1 and text.locator(".hl-verb").count() >= 1
    # The legend explains every style used.
    assert page.locator("#legend .hl-claim").count() >= 1
    shot(page, "07-report-en")


def test_report_page_in_the_arabic_interface(page, live, request):
    report_id = ensure_report(live, AR_REPORT)
    login(page, live, "ines", PASSWORD, f"/reports/{report_id}")
    page.click("#language-switch button[value=ar]")
    page.wait_for_url(f"{live.url}/reports/{report_id}")
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    assert_arabic_font(page, "#report-text", live.url)
    assert_arabic_font(page, "h2", live.url)  # the interface's own headings, in Arabic
    shot(page, "08-report-ar-interface")


# -- incidents ---------------------------------------------------------------------------------------

def incidents_api(live) -> list[dict]:
    token = getattr(live, "_ines_token", None) or live.token("ines")
    r = httpx.get(live.url + "/api/v1/incidents", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    r.raise_for_status()
    return r.json()


def test_open_the_reports_incident_on_the_map(page, live, request):
    ensure_report(live, AR_REPORT)
    ensure_report(live, EN_REPORT)
    outlet = sidecar(EN_REPORT)["outlet"]
    mine = {i["incident_id"] for i in incidents_api(live) if outlet in i["sources"]}
    assert mine, "the report was grouped into no incident"
    strays = off_network(page, live)
    login(page, live, "ines", PASSWORD, "/incidents")
    # Leaflet draws the shipped outlines (no tile server) and one marker per incident.
    page.wait_for_selector("#map .leaflet-overlay-pane path", state="attached")
    assert page.locator("#map .leaflet-tile").count() == 0
    markers = page.locator("#map path.incident-marker")
    markers.first.wait_for(state="visible")
    assert markers.count() >= len(mine)
    page.wait_for_load_state("networkidle")
    shot(page, "09-incidents-map")
    # Click the markers, topmost first, until one's popup leads to the report's incident.
    link = page.locator(".leaflet-popup-content a[href^='/incidents/']")
    href = None
    for k in reversed(range(markers.count())):
        try:
            markers.nth(k).click(timeout=5_000)
        except Exception:  # noqa: BLE001 - covered by another marker: not clickable
            continue
        link.wait_for(state="visible")
        if link.get_attribute("href").rsplit("/", 1)[-1] in mine:
            href = link.get_attribute("href")
            break
    assert href, "no marker on the map opens the report's incident"
    page.wait_for_function("() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
    shot(page, "10-incident-popup")
    link.click()
    page.wait_for_url(live.url + href)
    assert page.locator("#incident-meta").is_visible()
    assert outlet in page.locator("#versions").inner_text()
    shot(page, "11-incident-from-map")
    assert not strays, strays
    assert not page.js_errors, page.js_errors


def test_incident_shows_every_sources_version_side_by_side(page, live, request):
    ensure_report(live, AR_REPORT)
    ensure_report(live, EN_REPORT)
    multi = [i for i in incidents_api(live) if len(i["sources"]) >= 2]
    assert multi, "the Arabic and English reports of the same attack were not grouped"
    login(page, live, "ines", PASSWORD, "/incidents")
    page.click(f"#incidents a[href='/incidents/{multi[0]['incident_id']}']")
    page.wait_for_url(f"{live.url}/incidents/{multi[0]['incident_id']}")
    versions = page.locator("#versions .version")
    assert versions.count() >= 2
    text = page.locator("#versions").inner_text()
    for source in multi[0]["sources"]:
        assert source in text, source
    # Side by side: at least two versions share a row.
    tops = [round(b["y"]) for b in (versions.nth(k).bounding_box() for k in range(versions.count()))]
    assert len(tops) > len(set(tops)), tops
    shot(page, "12-incident-versions")

    # In Arabic: the versions read right to left, and the map still draws its markers.
    page.click("#language-switch button[value=ar]")
    page.wait_for_url(f"{live.url}/incidents/{multi[0]['incident_id']}")
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    assert_arabic_font(page, "h2", live.url)
    shot(page, "12-incident-versions-ar")
    page.goto(live.url + "/incidents")
    page.locator("#map path.incident-marker").first.wait_for(state="visible")
    page.wait_for_load_state("networkidle")
    shot(page, "09-incidents-map-ar")
    assert not page.js_errors, page.js_errors


# -- exhibits and custody ------------------------------------------------------------------------------

def upload_exhibit(page, live, path) -> str:
    """Upload ``path`` from the exhibits page (streamed by the page's script); the exhibit's URL."""
    page.goto(live.url + "/exhibits")
    form = page.locator("#upload-form")
    if not form.is_visible():  # the panel is folded once there are exhibits
        page.click("#upload summary")
    page.set_input_files("#upload-file", str(path))
    with page.expect_request(lambda r: "/exhibits/upload" in r.url and r.method == "POST") as sent:
        page.click("#upload-submit")
    page.wait_for_url(re.compile(r"/exhibits/[^/?]+(\?.*)?$"))
    # The script streamed the raw file with a progress bar, not a multipart form.
    assert sent.value.headers.get("content-type") == "application/octet-stream"
    return page.url.split("?")[0]


def test_upload_an_exhibit_with_progress(page, live, request):
    login(page, live, "cato", PASSWORD, "/exhibits")
    strays = off_network(page, live)
    page.goto(live.url + "/exhibits")
    if not page.locator("#upload-form").is_visible():
        page.click("#upload summary")
    page.set_input_files("#upload-file", str(EXHIBIT_FILE))
    # Hold the upload request while we look at the progress bar, then let it through.
    held: list = []
    page.route("**/exhibits/upload*", lambda route: held.append(route))
    page.click("#upload-submit")
    bar = page.locator("#upload-progress")
    bar.wait_for(state="visible")
    assert bar.get_attribute("data-state") == "sending"
    assert page.locator("#upload-submit").is_disabled()
    shot(page, "13-exhibit-uploading")
    deadline = time.monotonic() + 15
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert held, "the page sent no upload request"
    held[0].continue_()
    page.wait_for_url(re.compile(r"/exhibits/[^/?]+(\?.*)?$"))
    page.unroute("**/exhibits/upload*")
    assert page.locator("#exhibit-added, #exhibit-known").count() == 1
    digest = hashlib.sha256(EXHIBIT_FILE.read_bytes()).hexdigest()
    assert digest in page.locator("#exhibit-meta").inner_text()
    assert "cato" in page.locator("#exhibit-holder").inner_text()
    assert page.locator("#custody-chain li.event").count() >= 1
    shot(page, "14-exhibit-uploaded")
    assert not strays, strays
    assert not page.js_errors, page.js_errors


def test_hand_over_receipt_and_verify(page, live, request):
    login(page, live, "cato", PASSWORD, "/exhibits")
    exhibit_url = upload_exhibit(page, live, EXHIBIT_PHOTO)
    path = exhibit_url.removeprefix(live.url)

    # The holder hands it over to the lab ...
    page.select_option("#event-action", "handed_over")
    assert page.locator("#event-to").is_visible()  # the script shows the hand-over's fields
    page.select_option("#event-to", "lena")
    page.fill("#event-transport", "sealed bag, by car")
    page.click("#event-submit")
    page.locator("#event-recorded").wait_for()
    assert "lena" in page.locator("#flag-pending").inner_text()
    transfer = page.locator("#custody-chain li.transfer")
    assert transfer.count() == 1 and "pending" in transfer.get_attribute("class")
    assert transfer.get_attribute("data-from") == "cato" and transfer.get_attribute("data-to") == "lena"
    assert page.locator("#pending-handover").is_visible()
    shot(page, "15-handed-over")

    # ... the lab records its receipt ...
    page.context.clear_cookies()
    login(page, live, "lena", PASSWORD, path)
    page.fill("#receive-notes", "seal intact on arrival")
    page.click("#receive-submit")
    page.locator("#event-recorded").wait_for()
    transfer = page.locator("#custody-chain li.transfer")
    assert "pending" not in (transfer.get_attribute("class") or "")
    assert transfer.locator("li.ev-received").count() == 1
    assert "lena" in page.locator("#exhibit-holder").inner_text()
    assert page.locator("#flag-pending").count() == 0
    shot(page, "16-received")

    # ... and Verify runs the full check and shows the verdict.
    page.click("#verify-button")
    page.wait_for_url(re.compile(r"/exhibits/[^/]+/verify"))
    verdict = page.locator("#verify-verdict")
    assert verdict.get_attribute("data-intact") == "true", verdict.inner_text()
    assert "Intact" in verdict.inner_text()
    shot(page, "17-verified")

    # The same page in Arabic: right to left, the chain still reads giver -> receiver.
    page.click("#language-switch button[value=ar]")
    page.wait_for_load_state("load")
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    assert page.locator("#verify-verdict").get_attribute("data-intact") == "true"
    assert_arabic_font(page, "#verify-verdict", live.url)
    shot(page, "18-verified-ar")
    assert not page.js_errors, page.js_errors
