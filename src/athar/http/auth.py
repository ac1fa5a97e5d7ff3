"""Who is asking, and may they: the ``require_roles`` dependency and the auth wiring.

A request is authenticated by, in order:

1. ``Authorization: Bearer <token>``: an API token (``athar users token``); a
   wrong token is refused (401) rather than treated as anonymous;
2. the signed session cookie set by ``/login``.

Cookie-authenticated requests that change state must prove they come from our
own pages: a form field ``csrf_token`` or an ``X-CSRF-Token`` header equal to the
session's token (403 otherwise). Token-authenticated requests need no CSRF
token, since browsers never send the header on their own.

Roles are checked as given: ``require_roles("investigator", "admin")`` lets an
admin in only because "admin" is listed, so a route can keep admins out.
A user whose password must be changed can use nothing but the password page.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI, Request

from athar.accounts.users import Accounts, User
from athar.errors import AuthError, Forbidden
from athar.http.sessions import SessionMiddleware, get_session, load_session_key
from athar.http.throttle import LoginThrottle
from athar.identity import ROLES
from athar.workspace import Workspace

__all__ = ["CSRF_FIELD", "CSRF_HEADER", "check_csrf", "current_user", "get_accounts", "install_auth",
           "require_roles"]

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


def install_auth(app: FastAPI, workspace: Workspace) -> None:
    """Attach accounts, the login throttle and the session middleware to ``app``."""
    s = workspace.settings
    app.state.accounts = None
    app.state.login_throttle = LoginThrottle(free_pair=s.login_free_failures,
                                             free_address=s.login_free_failures_per_address,
                                             max_delay=float(s.login_max_delay_s))
    app.add_middleware(SessionMiddleware, key=load_session_key(workspace.home))


def get_accounts(request: Request) -> Accounts:
    """The app's accounts (tables created on first use)."""
    accounts: Accounts | None = request.app.state.accounts
    if accounts is None:
        accounts = Accounts(request.app.state.workspace.log().db)
        request.app.state.accounts = accounts
    return accounts


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("the Authorization header must be `Bearer <token>`")
    return token.strip()


def current_user(request: Request) -> User | None:
    """The user making this request, None when anonymous; AuthError for a bad token."""
    cached = request.scope.get("athar.user", False)
    if cached is not False:
        return cached  # type: ignore[no-any-return]
    accounts = get_accounts(request)
    token = _bearer(request)
    user: User | None
    if token is not None:
        user = accounts.user_for_token(token)
        if user is None:
            raise AuthError("this API token is not valid: create one with `athar users token`")
        request.scope["athar.via"] = "token"
    else:
        session = get_session(request)
        sid = session.session_id
        user = accounts.session_user(sid) if sid and session.user_name else None
        if user is not None and user.name != session.user_name:
            user = None
        request.scope["athar.via"] = "session" if user else None
    request.scope["athar.user"] = user
    return user


async def check_csrf(request: Request) -> None:
    """Refuse (403) an unsafe request whose CSRF token does not match the session's."""
    if request.method in _SAFE:
        return
    token = request.headers.get(CSRF_HEADER)
    if token is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        token = value if isinstance(value, str) else None
    if not get_session(request).check_csrf(token):
        raise Forbidden("the form has expired or did not come from this site: reload it and retry",
                        reason="csrf")


def require_roles(*roles: str) -> Callable[..., object]:
    """A dependency letting in users holding one of ``roles`` (any logged-in user when none).

    It returns the :class:`User`: ``user: Annotated[User, Depends(require_roles("lab"))]``.
    Anonymous: 401; logged in without the role: 403; session without CSRF token on
    a state-changing request: 403.
    """
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValueError(f"unknown role {unknown[0]!r}")
    wanted = frozenset(roles)

    async def dependency(request: Request) -> User:
        from starlette.concurrency import run_in_threadpool

        user = await run_in_threadpool(current_user, request)
        if user is None:
            raise AuthError("log in, or send an API token as `Authorization: Bearer ...`")
        if request.scope.get("athar.via") == "session":
            if user.must_change:
                raise Forbidden("change your password first, at /account/password",
                                reason="password_change_required")
            await check_csrf(request)
        if wanted and not user.has_any(wanted):
            raise Forbidden(f"this needs one of the roles: {', '.join(sorted(wanted))}",
                            roles=sorted(wanted))
        return user

    dependency.__name__ = "require_" + ("_".join(sorted(wanted)) or "login")
    dependency.athar_roles = wanted  # type: ignore[attr-defined]  # read by the role-matrix test
    return dependency
