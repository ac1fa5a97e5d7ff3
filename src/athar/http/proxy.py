"""The client's address and scheme, believing ``X-Forwarded-For``/``-Proto`` only from trusted proxies.

Behind a reverse proxy every request comes from the proxy's address, and the
real client is in ``X-Forwarded-For``. That header is written by whoever sends
the request, so it is believed only when the direct peer is one of the proxies
named in the ``trusted_proxies`` setting (addresses or networks); with the
setting empty (the default) it is ignored, whoever sends it, loopback included.

The client is then the right-most address of ``X-Forwarded-For`` that is not
itself a trusted proxy (what a client wrote to the left of it is not believed),
and ``X-Forwarded-Proto`` (``http``/``https``) from a trusted proxy sets the
scheme, so session cookies are marked Secure behind a TLS-terminating proxy.
``athar serve`` turns uvicorn's own proxy-header handling off: this middleware
is the one place that decides.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from athar.errors import ConfigError

__all__ = ["ProxyHeadersMiddleware", "parse_networks"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """``10.0.0.1``, ``10.0.0.0/8``, ``::1`` ... as networks; ConfigError naming a bad one."""
    out = []
    for value in values:
        try:
            out.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ConfigError(f"trusted_proxies: {value!r} is not an IP address or network "
                              "(e.g. 127.0.0.1 or 10.0.0.0/8)") from None
    return tuple(out)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


class ProxyHeadersMiddleware:
    """Rewrite ``scope["client"]`` and ``scope["scheme"]`` from a trusted proxy's headers."""

    def __init__(self, app: ASGIApp, trusted: Iterable[str] = ()) -> None:
        self.app = app
        self.trusted = parse_networks(trusted)

    def _is_trusted(self, host: str | None) -> bool:
        ip = _ip(host) if host else None
        return ip is not None and any(ip in net for net in self.trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Believe the forwarded headers when the peer is a trusted proxy; drop nothing else."""
        if scope["type"] in ("http", "websocket") and self.trusted:
            client = scope.get("client")
            if client and self._is_trusted(client[0]):
                headers = {k.lower(): v.decode("latin-1") for k, v in scope.get("headers", [])
                           if k.lower() in (b"x-forwarded-for", b"x-forwarded-proto")}
                hops = [h.strip() for h in headers.get(b"x-forwarded-for", "").split(",") if h.strip()]
                for hop in reversed(hops):
                    if _ip(hop) is None:
                        break  # garbage: keep the proxy's own address
                    if not self._is_trusted(hop):
                        scope = {**scope, "client": (str(_ip(hop)), 0)}
                        break
                proto = headers.get(b"x-forwarded-proto", "").split(",")[0].strip().lower()
                if proto in ("http", "https"):
                    scope = {**scope, "scheme": proto if scope["type"] == "http" else
                             {"http": "ws", "https": "wss"}[proto]}
        await self.app(scope, receive, send)
