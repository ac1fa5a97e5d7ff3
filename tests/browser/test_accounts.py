"""Signing in (the admin's forced first password change included) and the Arabic interface."""

from __future__ import annotations

import re

from tests.browser.conftest import PASSWORD, shot
from tests.browser.flows import assert_arabic_font, login


def test_admin_first_login_must_choose_a_password(page, live):
    """The first `athar serve` creates `admin` with a one-time password that must be replaced."""
    assert live.admin_password, "bootstrap_admin made no admin: the workspace already had users"
    page.goto(live.url + "/login")
    shot(page, "01-login")
    page.fill("#login-form input[name=name]", "admin")
    page.fill("#login-form input[name=password]", live.admin_password)
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/account/password")
    assert page.locator("#password-form").is_visible()
    assert page.locator(".notice").is_visible()  # "Choose your own password before you continue."
    shot(page, "02-forced-password-change")

    # Until then nothing but the password page is open to the admin.
    r = page.request.get(live.url + "/api/v1/me")
    assert r.status in (401, 403), r.text()

    page.fill("#password-form input[name=current]", live.admin_password)
    page.fill("#password-form input[name=new]", "short")
    page.fill("#password-form input[name=confirm]", "short")
    # minlength=8 keeps the browser from submitting; the page stays.
    page.click("#password-form button[type=submit]")
    assert page.url.endswith("/account/password")

    new = "the admin's own password"
    page.fill("#password-form input[name=new]", new)
    page.fill("#password-form input[name=confirm]", new)
    page.click("#password-form button[type=submit]")
    page.wait_for_url(live.url + "/")
    assert "admin" in page.locator("#current-user").inner_text()
    me = page.request.get(live.url + "/api/v1/me")
    assert me.ok and me.json()["name"] == "admin"
    shot(page, "03-admin-signed-in")

    # The one-time password is spent: it no longer signs in.
    page.context.clear_cookies()
    page.goto(live.url + "/login")
    page.fill("#login-form input[name=name]", "admin")
    page.fill("#login-form input[name=password]", live.admin_password)
    page.click("#login-form button[type=submit]")
    assert page.locator("#login-error").is_visible()
    live.admin_password_now = new


def test_wrong_password_is_refused(page, live):
    page.goto(live.url + "/login")
    page.fill("#login-form input[name=name]", "ines")
    page.fill("#login-form input[name=password]", "not the password")
    page.click("#login-form button[type=submit]")
    assert page.locator("#login-error").is_visible()
    assert page.locator("#current-user").count() == 0


def test_arabic_interface_is_right_to_left_in_the_bundled_font(page, live):
    login(page, live, "ines", PASSWORD)
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "ltr"
    page.click("#language-switch button[value=ar]")
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # The header lays out from the right: the brand sits right of the navigation.
    brand = page.locator(".brand").bounding_box()
    nav = page.locator("header nav").bounding_box()
    assert brand["x"] > nav["x"], (brand, nav)
    # The interface text is Arabic, in the Arabic face served from the installed font package.
    footer = page.locator("footer").inner_text()
    assert any("\u0600" <= ch <= "\u06ff" for ch in footer), footer
    assert_arabic_font(page, "footer", live.url)
    shot(page, "04-arabic-interface")

    # And back to English, left to right.
    page.click("#language-switch button[value=en]")
    page.wait_for_load_state("load")
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "ltr"
    assert not page.js_errors, page.js_errors



def test_first_athar_serve_prints_the_password_a_new_user_logs_in_with(page, tmp_path):
    """What `make run` does: `athar init --if-missing`, then `athar serve`, which prints the admin's
    one-time password; the new user signs in with it and must choose their own."""
    import os
    import subprocess
    import sys
    import time

    import httpx

    from tests.live_server import free_port

    home, port = tmp_path / "athar-data", free_port()
    env = {**os.environ, "ATHAR_HOME": str(home), "COLUMNS": "200"}
    cli = [sys.executable, "-c", "import sys; from athar.cli import main; sys.argv[0] = 'athar'; main()"]
    subprocess.run([*cli, "init", "--if-missing"], env=env, check=True, capture_output=True)
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen([*cli, "serve", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                if httpx.get(url + "/login", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "athar serve did not start"
            time.sleep(0.1)
        printed = (tmp_path / "serve.log").read_text()
        found = re.search(r"created user admin; one-time password: (\S+)", printed)
        assert found, printed
        page.goto(url + "/login")
        page.fill("#login-form input[name=name]", "admin")
        page.fill("#login-form input[name=password]", found.group(1))
        page.click("#login-form button[type=submit]")
        page.wait_for_url(url + "/account/password")
        page.fill("#password-form input[name=current]", found.group(1))
        page.fill("#password-form input[name=new]", "my own admin password")
        page.fill("#password-form input[name=confirm]", "my own admin password")
        page.click("#password-form button[type=submit]")
        page.wait_for_url(url + "/")
        assert "admin" in page.locator("#current-user").inner_text()
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_api_docs_render_offline(page, live, request):
    """/api/docs (Swagger UI) must draw the API's operations with nothing from the network."""
    import httpx

    html = httpx.get(live.url + "/api/docs", timeout=10).text
    assert not re.search(r'(src|href)="https?://(?!127\.0\.0\.1|localhost)', html), \
        "/api/docs must load Swagger UI from the app, not from a CDN"
    page.goto(live.url + "/api/docs")
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert page.locator(".swagger-ui .opblock").count() >= 10
    assert not page.blocked, page.blocked
    shot(page, "19-api-docs")
