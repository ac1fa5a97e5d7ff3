"""The logged-in user's API tokens: list them, make one with a label and a lifetime, revoke one.

The same tokens as ``athar users token`` and ``/api/v1/me/tokens``
(:mod:`athar.accounts.tokens`). A new token is shown once, in the answer to the
form that made it (never in a URL, never cached); afterwards only its id, dates
and label are. Every form carries the session's CSRF token.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from athar.accounts.tokens import DEFAULT_DAYS, MAX_DAYS
from athar.accounts.users import User
from athar.errors import ConfigError, NotFound
from athar.http.auth import get_accounts, require_roles
from athar.web import i18n
from athar.web.templating import templates

__all__ = ["LIFETIMES", "make_token", "revoke_token", "router", "tokens_page"]

router = APIRouter(include_in_schema=False)
LoggedIn = Annotated[User, Depends(require_roles())]
LIFETIMES = (7, 30, DEFAULT_DAYS, 180, MAX_DAYS)


def _page(request: Request, user: User, *, new_token: str = "", error: str = "",
          status: int = 200) -> HTMLResponse:
    tokens = get_accounts(request).tokens.list(user.name)
    response = templates.TemplateResponse(request, "account_tokens.html", {
        "tokens": tokens, "new_token": new_token, "error": error, "lifetimes": LIFETIMES,
        "default_days": DEFAULT_DAYS, "max_days": MAX_DAYS}, status_code=status)
    response.headers["cache-control"] = "no-store"
    return response


@router.get("/account/tokens", response_class=HTMLResponse)
def tokens_page(request: Request, user: LoggedIn) -> HTMLResponse:
    """The user's tokens, newest first, with the form to make one."""
    return _page(request, user)


@router.post("/account/tokens", response_class=HTMLResponse)
def make_token(request: Request, user: LoggedIn, label: Annotated[str, Form(max_length=200)] = "",
               days: Annotated[int, Form()] = DEFAULT_DAYS) -> HTMLResponse:
    """Make a token and show it, this once."""
    _ = i18n.translations(i18n.language_of(request)).gettext
    try:
        token = get_accounts(request).create_token(user.name, label.strip(), days)
    except ConfigError:
        return _page(request, user, error=_("A token lives from 1 to %(max)s days.") % {"max": MAX_DAYS},
                     status=400)
    return _page(request, user, new_token=token, status=201)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(request: Request, token_id: str, user: LoggedIn) -> RedirectResponse:
    """Revoke one of the user's own tokens (another user's id is not found)."""
    try:
        get_accounts(request).tokens.revoke(user.name, token_id)
    except NotFound:
        raise NotFound("you have no active token with that id: reload the page") from None
    return RedirectResponse("/account/tokens?revoked=" + token_id, status_code=303)
