"""Report, claims, incident and log pages as a logged-in browser sees them, with reports ingested."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from athar.accounts.users import Accounts
from athar.app import create_app
from athar.incidents.service import ReportMeta, ingest_paths
from athar.incidents.store import ReportStore
from athar.web.pages_incidents import relation_marks, relation_topics, timeline
from athar.workspace import Workspace
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples" / "reports"
HTML = {"accept": "text/html"}
PASSWORD = "a good password"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _login(client: TestClient, name: str) -> None:
    client.cookies.clear()
    page = client.get("/login")
    r = client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": _csrf(page.text)},
                    follow_redirects=False)
    assert r.status_code == 303, r.text


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    ws = Workspace.init(tmp_path_factory.mktemp("pages") / "ws")
    ingest_paths(ReportStore(ws.log()), ws.admin_signer, [EXAMPLES], ReportMeta())
    with TestClient(create_app(ws)) as client:
        accounts = Accounts(ws.log().db)
        accounts.add("inv", ["investigator"], PASSWORD)
        accounts.add("obs", ["observer"], PASSWORD)
        client.ws = ws
        client.store = ReportStore(ws.log())
        yield client


@pytest.fixture
def inv(site):
    _login(site, "inv")
    return site


@pytest.fixture
def obs(site):
    _login(site, "obs")
    return site


def _arabic(site):
    site.cookies.set("athar_lang", "ar")


def test_pages_need_a_login(site):
    site.cookies.clear()
    for path in ("/reports", "/claims", "/incidents", "/log", "/reports/abc", "/incidents/inc-0"):
        r = site.get(path, headers=HTML, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), path


def test_reports_list_and_upload_form_by_role(inv, site):
    page = inv.get("/reports")
    assert page.status_code == 200 and page.text.count('href="/reports/') == 6
    assert 'id="upload-form"' in page.text and 'enctype="multipart/form-data"' in page.text
    assert 'name="csrf_token"' in page.text
    assert 'data-max-bytes="20971520"' in page.text and "/static/upload-check.js" in page.text
    _login(site, "obs")
    assert 'id="upload-form"' not in site.get("/reports").text
    assert 'href="/incidents"' in site.get("/reports").text  # nav


def test_report_page_highlights_claims(obs):
    rec = next(r for r in obs.store.all() if r.language == "en")
    page = obs.get(f"/reports/{rec.report_id}")
    assert page.status_code == 200
    html = page.text
    for css in ("hl-claim", "hl-speaker", "hl-verb", "hl-place", "hl-agent", "hl-figure"):
        assert f'class="{css}' in html or f" {css}" in html, css
    assert 'id="claim-0"' in html and '<p dir="auto">' in html
    assert 'id="report-text" dir="ltr" lang="en"' in html
    first = rec.extraction["claims"][1]
    assert re.search(r'class="hl-speaker"[^>]*>' + re.escape(rec.text[first["speaker_start"]:
                                                                       first["speaker_end"]][:8]), html)


def test_outlet_voice_and_loaded_wording_are_styled_apart(obs):
    outlet = loaded = None
    for rec in obs.store.all():
        if any(c["speaker_type"] == "unattributed_outlet_voice" for c in rec.claims):
            outlet = rec
        if rec.extraction.get("loaded_language"):
            loaded = rec
    assert outlet and loaded, "the examples should have both"
    assert "hl-outlet" in obs.get(f"/reports/{outlet.report_id}").text
    assert 'class="hl-loaded' in obs.get(f"/reports/{loaded.report_id}").text


def test_arabic_report_and_arabic_interface(obs):
    rec = next(r for r in obs.store.all() if r.language == "ar")
    html = obs.get(f"/reports/{rec.report_id}").text
    assert 'id="report-text" dir="rtl" lang="ar"' in html and "hl-claim" in html
    _arabic(obs)
    try:
        html = obs.get(f"/reports/{rec.report_id}").text
        assert '<html lang="ar" dir="rtl">' in html
        assert "المتحدث" in html  # "Speaker" in the claims table
        assert "التقارير" in obs.get("/reports").text
        assert "الحوادث" in obs.get("/incidents").text
        claims = obs.get("/claims").text
        assert "قتيل" in claims and not re.search(r"<td>\d+ killed", claims)  # kinds translated
    finally:
        obs.cookies.delete("athar_lang")


def test_claims_table_filters_and_downloads(obs):
    every = obs.get("/claims").text
    n = every.count('class="claim-link"')
    assert n > 10 and 'id="csv-link"' in every
    ar = obs.get("/claims", params={"language": "ar", "speaker_type": "government"}).text
    assert 0 < ar.count('class="claim-link"') < n
    csv_url = re.search(r'id="csv-link"|href="([^"]+)" id="csv-link"', ar).group(1).replace("&amp;", "&")
    assert "language=ar" in csv_url and "format=csv" in csv_url
    r = obs.get(csv_url)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert len(r.text.strip().splitlines()) == ar.count('class="claim-link"') + 1
    none = obs.get("/claims", params={"place": "no such place"}).text
    assert 'class="claim-link"' not in none


def test_claims_table_isolates_speakers_and_outlets_as_names(obs):
    """A speaker or outlet ("Al-Shahed Network") moves to the next line whole, as bdi.name."""
    table = obs.get("/claims").text.split('<table id="claims"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>\s*(<td>.*?)</tr>", table.split("<tbody>", 1)[1], re.S)
    assert len(rows) > 10
    outlets = set()
    for row in rows:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        assert cells[0].startswith('<bdi class="name">'), cells[0]  # the speaker
        outlet = re.fullmatch(r'<bdi class="name">([^<]*)</bdi>', cells[3])
        assert outlet, cells[3]
        outlets.add(outlet.group(1))
    assert len(outlets) >= 2


def test_incidents_map_is_offline(obs):
    html = obs.get("/incidents").text
    assert 'id="map"' in html and 'id="timeline"' in html and 'href="/incidents/inc-' in html
    for url in re.findall(r'(?:src|href|data-[a-z]+)="([^"]+)"', html):
        assert not url.startswith(("http://", "https://", "//")), url
    assert "/static/leaflet/leaflet.js" in html and "/static/leaflet/leaflet.css" in html
    for asset in ("/static/leaflet/leaflet.js", "/static/leaflet/leaflet.css", "/static/incidents-map.js",
                  "/static/map/countries.geo.json", "/static/map/governorates.geo.json"):
        r = obs.get(asset)
        assert r.status_code == 200, asset
        assert not re.search(rb"https?://[^\s\"')]*\.(png|js|css|json|pbf)\b", r.content) or \
            asset.startswith("/static/leaflet/"), asset
    js = obs.get("/static/incidents-map.js").text
    assert "tileLayer" not in js and "http" not in js
    markers = re.search(r'<script type="application/json" id="incident-markers">(.*?)</script>', html, re.S)
    assert markers and '"lat"' in markers.group(1)


def test_incident_page_side_by_side(obs):
    incidents = obs.store.incidents()
    inc = max(incidents, key=lambda i: len(i["versions"]))
    html = obs.get(f"/incidents/{inc['incident_id']}").text
    assert html.count('<section class="version') == len(inc["versions"]) >= 2
    kinds = {r["kind"] for r in inc["relations"]}
    if "contradicts" in kinds:
        assert '<td class="contradict">' in html and '<li class="contradict">' in html
    if "agrees" in kinds:
        assert '<li class="agree">' in html
    on_fields = {r["kind"] for r in inc["relations"] if r["about"] != "denial"}
    for kind, css in (("contradicts", "contradict"), ("agrees", "agree")):
        if kind in on_fields:
            assert re.search(r'class="field[^"]* ' + css, html), css
    assert obs.get("/incidents/inc-zzz", headers=HTML).status_code == 404


def test_log_page_looks_up_and_verifies(obs):
    html = obs.get("/log").text
    assert 'id="log-size"' in html and 'id="checkpoints"' in html
    obs.ws.log().publish_checkpoint()
    page = obs.get("/log", params={"index": 1})
    assert page.status_code == 200
    assert 'id="proof-verdict"' in page.text and "✔" in page.text and "report.received" in page.text
    # not a custody kind: shown raw, with no label beside it
    assert '<code dir="ltr" id="entry-kind">report.received</code></h3>' in page.text
    assert 'id="entry-kind-label"' not in page.text
    assert obs.get("/log", params={"index": 10**6}).status_code == 404
    assert obs.get("/log", params={"index": "x"}).status_code == 422


def test_upload_from_the_form(inv):
    page = inv.get("/reports").text
    data = b"Ariha\n\nThe Civil Defence said on Monday that chlorine injured 9 people in Ariha.\n"
    r = inv.post("/reports", data={"csrf_token": _csrf(page), "source": "Form Wire",
                                  "published": "2019-10-07"},
                 files={"file": ("form.txt", data, "text/plain")}, follow_redirects=False)
    assert r.status_code == 303 and "?new=1" in r.headers["location"], r.text
    shown = inv.get(r.headers["location"]).text
    assert 'id="upload-done"' in shown and "Form Wire" in shown
    again = inv.post("/reports", data={"csrf_token": _csrf(page)},
                     files={"file": ("form.txt", data, "text/plain")}, follow_redirects=False)
    assert "?known=1" in again.headers["location"]
    bad = inv.post("/reports", data={"csrf_token": _csrf(page)},
                   files={"file": ("x.bin", b"\x00\x01", "application/octet-stream")})
    assert bad.status_code == 422 and 'id="upload-error"' in bad.text
    forged = inv.post("/reports", data={"csrf_token": "forged"}, files={"file": ("f.txt", data)})
    assert forged.status_code == 403


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def test_report_text_content_is_the_original(obs):
    for rec in obs.store.all():
        html = obs.get(f"/reports/{rec.report_id}").text
        body = re.search(r'<article class="report-text"[^>]*>(.*?)</article>', html, re.S).group(1)
        parser = _Text()
        parser.feed(body)
        assert "".join(parser.parts) == rec.text


def test_timeline_and_relation_marks_are_pure():
    items, first, last = timeline([
        {"incident_id": "b", "date_from": "2020-01-11", "date_to": "2020-01-11"},
        {"incident_id": "a", "date_from": "2020-01-01", "date_to": "2020-01-03"},
        {"incident_id": "c", "date_from": None, "date_to": None}])
    assert (first, last) == ("2020-01-01", "2020-01-11")
    assert [(i.incident["incident_id"], i.left) for i in items] == [("a", 0.0), ("b", 99.2)]
    assert items[0].width == 20.0
    marks = relation_marks({"relations": [
        {"kind": "agrees", "about": "casualties:killed", "a": "A (x)", "b": "B (y)", "detail": ""},
        {"kind": "contradicts", "about": "perpetrator", "a": "A (x)", "b": "C (z)", "detail": ""}]})
    assert marks["A (x)"] == {"casualties": {"agrees"}, "perpetrators": {"contradicts"}}
    topics = relation_topics({"relations": [
        {"kind": "agrees", "about": "agent", "a": "A", "b": "B", "detail": ""},
        {"kind": "contradicts", "about": "agent", "a": "A", "b": "C", "detail": ""},
        {"kind": "agrees", "about": "agent", "a": "B", "b": "C", "detail": ""}]})
    assert [(t["about"], t["agrees"], t["contradicts"]) for t in topics] == [("agent", 2, 1)]
    assert topics[0]["relations"][0]["kind"] == "contradicts"


def test_incident_versions_isolate_what_the_sources_wrote(obs):
    """In the Arabic interface every fragment a source wrote is isolated: the speaker and the
    outlet, each verb with its colon and quote in the report's own direction, dates as
    ``<time dir="ltr">`` that never wrap, figures and names each in their own ``<bdi>``."""
    inc = max(obs.store.incidents(), key=lambda i: len(i["versions"]))
    languages = {r.report_id: r.language for r in obs.store.all()}
    _arabic(obs)
    try:
        html = obs.get(f"/incidents/{inc['incident_id']}").text
    finally:
        obs.cookies.delete("athar_lang")
    assert '<html lang="ar" dir="rtl">' in html
    versions = html.split('<div class="versions" id="versions">', 1)[1]
    assert versions.count('<div class="speaker"><bdi>') == len(inc["versions"])
    assert versions.count('<bdi class="name">') >= len(inc["versions"])  # the outlets
    items = re.findall(r'<li class="claim">(.*?)</li>', versions, re.S)
    assert len(items) == sum(len(v["claims"]) for v in inc["versions"]) >= 4
    seen = set()
    for item in items:
        quote = re.search(r'<a class="quote" href="/reports/(\w+)#claim-\d+" dir="(ltr|rtl)" '
                          r'lang="(\w+)">', item)
        assert quote, item
        report_id, direction, lang = quote.groups()
        assert lang == languages[report_id] and direction == ("rtl" if lang == "ar" else "ltr")
        verbed = re.search(r'<span class="claim-line" dir="(ltr|rtl)"><bdi class="verb">[^<]+</bdi>'
                           r'<span class="colon">:</span> <a class="quote"', item)
        if verbed:  # the verb, its colon and the quote read in the report's direction
            assert verbed.group(1) == direction
            seen.add(direction)
        else:  # no verb: the placeholder is the interface's, in its direction
            assert re.search(r'<span class="claim-line"><span class="verb none">\(بلا فعل\)</span>'
                             r'<span class="colon">:</span> <a class="quote"', item), item
        date = re.search(r'<small class="published"><time class="date" datetime="([\d-]+)" '
                         r'dir="ltr">([\d-]+)</time></small>', item)
        assert date and date.group(1) == date.group(2), item
    assert seen == {"ltr", "rtl"}  # English and Arabic sources side by side
    figures = re.findall(r'<span class="casualty"><bdi class="figure">\d+</bdi> [^<]+</span>', versions)
    assert figures
    if len(figures) > 1:
        assert "</span>، <span class=\"casualty\">" in versions  # the Arabic comma between them
    header = html.split('<dl class="meta"', 1)[0]
    assert re.search(r'<time class="date" datetime="[\d-]+" dir="ltr">', header)


def test_quote_direction_is_the_reports_language_or_the_texts():
    from athar.web.pages_incidents import quote_direction

    assert quote_direction("ar", "OPCW said") == "rtl" and quote_direction("en", "قال") == "ltr"
    assert quote_direction("fa-IR", "") == "rtl"
    assert quote_direction(None, "  «قال» the ministry") == "rtl"
    assert quote_direction(None, "12: said قال") == "ltr" and quote_direction(None, "12 :") == "ltr"


_DAY = r'<time class="date" datetime="(\d{4}-\d{2}-\d{2})" dir="ltr">(\d{4}-\d{2}-\d{2})</time>'


def _tbody(html: str, table_id: str) -> str:
    return html.split(f'<table id="{table_id}"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_dates_in_the_tables_are_ltr_time_elements_that_never_wrap(obs):
    """In the Arabic claims, reports and report tables every ISO date is a ``<time dir="ltr">``
    (whose class the stylesheet keeps on one line), never bare text a line can break at "-"."""
    rec = next(r for r in obs.store.all() if r.published)
    _arabic(obs)
    try:
        pages = {"claims": obs.get("/claims").text, "reports": obs.get("/reports").text,
                 "report-claims": obs.get(f"/reports/{rec.report_id}").text}
    finally:
        obs.cookies.delete("athar_lang")
    for table, html in pages.items():
        assert '<html lang="ar" dir="rtl">' in html
        body = _tbody(html, table)
        dates = re.findall(_DAY, body)
        assert dates, table
        assert all(a == b for a, b in dates), table
        # No ISO date left outside a <time> element.
        bare = re.sub(_DAY, "", body)
        assert not re.search(r"\d{4}-\d{2}-\d{2}", re.sub(r'href="[^"]*"', "", bare)), table
    published = sum(1 for r in obs.store.all() if r.published)
    assert published == len(re.findall(_DAY, _tbody(pages["reports"], "reports")))
    assert re.search(r"<dd><time class=\"date\" datetime=\"[\d-]+\" dir=\"ltr\">", pages["report-claims"])
    css = re.sub(r"/\*.*?\*/", "", obs.get("/static/athar.css").text, flags=re.S)
    rules = {sel.strip(): body for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)}
    nowrap = [sel for sel, body in rules.items() if "white-space:nowrap" in body.replace(" ", "")]
    assert any("time.date" in [s.strip() for s in sel.split(",")] for sel in nowrap), nowrap


def test_arabic_lists_join_with_the_arabic_comma(obs):
    """Places, agents and figures a claim names are each isolated and joined by the
    translatable separator: «، » on Arabic pages, ", " on English ones."""
    english = _tbody(obs.get("/claims").text, "claims")
    _arabic(obs)
    try:
        arabic = _tbody(obs.get("/claims").text, "claims")
        incidents = obs.get("/incidents").text
    finally:
        obs.cookies.delete("athar_lang")
    joins = re.findall(r'</bdi>(.{1,3}?)<bdi class="name">', arabic)
    assert joins and set(joins) == {"، "}, set(joins)
    assert set(re.findall(r'</bdi>(.{1,3}?)<bdi class="name">', english)) == {", "}
    name = r'<bdi class="name">[^<]*</bdi>'
    places = re.findall(rf"<td>({name}(?:، {name})+)</td>", arabic)
    assert places  # at least one claim names several places or agents
    assert not re.search(r"</bdi>, <bdi", arabic) and not re.search(r"</span>, <span", arabic)
    assert not re.search(r"</bdi>, <bdi", incidents)
