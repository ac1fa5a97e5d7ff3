"""The real app served by uvicorn in a thread on a free loopback port (browser and schemathesis tests).

``live_server(home)`` initialises a workspace in ``home``, builds the app with
:func:`athar.app.create_app`, serves it on ``127.0.0.1:<free port>`` and
yields a :class:`LiveServer` with its base URL, workspace and accounts; leaving
the ``with`` block stops uvicorn (which closes the workspace through the app's
lifespan). Nothing listens on any address but loopback.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from athar.accounts.actor_keys import add_user, bootstrap_admin
from athar.accounts.users import Accounts
from athar.app import create_app
from athar.workspace import Workspace

__all__ = ["LiveServer", "free_port", "live_server"]

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    """A running app: where it listens and what it serves."""

    url: str
    app: FastAPI
    ws: Workspace
    accounts: Accounts

    def has_page(self, path: str) -> bool:
        """True when the app routes ``path`` (a concrete path, e.g. ``/exhibits/X-1``): asked
        anonymously, a missing route answers the router's bare 404 "Not Found", while a
        present one asks for a login (or answers, or says that *its* item is missing)."""
        r = httpx.get(self.url + path, headers={"accept": "text/html"}, follow_redirects=False, timeout=10)
        if r.status_code != 404:
            return True
        try:
            return bool(r.json()["error"]["message"] != "Not Found")
        except (ValueError, KeyError, TypeError):
            return True

    def add_user(self, name: str, roles: list[str], password: str) -> None:
        """Create a user as ``athar users add`` does (with an actor key for custody roles, when
        this build links web users to custody actors)."""
        add_user(self.ws, name, roles, password)

    def bootstrap_admin(self) -> str | None:
        """What the first ``athar serve`` does: create ``admin``; its one-time password."""
        return bootstrap_admin(self.ws)

    def token(self, name: str) -> str:
        """A fresh API token for ``name``."""
        return self.accounts.create_token(name, "tests")


@contextmanager
def live_server(home: Path, *, database_url: str | None = None) -> Iterator[LiveServer]:
    """Serve a fresh workspace in ``home`` until the block ends."""
    ws = Workspace.init(home, database_url=database_url)
    app = create_app(ws)
    port = free_port()
    config = uvicorn.Config(app, host=HOST, port=port, log_level="warning", lifespan="on", ws="none",
                            access_log=False, timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    url = f"http://{HOST}:{port}"
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"uvicorn did not start on {url}")
        time.sleep(0.02)
    httpx.get(url + "/api/v1/log/checkpoint", timeout=10).raise_for_status()
    try:
        yield LiveServer(url, app, ws, Accounts(ws.log().db))
    finally:
        server.should_exit = True
        thread.join(timeout=15)
