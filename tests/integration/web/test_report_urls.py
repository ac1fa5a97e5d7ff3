"""Only http(s) URLs are stored for a report, and a stored URL becomes a link only when it is one."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from athar.accounts.users import Accounts
from athar.app import create_app
from athar.errors import IntakeError
from athar.incidents.service import ReportMeta, ingest_bytes
from athar.incidents.store import ReportStore
from athar.workspace import Workspace

PASSWORD = "a good password"
REPORT = (b"Chemical attack alleged in Ariha\n\nThe Syrian Observatory for Human Rights said on "
          b"Friday that chlorine had been used in Ariha, injuring 12 people.\n")
BAD = ["javascript:alert(document.cookie)", "JavaScript:alert(1)", " javascript:alert(1)",
       "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "file:///etc/passwd",
       "//evil.example/x", "http://", "https:///path", "http://exa mple.org/", "java\tscript:alert(1)"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    ws = Workspace.init(tmp_path_factory.mktemp("urls") / "ws")
    with TestClient(create_app(ws)) as client:
        accounts = Accounts(ws.log().db)
        accounts.add("inv", ["investigator"], PASSWORD)
        client.ws = ws
        client.token = {"authorization": f"Bearer {accounts.create_token('inv', 't')}"}
        yield client


def _login(client):
    client.cookies.clear()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    r = client.post("/login", data={"name": "inv", "password": PASSWORD, "csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 303
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/reports").text).group(1)


@pytest.mark.parametrize("url", BAD)
def test_the_service_refuses_other_schemes(url):
    with pytest.raises(IntakeError) as exc:
        ReportMeta(url=url)
    assert "http://" in exc.value.message and exc.value.details == {"field": "url"}


def test_http_and_https_are_kept():
    assert ReportMeta(url="https://example.org/a?b=c#d").url == "https://example.org/a?b=c#d"
    assert ReportMeta(url="HTTP://EXAMPLE.ORG").url == "HTTP://EXAMPLE.ORG"


def test_the_api_refuses_a_javascript_url(site):
    for url in BAD[:4]:
        r = site.post("/api/v1/reports", headers=site.token, files={"file": ("r.txt", REPORT)},
                      data={"url": url})
        assert r.status_code == 422, r.text
        assert r.json()["error"]["details"]["field"] == "url"
    assert site.get("/api/v1/reports", headers=site.token).json() == []


def test_the_form_refuses_a_javascript_url(site):
    csrf = _login(site)
    r = site.post("/reports", files={"file": ("r.txt", REPORT)},
                  data={"url": "javascript:alert(1)", "csrf_token": csrf})
    assert r.status_code == 422 and "http://" in r.text
    assert site.get("/api/v1/reports", headers=site.token).json() == []
    site.cookies.clear()


def test_a_stored_javascript_url_is_shown_as_text_not_a_link(site):
    """A URL stored before the check existed (or written into the database) is never a link."""
    meta = ReportMeta()
    object.__setattr__(meta, "url", "javascript:alert(document.cookie)")
    store = ReportStore(site.ws.log())
    outcome = ingest_bytes(store, site.ws.admin_signer, REPORT, "old.txt", meta)
    _login(site)
    page = site.get(f"/reports/{outcome.report_id}").text
    assert 'href="javascript' not in page.lower()
    assert "<code>javascript:alert(document.cookie)</code>" in page
    good = ingest_bytes(store, site.ws.admin_signer, REPORT + b"\n", "new.txt",
                        ReportMeta(url="https://example.org/report"))
    page = site.get(f"/reports/{good.report_id}").text
    assert '<a href="https://example.org/report" rel="noopener noreferrer nofollow">' in page
    site.cookies.clear()
