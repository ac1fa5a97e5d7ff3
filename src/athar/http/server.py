"""``athar serve``'s HTTP server: uvicorn with timeouts for clients that send slowly or not at all.

uvicorn closes a keep-alive connection left idle (``timeout_keep_alive``: the
``keep_alive_s`` setting) but not one that trickles its request headers a byte
at a time, or opens and sends nothing: a few hundred such connections hold the
server. :class:`TimedH11Protocol` closes a connection whose request headers are
not complete ``header_timeout`` seconds (the ``read_timeout_s`` setting) after
it opened or after its first byte; a stalled body is answered 408 by
:class:`~athar.http.limits.BodyLimitMiddleware`. uvicorn's own handling of
``X-Forwarded-*`` is off: :mod:`athar.http.proxy` decides whom to believe.
"""

from __future__ import annotations

import asyncio

import h11
from fastapi import FastAPI
from uvicorn.protocols.http.h11_impl import H11Protocol

from athar.config import Settings

__all__ = ["TimedH11Protocol", "run", "uvicorn_options"]


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, closing connections whose request headers take too long."""

    header_timeout = 30.0
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock for the first request's headers."""
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        """Keep the clock running while headers are incomplete; stop it once a request is in."""
        super().data_received(data)
        if self.conn.their_state is h11.IDLE:
            self._arm()
        else:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the clock."""
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def uvicorn_options(settings: Settings) -> dict[str, object]:
    """The uvicorn options of ``athar serve`` for ``settings`` (timeouts, no proxy headers)."""
    protocol = type("AtharH11Protocol", (TimedH11Protocol,),
                    {"header_timeout": float(settings.read_timeout_s)})
    return {"http": protocol, "proxy_headers": False, "server_header": False,
            "timeout_keep_alive": settings.keep_alive_s, "log_level": "warning"}


def run(app: FastAPI, host: str, port: int, settings: Settings) -> None:
    """Serve ``app`` on ``host:port`` until interrupted."""
    import uvicorn

    uvicorn.run(app, host=host, port=port, **uvicorn_options(settings))  # type: ignore[arg-type]
