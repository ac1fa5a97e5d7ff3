"""The account pages: the password policy on the change form (both languages), the tokens page."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from athar.accounts.users import Accounts
from athar.app import create_app
from athar.errors import ConfigError
from athar.workspace import Workspace

PASSWORD = "correct horse battery"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    ws = Workspace.init(tmp_path_factory.mktemp("account") / "ws")
    with TestClient(create_app(ws)) as client:
        client.accounts = Accounts(ws.log().db)
        yield client


def _login(client, name, password=PASSWORD):
    client.cookies.clear()
    r = client.post("/login", data={"name": name, "password": password,
                                    "csrf_token": _csrf(client.get("/login").text)},
                    follow_redirects=False)
    assert r.status_code == 303, r.text


@pytest.mark.parametrize(("new", "english", "arabic"), [
    ("password", "too short", "قصيرة جدًا"),
    ("        ", "only spaces", "مسافات فقط"),
    (" " * 12, "only spaces", "مسافات فقط"),
    ("12345678901", "one kind of character", "نوع واحد"),
    ("password1234", "common passwords", "الشائعة"),
    ("January1990!", "too easy to guess", "سهلة التخمين"),
])
def test_the_password_form_refuses_weak_passwords_in_both_languages(site, new, english, arabic):
    site.accounts.add("weakling", ["observer"], PASSWORD) if not site.accounts.get("weakling") else None
    for lang, expected in (("en", english), ("ar", arabic)):
        _login(site, "weakling")
        site.cookies.set("athar_lang", lang)
        csrf = _csrf(site.get("/account/password").text)
        r = site.post("/account/password", data={"current": PASSWORD, "new": new, "confirm": new,
                                                  "csrf_token": csrf})
        assert r.status_code == 400 and expected in r.text, (lang, new)
        assert site.accounts.authenticate("weakling", PASSWORD)  # unchanged
    site.cookies.clear()


def test_the_accounts_refuse_weak_passwords_everywhere(site):
    for bad in ("password", "12345678", " " * 8):
        with pytest.raises(ConfigError) as exc:
            site.accounts.add("someone", ["observer"], bad)
        assert exc.value.details["reason"]
    site.accounts.add("someone", ["observer"], PASSWORD)
    with pytest.raises(ConfigError, match="common passwords"):
        site.accounts.set_password("someone", "qwerty123456")
    assert site.accounts.authenticate("someone", PASSWORD)


def test_the_tokens_page_makes_lists_and_revokes_ones_own_tokens(site):
    site.accounts.add("tokie", ["investigator"], PASSWORD)
    site.accounts.add("other", ["investigator"], PASSWORD)
    theirs = site.accounts.create_token("other", "not yours")
    their_id = site.accounts.tokens.info(theirs).token_id
    _login(site, "tokie")
    page = site.get("/account/tokens")
    assert page.status_code == 200 and 'id="no-tokens"' in page.text and "not yours" not in page.text
    assert page.headers["cache-control"] == "no-store"
    r = site.post("/account/tokens", data={"label": "lab laptop", "days": "30",
                                           "csrf_token": _csrf(page.text)})
    assert r.status_code == 201 and r.headers["cache-control"] == "no-store"
    token = re.search(r'<code id="new-token" dir="ltr">([^<]+)</code>', r.text).group(1)
    info = site.accounts.tokens.info(token)
    assert info.label == "lab laptop" and info.user_name == "tokie" and info.active
    assert info.expires_at[:10] > info.created_at[:10]
    me = site.get("/api/v1/me", headers={"authorization": f"Bearer {token}"})
    assert me.json()["name"] == "tokie"
    listing = site.get("/account/tokens").text
    assert info.token_id in listing and "lab laptop" in listing and token not in listing
    # Another user's token id is not found; the form without its CSRF token is refused.
    csrf = _csrf(listing)
    assert site.post(f"/account/tokens/{their_id}/revoke", data={"csrf_token": csrf}).status_code == 404
    assert site.post(f"/account/tokens/{info.token_id}/revoke", data={}).status_code == 403
    assert site.accounts.tokens.info(theirs).active
    r = site.post(f"/account/tokens/{info.token_id}/revoke", data={"csrf_token": csrf},
                  follow_redirects=False)
    assert r.status_code == 303
    assert site.get("/api/v1/me", headers={"authorization": f"Bearer {token}"}).status_code == 401
    page = site.get(r.headers["location"]).text
    assert 'id="token-revoked"' in page and "revoked" in page
    # A lifetime out of range is refused with a message.
    r = site.post("/account/tokens", data={"days": "400", "csrf_token": csrf})
    assert r.status_code == 400 and 'id="token-error"' in r.text
    site.cookies.clear()


def test_the_tokens_page_in_arabic_and_only_when_logged_in(site):
    site.cookies.clear()
    r = site.get("/account/tokens", headers={"accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    site.accounts.add("arabi", ["observer"], PASSWORD)
    _login(site, "arabi")
    site.cookies.set("athar_lang", "ar")
    page = site.get("/account/tokens").text
    assert 'dir="rtl"' in page and "رموز الواجهة البرمجية" in page and "إنشاء رمز" in page
    r = site.post("/account/tokens", data={"label": "سكربت", "days": "7", "csrf_token": _csrf(page)})
    assert r.status_code == 201 and "انسخه الآن" in r.text
    assert "سكربت" in site.get("/account/tokens").text and "فعّال" in site.get("/account/tokens").text
    site.cookies.clear()


def test_guessing_the_current_password_from_a_session_is_throttled(site):
    from athar.http.throttle import LoginThrottle

    app = site.app
    saved = app.state.login_throttle
    app.state.login_throttle = LoginThrottle(free_pair=2, free_address=100, base=60)
    try:
        site.accounts.add("stolen", ["observer"], PASSWORD)
        _login(site, "stolen")
        codes = []
        for guess in ("guess one x", "guess two x", "guess three x", PASSWORD):
            csrf = _csrf(site.get("/account/password").text)
            r = site.post("/account/password", data={"current": guess, "new": "a brand new passphrase",
                                                      "confirm": "a brand new passphrase",
                                                      "csrf_token": csrf}, follow_redirects=False)
            codes.append(r.status_code)
        assert codes == [400, 400, 429, 429] and r.headers["retry-after"] == "60"
        assert site.accounts.authenticate("stolen", PASSWORD)
    finally:
        app.state.login_throttle = saved
        site.cookies.clear()
