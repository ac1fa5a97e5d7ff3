"""Pages for signing in and out, changing one's password and switching language.

Every form carries the session's CSRF token in a hidden ``csrf_token`` field and
every POST here checks it (403 in the JSON error shape when it is wrong). Failed
logins slow further tries down per (user name, address) and per address (see
:class:`~athar.http.throttle.LoginThrottle`): a try that comes too soon is answered
429 with ``Retry-After`` and the number of seconds to wait, without its password
being looked at; the right password from another address is never held up.
"""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from athar.accounts.users import User
from athar.errors import AuthError, ConfigError, Forbidden, NotFound, RateLimited
from athar.http.auth import current_user, get_accounts
from athar.http.sessions import get_session
from athar.web import i18n
from athar.web.templating import templates

__all__ = ["POLICY_MESSAGES", "arabic_font", "change_password", "login", "login_form", "logout",
           "password_form", "router", "switch_language"]

router = APIRouter(include_in_schema=False)
FormStr = Annotated[str, Form()]
CsrfField = Annotated[str, Form()]  # defaults to "": a missing token is a 403, not a 422
_FONT_NAME = "noto-sans-arabic.ttf"
# What the password policy (athar.accounts.passwords) refused, by its reason, in the page's language.
POLICY_MESSAGES = {
    "too_short": i18n.lazy_gettext(
        "The new password is too short: use at least 10 characters, such as a few unrelated words."),
    "too_long": i18n.lazy_gettext("The new password is too long: use at most 1024 characters."),
    "blank": i18n.lazy_gettext("The new password cannot be only spaces: use a few unrelated words."),
    "repetitive": i18n.lazy_gettext(
        "The new password repeats too few characters: choose one with more different characters."),
    "one_kind": i18n.lazy_gettext(
        "The new password has only one kind of character (only digits, or only letters): make it "
        "at least 16 characters long, or mix letters, digits and symbols."),
    "common": i18n.lazy_gettext(
        "The new password is on the list of common passwords that attackers try first: choose "
        "another, such as a few unrelated words."),
    "contains_name": i18n.lazy_gettext(
        "Your user name does not count in the new password: add at least 10 other characters."),
    "guessable": i18n.lazy_gettext(
        "The new password is too easy to guess (a pattern, a date or a common word in disguise): "
        "add another unrelated word."),
}


def _safe_next(target: str | None) -> str:
    """A local path to go back to; anything else (other hosts, schemes) becomes ``/``."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target


def _require_csrf(request: Request, token: str) -> None:
    if not get_session(request).check_csrf(token):
        raise Forbidden("the form has expired or did not come from this site: reload it and retry",
                        reason="csrf")


def _login_page(request: Request, next_url: str, error: str = "", status: int = 200,
                name: str = "") -> HTMLResponse:
    return templates.TemplateResponse(request, "login.html", {
        "next": _safe_next(next_url), "error": error, "name": name}, status_code=status)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> HTMLResponse:  # noqa: A002
    """The sign-in form."""
    return _login_page(request, next)


@router.post("/login")
def login(request: Request, name: FormStr, password: FormStr, csrf_token: CsrfField = "",
          next: Annotated[str, Form()] = "/") -> Response:  # noqa: A002
    """Check the password (rate-limited), start a session and go back where the user was."""
    _require_csrf(request, csrf_token)
    accounts = get_accounts(request)
    throttle = request.app.state.login_throttle
    address = request.client.host if request.client else "unknown"
    name = name.strip().lower()
    _ = i18n.translations(i18n.language_of(request)).gettext
    try:
        throttle.check(name, address)
    except RateLimited as exc:
        wait = int(exc.details["retry_after_s"])
        page = _login_page(request, next, _("Too many failed attempts from here. Wait %(s)s seconds "
                                            "and try again.") % {"s": wait}, 429, name)
        page.headers["retry-after"] = str(wait)
        return page
    try:
        user = accounts.authenticate(name, password)
    except AuthError:
        throttle.failed(name, address)
        return _login_page(request, next, _("Wrong user name or password."), 401, name)
    throttle.succeeded(name, address)
    get_session(request).login(user.name, accounts.sessions.start(user.name))
    target = "/account/password" if user.must_change else _safe_next(next)
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
def logout(request: Request, csrf_token: CsrfField = "") -> RedirectResponse:
    """End the session, on the server too: a copy of the cookie no longer works."""
    _require_csrf(request, csrf_token)
    session = get_session(request)
    if session.session_id:
        get_accounts(request).sessions.end(session.session_id)
    session.logout()
    return RedirectResponse("/", status_code=303)


def _logged_in(request: Request) -> User:
    """Any logged-in user, even one who must change their password first (401 otherwise)."""
    user = current_user(request)
    if user is None:
        raise AuthError("log in first")
    return user


LoggedIn = Annotated[User, Depends(_logged_in)]


@router.get("/account/password", response_class=HTMLResponse)
def password_form(request: Request, user: LoggedIn) -> HTMLResponse:
    """The form to change one's password (required after the first login)."""
    return templates.TemplateResponse(request, "password.html", {"error": ""})


