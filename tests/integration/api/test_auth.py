"""Authorization across the whole app: every route x every role x anonymous, tokens, CSRF, limits.

Policy the matrix enforces:

- the routes in ``PUBLIC`` answer anyone;
- the routes in ``SELF_CHECKED`` check the login themselves (anonymous: 401);
- every other route must declare ``require_roles(...)``: anonymous gets 401,
  a user without one of its roles 403, both in the one JSON error shape.
  A browser GET of a page (``Accept: text/html``) is redirected to /login instead
  of the 401; the matrix sends ``Accept: */*`` and sees the JSON.
"""

from __future__ import annotations

import re

import pytest
from fastapi import Request
from fastapi.testclient import TestClient

from athar.accounts.users import Accounts
from athar.app import create_app
from athar.http.throttle import LoginThrottle
from athar.identity import ROLES
from athar.workspace import Workspace
from tests.integration.api.routing import declared_roles, method_routes

PUBLIC = {
    ("GET", "/"), ("GET", "/checkpoint"), ("GET", "/tile/{path:path}"),
    ("GET", "/api/v1/log/checkpoint"), ("GET", "/api/v1/log/checkpoints"),
    ("GET", "/api/v1/log/entries/{index}"), ("GET", "/api/v1/log/proof/inclusion"),
    ("GET", "/api/v1/log/proof/consistency"), ("POST", "/api/v1/log/cosignature"),
    ("GET", "/api/docs"), ("GET", "/api/docs/init.js"), ("GET", "/api/openapi.json"),
    ("GET", "/docs/oauth2-redirect"),
    ("GET", "/redoc"), ("GET", "/login"), ("POST", "/login"), ("POST", "/logout"), ("POST", "/lang"),
    ("GET", "/static/fonts/noto-sans-arabic.ttf"),
    ("GET", "/cases"), ("GET", "/cases/{case_id}"),  # published cases are public; others answer 404
}
SELF_CHECKED = {("GET", "/account/password"), ("POST", "/account/password")}
# Forms that answer 403 to a request without their CSRF token, whoever sends it.
CSRF_FORMS = {("POST", "/login"), ("POST", "/logout"), ("POST", "/lang"), ("POST", "/account/password")}
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    ws = Workspace.init(tmp_path_factory.mktemp("auth") / "ws")
    app = create_app(ws)
    with TestClient(app) as client:
        accounts = Accounts(ws.log().db)
        tokens = {}
        for role in ROLES:
            accounts.add(f"u-{role}", [role], PASSWORD)
            tokens[role] = accounts.create_token(f"u-{role}", "matrix")
        yield app, client, accounts, tokens


def _concrete(path: str) -> str:
    path = path.replace("{path:path}", "0/000")
    return re.sub(r"\{[^}]+\}", "0", path)


def _assert_error_shape(r, status):
    assert r.status_code == status, (r.request.method, r.request.url, r.status_code, r.text)
    err = r.json()["error"]
    assert set(err) == {"code", "message", "details"} and err["message"]
    assert err["code"] == {401: "unauthorized", 403: "forbidden"}[status]


def test_every_route_declares_who_may_use_it(world):
    app = world[0]
    undeclared = [(m, r.path) for m, r in method_routes(app)
                  if (m, r.path) not in PUBLIC | SELF_CHECKED
                  and declared_roles(r) is None]
    assert undeclared == [], "routes without require_roles(...) and not listed as public"


def test_role_matrix(world):
    app, client, _, tokens = world
    principals = {"anonymous": None} | {role: tokens[role] for role in ROLES}
    checked = 0
    for method, route in method_routes(app):
        key = (method, route.path)
        allowed = (set(principals) if key in PUBLIC else
                   set(ROLES) if key in SELF_CHECKED else
                   set(declared_roles(route) or ROLES))
        for who, token in principals.items():
            headers = {"accept": "*/*", "content-type": "application/json"}
            if token:
                headers["authorization"] = f"Bearer {token}"
            client.cookies.clear()
            r = client.request(method, _concrete(route.path), headers=headers, content=b"{}",
                               follow_redirects=False)
            if who in allowed and r.status_code == 403 and key in CSRF_FORMS:
                assert r.json()["error"]["details"]["reason"] == "csrf"  # the matrix sends no token
            elif who in allowed:
                assert r.status_code not in (401, 403) and r.status_code < 500, (who, key, r.text)
            else:
                _assert_error_shape(r, 401 if token is None else 403)
            checked += 1
    assert checked > 100


