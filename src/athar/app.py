"""The application: ``create_app(workspace)`` assembles the JSON API and the web pages.

This module sits above :mod:`athar.api` and :mod:`athar.web`, which never import
each other: both build on :mod:`athar.http` (authentication, sessions, shared
dependencies and uploads), and only here are their routers put together.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from athar import __version__
from athar.api.docs import install_docs
from athar.api.errors import install_error_handlers
from athar.api.routes import account, cases, custody, intake, ledger
from athar.http.auth import install_auth
from athar.http.limits import BodyLimitMiddleware
from athar.http.proxy import ProxyHeadersMiddleware, parse_networks
from athar.http.security import SecurityHeadersMiddleware
from athar.web import auth_pages, pages
from athar.workspace import Workspace

__all__ = ["create_app"]


def create_app(workspace: Workspace) -> FastAPI:
    """An app serving ``workspace``: JSON API, C2SP tiles and the web pages."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        workspace.log()  # start it: its schema is brought up to date before the first request
        yield
        workspace.close()

    app = FastAPI(title="Athar", version=__version__, docs_url=None, redoc_url=None,
                  swagger_ui_oauth2_redirect_url=None,
                  openapi_url="/api/openapi.json", lifespan=lifespan,
                  description="Attributed claims, signed chain of custody, a verifiable log.")
    app.state.workspace = workspace
    install_error_handlers(app)
    install_docs(app)
    install_auth(app, workspace)

    app.include_router(account.router)
    app.include_router(auth_pages.router)
    app.include_router(ledger.router)
    app.include_router(ledger.public)
    app.include_router(custody.router)
    app.include_router(intake.router)
    app.include_router(cases.router)
    app.include_router(pages.router)
    pages.mount_static(app)
    settings = workspace.settings
    parse_networks(settings.trusted_proxies)  # a mistyped proxy address fails now, not at a request
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes,
                       read_timeout=float(settings.read_timeout_s))
    app.add_middleware(ProxyHeadersMiddleware, trusted=settings.trusted_proxies)
    app.add_middleware(SecurityHeadersMiddleware)  # outermost: every response gets the headers
    return app
