"""Limits every route shares: body size (413) and a stalled body (408) in-process; and, on a real
``athar serve`` server on loopback, connections that trickle headers, stall or idle are cut off."""

from __future__ import annotations

import dataclasses
import json
import socket
import threading
import time

import anyio
import pytest
import uvicorn
from fastapi.testclient import TestClient

from athar.accounts.users import Accounts
from athar.app import create_app
from athar.http.limits import UPLOAD_ROUTES, BodyLimitMiddleware
from athar.http.server import uvicorn_options
from athar.workspace import Workspace
from tests.integration.api.routing import method_routes
from tests.integration.api.test_security_headers import assert_secure_headers
from tests.live_server import HOST, free_port

MIB = 1 << 20


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    ws = Workspace.init(tmp_path_factory.mktemp("limits") / "ws")
    app = create_app(ws)
    with TestClient(app) as client:
        accounts = Accounts(ws.log().db)
        accounts.add("boss", ["admin"], "correct horse battery")
        client.bearer = {"authorization": f"Bearer {accounts.create_token('boss', 'limits')}"}
        yield app, client


def _assert_413(r):
    assert r.status_code == 413, (r.request.url, r.status_code, r.text[:200])
    err = r.json()["error"]
    assert err["code"] == "payload_too_large" and err["details"] == {"limit": MIB}
    assert "max_body_bytes" in err["message"]
    assert_secure_headers(r)


def test_every_route_refuses_a_large_declared_body_before_reading_it(world):
    app, client = world
    big = b"x" * (MIB + 1)
    checked = 0
    for method, route in method_routes(app):
        if method in ("GET", "DELETE") or (method, route.path) in UPLOAD_ROUTES:
            continue
        path = route.path.replace("{path:path}", "0/000").replace("{", "").replace("}", "")
        for headers in ({}, client.bearer):
            _assert_413(client.request(method, path, content=big,
                                       headers={**headers, "content-type": "application/json"}))
            checked += 1
    assert checked >= 16


def test_a_body_streamed_without_a_length_is_cut_at_the_limit(world):
    _, client = world
    sent = []

    def chunks():
        for _ in range(64):  # 4 MiB offered, in 64 KiB pieces
            sent.append(1)
            yield b" " * 65536

    _assert_413(client.post("/api/v1/log/cosignature", content=chunks()))
    _assert_413(client.post("/api/v1/log/append", content=chunks(), headers=client.bearer))


def test_bodies_under_the_limit_and_uploads_pass(world):
    _, client = world
    r = client.post("/api/v1/log/append", content=json.dumps({"x": "y" * (MIB // 2)}),
                    headers={**client.bearer, "content-type": "application/json"})
    assert r.status_code == 422  # read in full and judged on its content
    r = client.post("/api/v1/exhibits", params={"name": "big.bin"}, content=b"\0" * (3 * MIB),
                    headers={**client.bearer, "content-type": "application/octet-stream"})
    assert r.status_code in (200, 201), r.text
    assert {p for _, p in UPLOAD_ROUTES} <= {r.path for _, r in method_routes(world[0])}


def test_a_stalled_body_is_answered_408():
    async def app(scope, receive, send):
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    limited = BodyLimitMiddleware(app, max_bytes=MIB, read_timeout=0.2)
    sent = []

    async def run():
        messages = [{"type": "http.request", "body": b"a", "more_body": True}]

        async def receive():
            if messages:
                return messages.pop()
            await anyio.sleep(5)  # the client stalls

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": "POST", "path": "/api/v1/log/append", "headers": []}
        with anyio.fail_after(3):
            await limited(scope, receive, send)

    # In a thread of its own: an event loop another test left running in this one must not matter.
    worker = threading.Thread(target=anyio.run, args=(run,))
    worker.start()
    worker.join(10)
    assert sent[0]["status"] == 408 and (b"connection", b"close") in sent[0]["headers"]
    assert json.loads(sent[1]["body"])["error"]["code"] == "request_timeout"


@pytest.fixture(scope="module")
def served(world, tmp_path_factory):
    """The app under ``athar serve``'s uvicorn options, with 1 s timeouts."""
    ws = world[0].state.workspace
    saved = ws.settings
    ws.settings = settings = dataclasses.replace(saved, read_timeout_s=1, keep_alive_s=1)
    app = create_app(ws)  # the same workspace, its body read timeout now 1 s
    ws.settings = saved
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host=HOST, port=port, lifespan="off",
                                           **uvicorn_options(settings)))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    yield port
    server.should_exit = True
    thread.join(timeout=10)


def _closed_within(sock: socket.socket, seconds: float) -> tuple[bool, bytes]:
    sock.settimeout(seconds)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
        return True, data
    except TimeoutError:
        return False, data


def test_serve_closes_a_silent_connection(served):
    with socket.create_connection((HOST, served)) as s:
        assert _closed_within(s, 4)[0]


def test_serve_closes_a_connection_trickling_its_headers(served):
    with socket.create_connection((HOST, served)) as s:
        start = time.monotonic()
        s.sendall(b"GET / HTTP/1.1\r\n")
        closed = False
        for _ in range(8):
            try:
                s.sendall(b"X-A: b\r\n")
            except OSError:
                closed = True
                break
            time.sleep(0.4)
        closed = closed or _closed_within(s, 2)[0]
        assert closed and time.monotonic() - start < 4


def test_serve_answers_408_to_a_stalled_body(served):
    with socket.create_connection((HOST, served)) as s:
        s.sendall(b"POST /api/v1/log/cosignature HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                  b"Content-Length: 100\r\n\r\n0123456789")
        closed, data = _closed_within(s, 5)
        assert closed and data.startswith(b"HTTP/1.1 408"), data[:100]


def test_serve_closes_an_idle_keep_alive_connection(served):
    with socket.create_connection((HOST, served)) as s:
        s.sendall(b"GET /checkpoint HTTP/1.1\r\nHost: x\r\n\r\n")
        closed, data = _closed_within(s, 4)
        assert data.startswith(b"HTTP/1.1 200") and closed
        assert b"server: uvicorn" not in data.lower()
