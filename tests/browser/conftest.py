"""Browser tests: Playwright (sync API) driving Debian's chromium, headless and off the network.

Every test here is marked ``browser``. Without ``/usr/bin/chromium`` (or the
``playwright`` package) they skip cleanly, except when ``ATHAR_REQUIRE_BROWSER=1``
(set by ``.ci/run`` whenever chromium is installed): then a missing browser is
an error, so CI can never pass by skipping them.

The app is the real one (``tests/live_server.py``): a fresh workspace served by
uvicorn in a thread on a free loopback port. Each test gets a browser with a
fresh, empty user-data folder. Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import REQUIRE_SERVICES, ROOT

CHROMIUM = Path(os.environ.get("ATHAR_CHROMIUM", "/usr/bin/chromium"))  # Debian's, never a download
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
# Keep chromium off the network: no sync, no component updates, no background fetches, no QUIC.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--no-default-browser-check"]
REQUIRED = os.environ.get("ATHAR_REQUIRE_BROWSER") == "1" or REQUIRE_SERVICES
HERE = Path(__file__).parent

# Users of the shared server (besides the bootstrap admin, whose first login the tests do).
PASSWORD = "correct horse battery"
USERS = {
    "ines": ["investigator"],
    "cato": ["custodian"],
    "lena": ["lab"],
    "rudi": ["reviewer"],
}


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ModuleNotFoundError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    for item in items:
        if Path(str(item.fspath)).parent != HERE:
            continue
        item.add_marker(pytest.mark.browser)
        if reason and not REQUIRED:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def _browser_ready() -> None:
    reason = _missing()
    if reason:
        pytest.fail(f"ATHAR_REQUIRE_BROWSER=1 but {reason}", pytrace=False)


@pytest.fixture(scope="session", autouse=True)
def _fresh_screenshots() -> None:
    """The screenshot folder holds this run's pictures only."""
    if SCREENSHOTS.is_dir():
        for old in SCREENSHOTS.glob("*.png"):
            old.unlink()


@pytest.fixture(scope="session")
def live(_browser_ready, tmp_path_factory):
    """The real app on loopback, with the users of :data:`USERS`; ``live.admin_password`` is
    the bootstrap admin's one-time password (what the first ``athar serve`` prints)."""
    from tests.live_server import live_server

    with live_server(tmp_path_factory.mktemp("browser") / "ws") as server:
        server.admin_password = server.bootstrap_admin()
        for name, roles in USERS.items():
            server.add_user(name, roles, PASSWORD)
        yield server


@pytest.fixture(scope="session")
def playwright_driver(_browser_ready):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture
def page(playwright_driver, tmp_path, request) -> Iterator:
    """A page in a fresh headless chromium (its own empty profile); a screenshot is kept on failure."""
    context = playwright_driver.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 900}, locale="en-GB", timezone_id="UTC",
        accept_downloads=False, service_workers="block")
    context.set_default_timeout(15_000)
    # Loopback only: whatever a page asks of any other host is refused here (and listed).
    blocked: list[str] = []

    def _guard(route) -> None:
        url = route.request.url
        if urlsplit(url).hostname in ("127.0.0.1", "localhost") or not url.startswith(("http:", "https:")):
            route.fallback()
        else:
            blocked.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", _guard)
    pg = context.pages[0] if context.pages else context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.js_errors = errors
    pg.blocked = blocked
    # Whatever the Content-Security-Policy refused on any page of any test (console errors).
    violations: list[str] = []
    pg.on("console", lambda msg: violations.append(f"{pg.url}: {msg.text}")
          if msg.type == "error" and "Content Security Policy" in msg.text else None)
    pg.csp_violations = violations
    try:
        yield pg
        assert not violations, f"the Content-Security-Policy refused something: {violations}"
    finally:
        rep = getattr(request.node, "rep_call", None)
        if rep is not None and rep.failed:
            try:
                shot(pg, f"FAILED-{request.node.name}")
            except Exception:  # noqa: BLE001 - a screenshot must never hide the failure
                pass
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    setattr(item, f"rep_{rep.when}", rep)
    return rep


def shot(pg, name: str) -> Path:
    """Save a full-page screenshot as ``test-artifacts/screenshots/<name>.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / (re.sub(r"[^A-Za-z0-9_.-]+", "_", name) + ".png")
    pg.screenshot(path=str(path), full_page=True)
    return path
