"""Request limits every route shares: the body's size and how long a client may stall sending it.

:class:`BodyLimitMiddleware` (pure ASGI) answers

- **413** when a body is larger than ``max_bytes`` (the ``max_body_bytes``
  setting, 1 MiB by default): at once when ``Content-Length`` says so, before a
  byte is read, or as soon as a body streamed without a length goes past it;
  nothing more of it is read and the connection is closed;
- **408** when the client pauses for more than ``read_timeout`` seconds while
  sending its body (a slow-body attack holds a connection and a worker).

The uploads, :data:`UPLOAD_ROUTES`, have limits of their own (a report's
bounded, declared length; an exhibit's streamed file, hashed as it arrives:
:mod:`athar.http.uploads`) and are exempt from the size limit only, never from
the read timeout. Slow or idle connections before a request's headers are
complete are closed by the server (:mod:`athar.http.server`).
"""

from __future__ import annotations

import json

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["DEFAULT_MAX_BODY_BYTES", "UPLOAD_ROUTES", "BodyLimitMiddleware"]

DEFAULT_MAX_BODY_BYTES = 1 << 20
# (method, path) of the routes that stream uploads under their own limits.
UPLOAD_ROUTES = frozenset({("POST", "/api/v1/exhibits"), ("POST", "/exhibits/upload"),
                           ("POST", "/api/v1/reports"), ("POST", "/reports")})


class _Abort(Exception):
    """Raised into the app from ``receive`` when the body broke a limit."""


def _error(status: int, code: str, message: str, **details: object) -> tuple[Message, Message]:
    body = json.dumps({"error": {"code": code, "message": message, "details": details}}).encode()
    start = {"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close")]}
    return start, {"type": "http.response.body", "body": body}


class BodyLimitMiddleware:
    """Refuse bodies over ``max_bytes`` (413) and clients that stall sending them (408)."""

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES,
                 read_timeout: float = 30.0) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.read_timeout = read_timeout

    def _too_large(self, limit: int) -> tuple[Message, Message]:
        return _error(413, "payload_too_large",
                      f"the request body is over the limit of {limit} bytes: send less, or raise "
                      "the max_body_bytes setting", limit=limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with a ``receive`` that counts and times the body."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        exempt = (scope.get("method"), scope.get("path")) in UPLOAD_ROUTES
        limit = None if exempt else self.max_bytes
        declared = next((v for k, v in scope.get("headers", []) if k.lower() == b"content-length"), None)
        if limit is not None and declared is not None and declared.strip().isdigit() \
                and int(declared) > limit:
            for message in self._too_large(limit):
                await send(message)
            return
        received, done, started = 0, False, False
        failure: tuple[Message, Message] | None = None

        async def limited_receive() -> Message:
            nonlocal received, done, failure
            if done:
                return await receive()
            try:
                with anyio.fail_after(self.read_timeout):
                    message = await receive()
            except TimeoutError:
                failure = _error(408, "request_timeout",
                                 f"the request body stalled for more than {self.read_timeout:g} s: "
                                 "send it again", timeout_s=self.read_timeout)
                raise _Abort from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                done = not message.get("more_body", False)
                if limit is not None and received > limit:
                    failure = self._too_large(limit)
                    raise _Abort
            else:
                done = True
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if failure is not None and not started:
                return  # the app's answer to a broken body is replaced by ours
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except _Abort:
            pass
        except Exception:
            if failure is None:
                raise
        if failure is not None and not started:
            for message in failure:
                await send(message)
