"""The pages as a browser sees them: sign in and out, CSRF, the language switch, the Arabic font."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from athar.accounts.users import Accounts
from athar.app import create_app
from athar.workspace import Workspace

HTML = {"accept": "text/html"}


@pytest.fixture
def client(tmp_path):
    ws = Workspace.init(tmp_path / "ws")
    with TestClient(create_app(ws)) as c:
        Accounts(ws.log().db).add("maya", ["investigator", "reviewer"], "a good password")
        c.ws = ws
        yield c


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_sign_in_shows_the_user_then_sign_out(client):
    page = client.get("/login?next=/api/docs")
    assert page.status_code == 200 and 'name="csrf_token"' in page.text
    cookie = page.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    r = client.post("/login", data={"name": "maya", "password": "a good password",
                                    "csrf_token": _csrf(page.text), "next": "/api/docs"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/api/docs"
    home = client.get("/")
    assert 'id="current-user"' in home.text and "maya" in home.text and "investigator" in home.text
    r = client.post("/logout", data={"csrf_token": _csrf(home.text)}, follow_redirects=False)
    assert r.status_code == 303
    assert 'id="login-link"' in client.get("/").text


def test_cookie_is_secure_over_https(tmp_path):
    ws = Workspace.init(tmp_path / "ws")
    with TestClient(create_app(ws), base_url="https://athar.test") as c:
        assert "Secure" in c.get("/login").headers["set-cookie"]


def test_forms_without_the_csrf_token_are_refused(client):
    client.get("/login")
    for path, data in (("/login", {"name": "maya", "password": "a good password"}),
                       ("/logout", {}), ("/lang", {"lang": "ar"})):
        for token in ("", "forged"):
            r = client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)
            assert r.status_code == 403, (path, r.text)
            assert r.json()["error"]["code"] == "forbidden"


def test_wrong_password_stays_on_the_form(client):
    page = client.get("/login")
    r = client.post("/login", data={"name": "maya", "password": "nope", "csrf_token": _csrf(page.text)})
    assert r.status_code == 401 and 'id="login-error"' in r.text


def test_unsafe_next_goes_home(client):
    page = client.get("/login")
    r = client.post("/login", data={"name": "maya", "password": "a good password",
                                    "csrf_token": _csrf(page.text), "next": "//evil.example/x"},
                    follow_redirects=False)
    assert r.headers["location"] == "/"


def test_anonymous_page_visit_is_sent_to_login(client):
    r = client.get("/account/password", headers=HTML, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Faccount%2Fpassword"
    r = client.get("/api/v1/me", headers=HTML)
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"


def test_language_switch_to_arabic_is_right_to_left(client):
    home = client.get("/")
    assert 'dir="ltr"' in home.text and "The log" in home.text
    r = client.post("/lang", data={"lang": "ar", "csrf_token": _csrf(home.text), "next": "/"})
    assert r.status_code == 200
    assert '<html lang="ar" dir="rtl">' in r.text and "السجل" in r.text and "تسجيل الدخول" in r.text
    assert "English" in r.text  # the switch back
    login = client.get("/login")
    assert "اسم المستخدم" in login.text


def test_accept_language_picks_arabic(client):
    assert 'dir="rtl"' in client.get("/", headers={"accept-language": "ar-SY,ar;q=0.9"}).text


def test_arabic_font_is_served_from_the_installed_package(client):
    css = client.get("/static/athar.css").text
    assert "@font-face" in css and "/static/fonts/noto-sans-arabic.ttf" in css
    assert "http" not in css.split("@font-face", 1)[1].split("}", 1)[0]
    r = client.get("/static/fonts/noto-sans-arabic.ttf")
    assert r.status_code == 200 and r.headers["content-type"] == "font/ttf"
    assert r.content[:4] in (b"\x00\x01\x00\x00", b"true", b"OTTO")


def test_catalog_compiles_from_po_without_a_mo():
    from athar.web import i18n

    assert not (i18n.LOCALE_DIR / "ar" / "LC_MESSAGES" / "messages.mo").exists()
    assert i18n.translations("ar").gettext("Sign in") == "تسجيل الدخول"
    assert i18n.translations("en").gettext("Sign in") == "Sign in"


def _css_rules(css: str) -> dict[str, str]:
    """``selector -> declarations`` of a flat stylesheet, comments dropped."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return {sel.strip(): body.strip() for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)}


def test_details_lists_are_laid_out_with_logical_properties(client):
    """Label and value sit together in both directions: the details grid packs its columns at
    the inline start and each value at its column's start; nothing says left or right."""
    css = client.get("/static/athar.css").text
    rules = _css_rules(css)
    grid = rules["dl.meta, dl.ev-details"]
    for decl in ("display:grid", "justify-content:start",
                 "grid-template-columns:max-content minmax(0, max-content)"):
        assert decl in grid, decl
    value = rules["dl.meta dd, dl.ev-details dd"]
    for decl in ("justify-self:start", "text-align:start", "margin-inline-start:0"):
        assert decl in value, decl
    assert "text-align:start" in rules["dl.meta dt, dl.ev-details dt"]
    body = " ".join(rules.values())
    physical = re.findall(r"(?:^|[;\s])((?:margin|padding|border)-(?:left|right)|(?:left|right)\s*:"
                          r"|text-align\s*:\s*(?:left|right)|float\s*:\s*(?:left|right))", body)
    assert physical == [], physical
    for box, *sides in re.findall(r"\b(margin|padding)\s*:\s*([^\s;]+)\s+([^\s;]+)\s+([^\s;]+)\s+([^\s;]+)",
                                  body):
        assert sides[1] == sides[3], (box, sides)  # "top right bottom left" with left != right
    assert not [s for s in rules if "[dir=" in s and s.startswith("html")]  # no per-direction patches