def test_append_needs_a_writing_role(world):
    _, client, _, tokens = world
    for role in ROLES:
        r = client.post("/api/v1/log/append", content=b"not json",
                        headers={"authorization": f"Bearer {tokens[role]}"})
        expected = 422 if role in ("investigator", "custodian", "lab", "admin") else 403
        assert r.status_code == expected, (role, r.text)


def test_bad_or_malformed_tokens_are_refused_not_ignored(world):
    client = world[1]
    for header in ("Bearer athar_nope", "Basic dXNlcjpwdw==", "Bearer "):
        r = client.get("/api/v1/me", headers={"authorization": header})
        _assert_error_shape(r, 401)


def test_token_identifies_its_user(world):
    _, client, _, tokens = world
    r = client.get("/api/v1/me", headers={"authorization": f"Bearer {tokens['lab']}"})
    assert r.json() == {"name": "u-lab", "roles": ["lab"]}


def test_passwords_and_tokens_are_stored_hashed(world):
    _, _, accounts, tokens = world
    stored = accounts.stored_password_hash("u-admin")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    rows = accounts.db.read("SELECT token_hash FROM api_tokens")
    assert rows and all(t not in {r[0] for r in rows} for t in tokens.values())


def _login(client, name, password=PASSWORD):
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post("/login", data={"name": name, "password": password, "csrf_token": csrf},
                       follow_redirects=False)


def _csrf(client):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)


def test_session_api_writes_need_the_csrf_header(world):
    client = world[1]
    client.cookies.clear()
    assert _login(client, "u-investigator").status_code == 303
    r = client.post("/api/v1/log/append", content=b"not json")
    _assert_error_shape(r, 403)
    assert r.json()["error"]["details"]["reason"] == "csrf"
    r = client.post("/api/v1/log/append", content=b"not json", headers={"x-csrf-token": "forged"})
    _assert_error_shape(r, 403)
    r = client.post("/api/v1/log/append", content=b"not json", headers={"x-csrf-token": _csrf(client)})
    assert r.status_code == 422  # past auth and CSRF: the entry itself is refused
    client.cookies.clear()


def test_tampered_session_cookie_is_anonymous(world):
    client = world[1]
    client.cookies.clear()
    _login(client, "u-admin")
    value = client.cookies.get("athar_session")
    payload, sig = value.split(".")
    client.cookies.set("athar_session", payload + "." + sig[::-1])
    _assert_error_shape(client.get("/api/v1/me"), 401)
    client.cookies.clear()


def test_new_password_ends_other_sessions(world):
    _, client, accounts, _ = world
    accounts.add("rotating", ["reviewer"], PASSWORD)
    client.cookies.clear()
    _login(client, "rotating")
    assert client.get("/api/v1/me").status_code == 200
    accounts.set_password("rotating", "another password")
    _assert_error_shape(client.get("/api/v1/me"), 401)
    client.cookies.clear()


