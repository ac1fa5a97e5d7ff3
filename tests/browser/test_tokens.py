"""The API tokens page in a real browser: make a token, use it, revoke it; then in Arabic, right to left."""

from __future__ import annotations

import httpx

from tests.browser.conftest import PASSWORD, shot
from tests.browser.flows import assert_arabic_font, login


def test_make_use_and_revoke_a_token(page, live):
    login(page, live, "rudi", PASSWORD)
    page.click("#nav-tokens")
    page.wait_for_url(live.url + "/account/tokens")
    page.fill("#new-token-form input[name=label]", "nightly export")
    page.select_option("#token-days", "30")
    page.click("#new-token-form button[type=submit]")
    token = page.locator("#new-token").inner_text().strip()
    assert token.startswith("athar_")
    shot(page, "20-token-made")
    me = httpx.get(live.url + "/api/v1/me", headers={"authorization": f"Bearer {token}"}, timeout=10)
    assert me.json()["name"] == "rudi"
    page.goto(live.url + "/account/tokens")
    assert page.locator("#new-token").count() == 0  # shown once only
    row = page.locator("#tokens tbody tr", has_text="nightly export")
    assert "active" in row.locator(".token-state").inner_text()
    row.locator("button[type=submit]").click()
    page.wait_for_selector("#token-revoked")
    assert "revoked" in page.locator("#tokens tbody tr", has_text="nightly export").inner_text()
    me = httpx.get(live.url + "/api/v1/me", headers={"authorization": f"Bearer {token}"}, timeout=10)
    assert me.status_code == 401
    assert not page.js_errors, page.js_errors


def test_the_tokens_page_in_arabic(page, live):
    login(page, live, "lena", PASSWORD)
    page.click("#language-switch button[value=ar]")
    page.goto(live.url + "/account/tokens")
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    assert page.locator("h1").inner_text() == "رموز الواجهة البرمجية"
    assert_arabic_font(page, "h1", live.url)
    page.click("#new-token-form-panel summary") if not page.locator("#new-token-form").is_visible() else None
    page.fill("#new-token-form input[name=label]", "حاسوب المختبر")
    page.click("#new-token-form button[type=submit]")
    assert page.locator("#new-token").inner_text().startswith("athar_")
    assert "انسخه الآن" in page.locator("#new-token-panel").inner_text()
    page.goto(live.url + "/account/tokens")
    assert "فعّال" in page.locator("#tokens tbody tr", has_text="حاسوب المختبر").inner_text()
    shot(page, "21-tokens-ar")
