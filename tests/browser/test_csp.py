"""Every page works under the Content-Security-Policy: no violation reported, scripts still run.

The ``page`` fixture fails any browser test whose pages made the policy refuse something
(a console error from the Content Security Policy); this test visits every kind of page on
purpose, in both languages, with data in them, and checks that what the scripts do still
happens (the map draws, the timeline is laid out, Swagger UI renders the API).
"""

from __future__ import annotations

from tests.browser.conftest import PASSWORD, shot
from tests.browser.flows import login
from tests.browser.test_story import AR_REPORT, EN_REPORT, ensure_report

PAGES = ["/", "/reports", "/claims", "/incidents", "/exhibits", "/log", "/log?index=0",
         "/account/password", "/account/tokens"]


def _visit(page, live, path: str) -> None:
    r = page.goto(live.url + path)
    assert r is not None and r.status < 400, (path, r and r.status)
    csp = r.headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp, (path, csp)
    page.wait_for_load_state("networkidle")


def test_no_page_breaks_the_policy(page, live):
    report = ensure_report(live, AR_REPORT)
    ensure_report(live, EN_REPORT)
    login(page, live, "ines", PASSWORD)
    for lang in ("en", "ar"):
        if lang == "ar":
            page.click("#language-switch button[value=ar]")
            page.wait_for_load_state("networkidle")
        for path in [*PAGES, f"/reports/{report}"]:
            if path == "/account/tokens" and not live.has_page(path):
                continue
            _visit(page, live, path)
            if path == "/incidents":
                page.locator("#map path.incident-marker").first.wait_for(state="visible")
                bar = page.locator("#timeline .tl-item").first
                if bar.count():  # laid out by timeline.js, not by an inline style
                    assert bar.evaluate("el => el.style.width").endswith("%")
            assert not page.csp_violations, page.csp_violations
        shot(page, f"csp-last-page-{lang}")
    assert not page.js_errors, page.js_errors


def test_swagger_ui_renders_under_the_policy(page, live):
    _visit(page, live, "/api/docs")
    page.locator(".swagger-ui .info .title").wait_for(state="visible")
    assert "Athar" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock").first.wait_for(state="visible")
    assert page.locator(".opblock").count() > 10
    for k in (0, 1):  # an operation opened shows its parameters and response examples (highlighted)
        page.locator(".opblock-summary").nth(k).click()
    page.locator(".opblock-body .responses-wrapper").first.wait_for(state="visible")
    page.locator(".opblock-body .try-out__btn").first.click()
    page.wait_for_timeout(300)
    shot(page, "csp-swagger")
    assert not page.csp_violations and not page.js_errors, (page.csp_violations, page.js_errors)


def test_a_violation_would_be_seen(page, live):
    """The check is live: an inline script injected into a page is refused and reported."""
    _visit(page, live, "/")
    page.evaluate("""() => { const s = document.createElement('div');
        s.innerHTML = '<img src=x onerror="window.pwned=1">'; document.body.appendChild(s); }""")
    page.wait_for_timeout(300)
    assert page.evaluate("window.pwned") is None
    assert page.csp_violations, "no CSP violation was reported for an inline handler"
    page.csp_violations.clear()
