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