@router.post("/account/password")
def change_password(request: Request, user: LoggedIn, current: FormStr, new: FormStr, confirm: FormStr,
                    csrf_token: CsrfField = "") -> Response:
    """Replace the password after checking the current one (wrong ones are throttled as logins are).

    Every other session and every API token of the user end with the old
    password; this browser gets a new session.
    """
    _require_csrf(request, csrf_token)
    accounts = get_accounts(request)
    throttle = request.app.state.login_throttle
    address = request.client.host if request.client else "unknown"
    _ = i18n.translations(i18n.language_of(request)).gettext
    error = ""
    try:  # a stolen session must not become a way to guess the password unhindered
        throttle.check(user.name, address)
    except RateLimited as exc:
        wait = int(exc.details["retry_after_s"])
        page = templates.TemplateResponse(request, "password.html", {"error": _(
            "Too many failed attempts from here. Wait %(s)s seconds and try again.") % {"s": wait}},
            status_code=429)
        page.headers["retry-after"] = str(wait)
        return page
    try:
        accounts.authenticate(user.name, current)
    except AuthError:
        throttle.failed(user.name, address)
        error = _("The current password is wrong.")
    if not error and new != confirm:
        error = _("The two new passwords differ.")
    if not error and new == current:
        error = _("Choose a password different from the current one.")
    if not error:
        try:
            accounts.set_password(user.name, new)
        except ConfigError as exc:
            i18n.activate(i18n.language_of(request))
            error = str(POLICY_MESSAGES.get(str(exc.details.get("reason")), exc.message))
    if error:
        return templates.TemplateResponse(request, "password.html", {"error": error}, status_code=400)
    get_session(request).login(user.name, accounts.sessions.start(user.name))
    return RedirectResponse("/", status_code=303)


@router.post("/lang")
def switch_language(request: Request, lang: FormStr, csrf_token: CsrfField = "",
                    next: Annotated[str, Form()] = "/") -> RedirectResponse:  # noqa: A002
    """Remember the interface language in a cookie and go back."""
    _require_csrf(request, csrf_token)
    response = RedirectResponse(_safe_next(next), status_code=303)
    if lang in i18n.LANGUAGES:
        response.set_cookie(i18n.LANG_COOKIE, lang, max_age=365 * 86400, httponly=True, samesite="lax",
                            secure=request.url.scheme == "https")
    return response


@router.get(f"/static/fonts/{_FONT_NAME}")
async def arabic_font() -> FileResponse:
    """Noto Sans Arabic, from the installed ``fontpkg-noto-sans-arabic`` package (never the network)."""
    try:
        import fontpkg_noto_sans_arabic as font
    except ModuleNotFoundError:
        raise NotFound("the Arabic font package is not installed: pip install fontpkg-noto-sans-arabic"
                       ) from None
    files = await anyio.to_thread.run_sync(lambda: sorted((font.ROOT / "files").glob("*.ttf")))
    if not files:
        raise NotFound("the Arabic font package holds no font file")
    return FileResponse(files[0], media_type="font/ttf",
                        headers={"Cache-Control": "public, max-age=86400"})