def test_first_login_must_change_password_before_anything_else(world):
    _, client, accounts, _ = world
    once = accounts.add("newcomer", ["investigator"], must_change=True)
    client.cookies.clear()
    r = _login(client, "newcomer", once)
    assert r.status_code == 303 and r.headers["location"] == "/account/password"
    r = client.get("/api/v1/me")
    _assert_error_shape(r, 403)
    assert r.json()["error"]["details"]["reason"] == "password_change_required"
    csrf = _csrf(client)
    r = client.post("/account/password", data={"current": once, "new": "my own password",
                                                "confirm": "my own password", "csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/api/v1/me").json()["name"] == "newcomer"
    client.cookies.clear()


def _login_from(app, address, name, password=PASSWORD, **headers):
    with TestClient(app, client=(address, 40000), headers=headers) as c:
        return _login(c, name, password)


def test_guessing_is_slowed_but_the_right_password_from_elsewhere_gets_in(world):
    """Wrong passwords for one account from one address make that address wait (429, Retry-After),
    growing; the owner with the right password from another address is never held up."""
    app, _, accounts, _ = world
    saved = app.state.login_throttle
    app.state.login_throttle = LoginThrottle(free_pair=3, free_address=100, base=60, max_delay=600)
    try:
        for _ in range(3):
            assert _login_from(app, "203.0.113.7", "u-observer", "wrong password").status_code == 401
        r = _login_from(app, "203.0.113.7", "u-observer")  # even the right password must wait here
        assert r.status_code == 429 and "Wait 60 seconds" in r.text and r.headers["retry-after"] == "60"
        assert _login_from(app, "198.51.100.2", "u-observer").status_code == 303  # the owner, elsewhere
        assert _login_from(app, "203.0.113.7", "u-lab").status_code == 303  # another account, same place
        # Forwarded headers are not believed without trusted_proxies: the guesser cannot hop.
        r = _login_from(app, "203.0.113.7", "u-observer", **{"x-forwarded-for": "192.0.2.55"})
        assert r.status_code == 429
    finally:
        app.state.login_throttle = saved


def test_a_shared_address_locks_out_no_regular_user(world):
    """Spraying many names from one address (a NAT) makes strangers from there wait, not the
    colleagues who have signed in from that address before."""
    app, _, _, _ = world
    saved = app.state.login_throttle
    app.state.login_throttle = LoginThrottle(free_pair=3, free_address=5, base=60)
    try:
        assert _login_from(app, "192.0.2.80", "u-reviewer").status_code == 303  # a regular here
        for i in range(5):
            assert _login_from(app, "192.0.2.80", f"nobody{i}", "wrong password").status_code == 401
        assert _login_from(app, "192.0.2.80", "nobody9", "wrong password").status_code == 429
        assert _login_from(app, "192.0.2.80", "u-custodian").status_code == 429  # never signed in here
        assert _login_from(app, "192.0.2.80", "u-reviewer").status_code == 303  # the regular gets in
        assert _login_from(app, "192.0.2.81", "u-custodian").status_code == 303
    finally:
        app.state.login_throttle = saved


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(tmp_path):
    ws = Workspace.init(tmp_path / "ws")
    (tmp_path / "ws" / "athar.toml").write_text((tmp_path / "ws" / "athar.toml").read_text()
                                               + 'trusted_proxies = ["10.0.0.0/8"]\n')
    ws.close()
    ws = Workspace.open(tmp_path / "ws")
    app = create_app(ws)
    seen = []

    @app.get("/whoami-test")
    def whoami(request: Request) -> dict:
        seen.append((request.client.host, request.url.scheme))
        return {}

    try:
        for peer, forwarded, expected in [
            ("10.1.2.3", "198.51.100.9", ("198.51.100.9", "https")),  # a trusted proxy: believed
            # the right-most address that is not a trusted proxy
            ("10.1.2.3", "6.6.6.6, 198.51.100.9, 10.9.9.9", ("198.51.100.9", "https")),
            ("127.0.0.1", "198.51.100.9", ("127.0.0.1", "http")),  # loopback is not trusted here
            ("203.0.113.5", "10.1.1.1", ("203.0.113.5", "http")),  # nor any other peer
            ("10.1.2.3", "not an address", ("10.1.2.3", "https")),
        ]:
            with TestClient(app, client=(peer, 1)) as c:
                c.get("/whoami-test", headers={"x-forwarded-for": forwarded, "x-forwarded-proto": "https"})
            assert seen.pop() == expected, (peer, forwarded)
    finally:
        ws.close()
