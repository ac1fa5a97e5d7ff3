"""Steps the browser tests share: signing in, checking the Arabic font, API calls as a user."""

from __future__ import annotations


def login(page, live, name: str, password: str, next_path: str = "/") -> None:
    """Sign in through the login form and land on ``next_path``."""
    page.goto(f"{live.url}/login?next={next_path}")
    page.fill("#login-form input[name=name]", name)
    page.fill("#login-form input[name=password]", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(live.url + next_path)
    assert name in page.locator("#current-user").inner_text()


def assert_arabic_font(page, selector: str, origin: str) -> None:
    """The element's first font family is the bundled Arabic face and that face has loaded,
    from the app itself (``origin``): never a system font or one from the network."""
    family = page.eval_on_selector(selector, "el => getComputedStyle(el).fontFamily")
    assert family.split(",")[0].strip().strip('"') == "Athar Arabic", family
    status = page.evaluate("""async () => {
        await document.fonts.ready;
        const faces = [...document.fonts].filter(f => f.family.replace(/"/g, '') === 'Athar Arabic');
        await Promise.all(faces.map(f => f.status === 'unloaded' ? f.load() : f.loaded));
        return faces.map(f => f.status);
    }""")
    assert status and all(s == "loaded" for s in status), status
    fonts = page.evaluate("""performance.getEntriesByType('resource')
        .filter(e => /\\.(ttf|woff2?|otf)(\\?|$)/.test(e.name)).map(e => e.name)""")
    assert fonts and all(f.startswith(origin + "/") for f in fonts), fonts
