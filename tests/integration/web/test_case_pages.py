"""The case pages: the signed-in home (my cases and what waits), a case, its review queue, and the
report page's review states; who sees what, forms that post signed entries, stale forms answered 409."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from athar.accounts.actor_keys import add_user
from athar.app import create_app
from athar.cases.service import CaseService
from athar.custody.service import CustodyService
from athar.incidents.store import ReportStore
from tests.conftest import ROOT

REPORT = ROOT / "examples" / "reports" / "ariha-2019-10-04-levantwire-en.txt"
PASSWORD = "correct horse battery"
HTML = {"accept": "text/html"}


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _login(client, name):
    page = client.get("/login")
    r = client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": _csrf(page.text)},
                    follow_redirects=False)
    assert r.status_code == 303


@pytest.fixture
def site(workspace):
    app = create_app(workspace)
    with TestClient(app) as lina, TestClient(app) as omar, TestClient(app) as sami, TestClient(app) as anon:
        for name, roles in (("lina", ["investigator"]), ("omar", ["reviewer"]), ("sami", ["observer"])):
            add_user(workspace, name, roles, PASSWORD)
        for client, name in ((lina, "lina"), (omar, "omar"), (sami, "sami")):
            _login(client, name)
        yield workspace, lina, omar, sami, anon


def _post(client, path, page, **data):
    return client.post(path, data={"csrf_token": _csrf(page), **data}, follow_redirects=False)


def _open_case_with_report(ws, lina):
    home = lina.get("/").text
    assert 'id="new-case-form"' in home and 'id="no-cases"' in home
    r = _post(lina, "/cases", home, case_id="C-ariha", name="Ariha 2019", summary="Chlorine, 3 Oct 2019")
    assert r.status_code == 303 and r.headers["location"] == "/cases/C-ariha"
    page = lina.get("/cases/C-ariha").text
    with REPORT.open("rb") as f:
        r = lina.post("/cases/C-ariha/reports", data={"csrf_token": _csrf(page), "source": "Levant Wire"},
                      files={"file": (REPORT.name, f, "text/plain")}, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = lina.get("/cases/C-ariha").text
    r = _post(lina, "/cases/C-ariha/members", page, seen=CaseService(ws.log()).case("C-ariha").head,
              actor_id="omar", role="reviewer")
    assert r.status_code == 303, r.text
    return ReportStore(ws.log()).all()[0].report_id


def test_home_lists_my_cases_with_what_waits(site):
    ws, lina, omar, sami, anon = site
    rid = _open_case_with_report(ws, lina)
    custody = CustodyService.for_workspace(ws)
    from athar.accounts.actor_keys import signer_for

    signer = signer_for(ws, "lina", ("investigator",))
    custody.register_physical(signer, code="S-1", public={"container": "jar"})
    custody.register_physical(signer, code="S-2", public={"container": "jar"})
    svc = CaseService(ws.log())
    svc.link(signer, "C-ariha", svc.case("C-ariha").head, "exhibit", "S-1", "soil by the crater")
    add_user(ws, "kim", ["custodian"], PASSWORD)
    custody.record("S-1", "handed_over", signer, public={"to": "kim"})  # no receipt yet
    home = lina.get("/").text
    assert 'data-case="C-ariha"' in home and "Ariha 2019" in home
    assert re.search(r"\d+ claims to review", home)
    assert 'href="/exhibits/S-2"' in home  # registered by the team, in no case
    assert "Hand-over without a recorded receipt" in home and 'href="/exhibits/S-1"' in home
    assert "Recent activity" in home and "#" in home
    assert 'data-case="C-ariha"' in omar.get("/").text  # on the team
    assert 'data-case="C-ariha"' not in sami.get("/").text and 'id="no-cases"' in sami.get("/").text
    assert 'id="log-size"' in anon.get("/").text  # anonymous: the log, as before
    assert rid


def test_case_page_shows_links_by_type_and_is_hidden_from_others(site):
    ws, lina, omar, sami, anon = site
    rid = _open_case_with_report(ws, lina)
    page = lina.get("/cases/C-ariha")
    assert page.status_code == 200
    html = page.text
    assert 'data-type="report"' in html and f'href="/reports/{rid}"' in html
    assert 'id="member-form"' in html and 'id="status-form"' in html and 'id="link-form"' in html
    assert 'id="case-team"' in html and "omar" in html
    omars = omar.get("/cases/C-ariha").text
    assert 'id="link-form"' in omars and 'id="member-form"' not in omars  # only the lead staffs it
    assert sami.get("/cases/C-ariha", headers=HTML).status_code == 404
    assert anon.get("/cases/C-ariha", headers=HTML).status_code == 404
    assert anon.get("/cases/C-nothing", headers=HTML).status_code == 404
    r = _post(lina, "/cases/C-ariha/status", html, seen=CaseService(ws.log()).case("C-ariha").head,
              status="published")
    assert r.status_code == 303
    page = lina.get("/cases/C-ariha").text
    r = _post(lina, "/cases/C-ariha/links", page, seen=CaseService(ws.log()).case("C-ariha").head,
              item_type="report", item_id=rid, action="unlink")
    assert r.status_code == 303 and CaseService(ws.log()).case("C-ariha").links == ()
    public = anon.get("/cases/C-ariha", headers=HTML)
    assert public.status_code == 200 and "Ariha 2019" in public.text and 'id="case-team"' not in public.text
    assert "C-ariha" in anon.get("/cases").text


def test_a_stale_case_form_is_refused_and_says_so(site):
    ws, lina, *_ = site
    _open_case_with_report(ws, lina)
    page = lina.get("/cases/C-ariha").text
    old = CaseService(ws.log()).case("C-ariha").head
    assert _post(lina, "/cases/C-ariha/status", page, seen=old, status="closed").status_code == 303
    n = ws.log().size()
    r = _post(lina, "/cases/C-ariha/links", page, seen=old, item_type="incident", item_id="inc-0")
    assert r.status_code == 409 and "changed since you saw it" in r.text and 'id="form-error"' in r.text
    assert ws.log().size() == n


def test_review_queue_accept_correct_reject_and_add(site):
    ws, lina, omar, sami, anon = site
    rid = _open_case_with_report(ws, lina)
    svc = CaseService(ws.log())
    total = len(svc.queue("C-ariha"))
    page = omar.get("/cases/C-ariha/review").text
    assert 'class="hl-focus"' in page and f'data-report="{rid}"' in page and 'data-claim="0"' in page
    assert '<script src="/static/review.js" defer></script>' in page and "onclick" not in page
    assert _post(omar, "/cases/C-ariha/review", page, report_id=rid, claim="0", seen="", at="0",
                 decision="accepted").status_code == 303
    claim1 = svc.report_claims(rid)[1].machine
    page = omar.get("/cases/C-ariha/review?at=0").text
    assert 'data-claim="1"' in page
    r = _post(omar, "/cases/C-ariha/review", page, report_id=rid, claim="1", seen="", at="0",
              decision="corrected", speaker="a monitor", speaker_type="ngo", verb="said", via="",
              asserts="true", start=str(claim1["start"]), end=str(claim1["end"]), note="an NGO")
    assert r.status_code == 303, r.text
    r = _post(omar, "/cases/C-ariha/review", page, report_id=rid, claim="2", seen="", at="0",
              decision="rejected")
    assert r.status_code == 303
    r = _post(omar, "/cases/C-ariha/review", page, report_id=rid, claim="", seen="", at="0",
              decision="added", speaker="Damascus", speaker_type="government", verb="denied", via="",
              asserts="false", start="0", end="20")
    assert r.status_code == 303, r.text
    assert len(svc.queue("C-ariha")) == total - 3
    states = [c.decision for c in svc.report_claims(rid)]
    assert states[:3] == ["accepted", "corrected", "rejected"] and states[-1] == "added"
    report = lina.get(f"/reports/{rid}").text
    for d in ("accepted", "corrected", "rejected", "added", "suggested"):
        assert f'data-decision="{d}"' in report, d
    assert "a monitor" in report and 'class="was"' in report  # the correction over the machine's reading
    assert sami.get("/cases/C-ariha/review", headers=HTML).status_code == 404


def test_a_stale_review_shows_the_newer_decision(site):
    ws, lina, omar, *_ = site
    rid = _open_case_with_report(ws, lina)
    page = omar.get("/cases/C-ariha/review").text  # omar looks at claim 0 ...
    svc = CaseService(ws.log())
    from athar.accounts.actor_keys import signer_for

    svc.review(signer_for(ws, "lina", ("investigator",)), rid, 0, "rejected", seen=None, note="not a claim")
    n = ws.log().size()
    r = _post(omar, "/cases/C-ariha/review", page, report_id=rid, claim="0", seen="", at="0",
              decision="accepted")  # ... and accepts it after lina rejected it
    assert r.status_code == 409
    assert 'id="review-error"' in r.text and 'id="newer-decision"' in r.text
    assert 'data-decision="rejected"' in r.text and "lina" in r.text and "not a claim" in r.text
    assert ws.log().size() == n


def test_a_span_outside_the_text_is_refused_on_the_page(site):
    ws, lina, omar, *_ = site
    rid = _open_case_with_report(ws, lina)
    page = omar.get("/cases/C-ariha/review").text
    r = _post(omar, "/cases/C-ariha/review", page, report_id=rid, claim="", seen="", at="0",
              decision="added", speaker="x", speaker_type="person", verb="", via="", asserts="true",
              start="5", end="99999999")
    assert r.status_code == 422 and "after the report" in r.text


TEMPLATES = ROOT / "src" / "athar" / "web" / "templates"
CASE_TEMPLATES = ("_case.html", "work.html", "cases.html", "case.html", "review.html", "report.html")


def test_every_string_of_the_case_pages_is_translated_into_arabic():
    from athar.web.i18n import translations

    ar = translations("ar")
    missing = []
    for name in CASE_TEMPLATES:
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        for m in re.finditer(r"""(?<![a-z])_\(\s*(["'])((?:(?!\1).)*)\1""", text):
            if ar.gettext(m.group(2)) == m.group(2):
                missing.append((name, m.group(2)))
        for m in re.finditer(r'ngettext\("([^"]*)", "([^"]*)"', text):
            if ar.ngettext(m.group(1), m.group(2), 5) == m.group(2):
                missing.append((name, m.group(1)))
    assert missing == []


def test_the_case_pages_in_arabic_read_right_to_left(site):
    ws, lina, omar, *_ = site
    _open_case_with_report(ws, lina)
    omar.cookies.set("athar_lang", "ar")
    for path, words in (("/", "قضاياي"), ("/cases/C-ariha", "المرتبط بالقضية"),
                        ("/cases/C-ariha/review", "راجع ما قرأته الآلة")):
        r = omar.get(path)
        assert r.status_code == 200 and '<html lang="ar" dir="rtl">' in r.text and words in r.text, path


def test_an_added_claim_is_shown_but_offers_only_adding_another(site):
    ws, lina, omar, *_ = site
    rid = _open_case_with_report(ws, lina)
    page = omar.get("/cases/C-ariha/review").text
    _post(omar, "/cases/C-ariha/review", page, report_id=rid, claim="", seen="", at="0", decision="added",
          speaker="x", speaker_type="person", verb="", via="", asserts="true", start="0", end="12")
    key = CaseService(ws.log()).report_claims(rid)[-1].key
    shown = omar.get("/cases/C-ariha/review", params={"report": rid, "claim": key}).text
    assert 'data-decision="added"' in shown and 'id="form-added"' in shown
    assert 'id="review-accepted"' not in shown and 'id="form-corrected"' not in shown


def test_an_empty_queue_says_so(site):
    ws, lina, *_ = site
    home = lina.get("/").text
    _post(lina, "/cases", home, case_id="C-empty", name="Nothing yet")
    page = lina.get("/cases/C-empty/review")
    assert page.status_code == 200 and 'id="queue-empty"' in page.text
