"""Security headers on every response: a Content-Security-Policy without inline script, and friends.

:class:`SecurityHeadersMiddleware` (pure ASGI, so it sees every response the
app sends, errors and static files included) adds:

- ``Content-Security-Policy``: scripts, styles, fonts, images and fetches from
  this origin only; no inline script, no inline style, no ``eval``, no plugins;
  forms post only here; ``frame-ancestors 'none'`` (no page can be framed, so
  no clickjacking); ``base-uri 'none'``. The API documentation (Swagger UI)
  works under the same policy: its page starts Swagger UI from a script file
  (:mod:`athar.api.docs`), and the browser tests open it and check that
  nothing was refused;
- ``X-Content-Type-Options: nosniff``: a browser never runs an uploaded text as
  a script or style;
- ``Referrer-Policy: no-referrer``: following a link to an outlet tells it
  nothing of the case being read;
- ``X-Frame-Options: DENY`` for browsers that predate ``frame-ancestors``;
- ``Cross-Origin-Opener-Policy: same-origin`` and a ``Permissions-Policy``
  turning off what no page uses;
- ``Strict-Transport-Security`` when the request came over https.

A header a route set itself is left as it is. A route that fails with an
unexpected exception still answers 500 in the API's JSON error shape with these
headers (the exception then goes on to be logged).
"""

from __future__ import annotations

import json

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CSP", "SECURITY_HEADERS", "SecurityHeadersMiddleware"]

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
       "img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
_HSTS = "max-age=31536000"


class SecurityHeadersMiddleware:
    """Add the security headers to every HTTP response of the wrapped app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to its response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in (("content-security-policy", CSP), *SECURITY_HEADERS.items()):
                    if name not in headers:
                        headers[name] = value
                if https and "strict-transport-security" not in headers:
                    headers["strict-transport-security"] = _HSTS
            await send(message)

        started = False

        async def send_tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send_with_headers(message)

        try:
            await self.app(scope, receive, send_tracking)
        except Exception:
            if not started:
                body = json.dumps({"error": {"code": "internal_error", "details": {},
                                             "message": "the server failed: see its log"}}).encode()
                await send_with_headers({"type": "http.response.start", "status": 500, "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
            raise
