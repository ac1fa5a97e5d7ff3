"""Every response carries the security headers: CSP without inline script, frame-ancestors 'none',
nosniff, Referrer-Policy; and no template or page holds an inline script, handler or style."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from athar.accounts.users import Accounts
from athar.app import create_app
from athar.http.security import CSP
from athar.workspace import Workspace
from tests.integration.api.routing import method_routes

TEMPLATES = Path(__file__).resolve().parents[3] / "src" / "athar" / "web" / "templates"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    ws = Workspace.init(tmp_path_factory.mktemp("headers") / "ws")
    app = create_app(ws)
    with TestClient(app) as client:
        accounts = Accounts(ws.log().db)
        accounts.add("boss", ["admin"], PASSWORD)
        token = accounts.create_token("boss", "headers")
        yield app, client, token


def _concrete(path: str) -> str:
    path = path.replace("{path:path}", "0/000")
    return re.sub(r"\{[^}]+\}", "0", path)


def assert_secure_headers(r, csp=CSP):
    h = r.headers
    where = (r.request.method, str(r.request.url), r.status_code)
    assert h.get("content-security-policy") == csp, where
    assert "frame-ancestors 'none'" in h["content-security-policy"], where
    assert "'unsafe-inline'" not in h["content-security-policy"]
    assert h.get("x-content-type-options") == "nosniff", where
    assert h.get("referrer-policy") == "no-referrer", where
    assert h.get("x-frame-options") == "DENY", where


def test_every_route_answers_with_the_headers(world):
    """Each route and method, anonymous and with an admin's token, whatever the status."""
    app, client, token = world
    checked = 0
    for method, route in method_routes(app):
        path = _concrete(route.path)
        for headers in ({"accept": "*/*"}, {"accept": "text/html"},
                        {"accept": "*/*", "authorization": f"Bearer {token}"}):
            client.cookies.clear()
            r = client.request(method, path, headers={**headers, "content-type": "application/json"},
                               content=b"{}", follow_redirects=False)
            assert_secure_headers(r)
            checked += 1
    assert checked > 150


@pytest.mark.parametrize("path", ["/static/athar.css", "/static/exhibits.js", "/static/nope.js",
                                  "/static/swagger/swagger-ui-bundle.js", "/no/such/page",
                                  "/static/leaflet/leaflet.js", "/static/fonts/noto-sans-arabic.ttf"])
def test_static_files_and_unknown_paths_too(world, path):
    assert_secure_headers(world[1].get(path))


def test_https_requests_get_hsts(world):
    app = world[0]
    with TestClient(app, base_url="https://athar.test") as client:
        r = client.get("/")
        assert_secure_headers(r)
        assert r.headers["strict-transport-security"].startswith("max-age=")
    assert "strict-transport-security" not in world[1].get("/").headers


def test_a_crash_still_answers_with_the_headers(world, monkeypatch):
    app, client, _ = world
    from athar.web import pages

    monkeypatch.setattr(pages, "templates", None)  # the home page now fails unexpectedly
    with TestClient(app, raise_server_exceptions=False) as crashing:
        r = crashing.get("/")
    assert r.status_code == 500 and r.json()["error"]["code"] == "internal_error"
    assert_secure_headers(r)


def test_the_docs_page_has_no_inline_script(world):
    r = world[1].get("/api/docs")
    assert r.status_code == 200
    assert_secure_headers(r)
    assert re.findall(r"<script[^>]*>(.*?)</script>", r.text, re.S) == ["", ""]
    init = world[1].get("/api/docs/init.js")
    assert init.status_code == 200 and "SwaggerUIBundle" in init.text
    assert init.headers["content-type"].startswith("text/javascript")


class _Inline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action") and value and value.strip().lower().startswith(
                    "javascript:"):
                self.found.append(f"<{tag} {name}=javascript:...>")
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self._script = True

    def handle_endtag(self, tag):
        self._script = False

    def handle_data(self, data):
        if self._script and data.strip():
            self.found.append("inline <script>")


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_templates_hold_no_inline_script_handler_or_style(template):
    parser = _Inline()
    parser.feed((TEMPLATES / template).read_text())
    assert parser.found == []
