"""Signed session cookies with their CSRF token.

The session lives in one cookie, ``athar_session``: base64url JSON (``u`` user,
``s`` the id of the server-side session begun at login, which logout, a new
password or a disabled account ends — :mod:`athar.accounts.sessions` —, ``c``
the CSRF token, ``t`` when it was issued) followed by an
HMAC-SHA256 over it with the workspace's ``session.key`` (32 random bytes, mode
0600, made on first use). The cookie is HttpOnly, SameSite=Lax, and Secure when
the request came over https; it expires after :data:`MAX_AGE` seconds.

:class:`SessionMiddleware` reads the cookie into ``scope["athar.session"]`` and
writes it back only when the session changed, so plain API calls carry no cookie.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from pathlib import Path
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from athar.workspace import load_or_create_secret

__all__ = ["MAX_AGE", "SESSION_COOKIE", "Session", "SessionMiddleware", "get_session",
           "load_session_key"]

SESSION_COOKIE = "athar_session"
SESSION_KEY = "session.key"
MAX_AGE = 12 * 3600


def load_session_key(home: Path) -> bytes:
    """The workspace's session secret, created (mode 0600) when missing."""
    return load_or_create_secret(home / SESSION_KEY, "signing session cookies")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Session:
    """One browser's session: who is logged in, and the CSRF token of its forms."""

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        self.data: dict[str, Any] = data or {}
        self.dirty = False

    @property
    def user_name(self) -> str | None:
        """The logged-in user's name, or None."""
        name = self.data.get("u")
        return name if isinstance(name, str) else None

    @property
    def session_id(self) -> str | None:
        """The id of the server-side session (:mod:`athar.accounts.sessions`) begun at login."""
        sid = self.data.get("s")
        return sid if isinstance(sid, str) else None

    def csrf_token(self) -> str:
        """This session's CSRF token, made on first use."""
        token = self.data.get("c")
        if not isinstance(token, str):
            token = secrets.token_urlsafe(24)
            self.data = {**self.data, "c": token, "t": int(time.time())}
            self.dirty = True
        return token

    def check_csrf(self, token: str | None) -> bool:
        """True when ``token`` is this session's CSRF token."""
        expected = self.data.get("c")
        return bool(token) and isinstance(expected, str) and hmac.compare_digest(expected, str(token))

    def login(self, user_name: str, session_id: str) -> None:
        """Start a fresh session for ``user_name`` (new CSRF token: no fixation)."""
        self.data = {"u": user_name, "s": session_id, "c": secrets.token_urlsafe(24),
                     "t": int(time.time())}
        self.dirty = True

    def logout(self) -> None:
        """Forget the user; the next form gets a new CSRF token."""
        self.data = {}
        self.dirty = True


class _Signer:
    def __init__(self, key: bytes) -> None:
        self._key = hashlib.sha256(b"athar-session\0" + key).digest()

    def dumps(self, data: dict[str, Any]) -> str:
        payload = _b64(json.dumps(data, separators=(",", ":"), sort_keys=True).encode())
        return payload + "." + _b64(hmac.new(self._key, payload.encode(), "sha256").digest())

    def loads(self, value: str) -> dict[str, Any] | None:
        payload, _, sig = value.partition(".")
        expected = _b64(hmac.new(self._key, payload.encode(), "sha256").digest())
        if not sig or not hmac.compare_digest(sig, expected):
            return None
        try:
            data = json.loads(_unb64(payload))
        except (ValueError, binascii.Error):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("t"), int):
            return None
        if not 0 <= time.time() - data["t"] <= MAX_AGE:
            return None
        return data


def get_session(conn: HTTPConnection) -> Session:
    """The session of this request (an empty one outside the middleware)."""
    session = conn.scope.get("athar.session")
    if session is None:
        session = conn.scope["athar.session"] = Session()
    return session


class SessionMiddleware:
    """Pure ASGI middleware: cookie in, ``scope["athar.session"]``, cookie out when changed."""

    def __init__(self, app: ASGIApp, key: bytes) -> None:
        self.app = app
        self._signer = _Signer(key)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Attach the session to HTTP requests and send it back if it changed."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = HTTPConnection(scope).cookies.get(SESSION_COOKIE)
        data = self._signer.loads(raw) if raw else None
        session = Session(data)
        scope["athar.session"] = session
        secure = scope.get("scheme") == "https"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and session.dirty:
                headers = MutableHeaders(scope=message)
                if session.data:
                    value, age = self._signer.dumps(session.data), MAX_AGE
                else:
                    value, age = "", 0
                cookie = (f"{SESSION_COOKIE}={value}; Path=/; Max-Age={age}; HttpOnly; SameSite=Lax"
                          + ("; Secure" if secure else ""))
                headers.append("set-cookie", cookie)
                headers.append("cache-control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_cookie)
