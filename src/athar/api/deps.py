"""FastAPI dependencies shared by the routers."""

from __future__ import annotations

from fastapi import Request

from athar.store.log import Log
from athar.workspace import Workspace

__all__ = ["get_log", "get_workspace"]


def get_workspace(request: Request) -> Workspace:
    """The workspace the app serves."""
    ws: Workspace = request.app.state.workspace
    return ws


def get_log(request: Request) -> Log:
    """The workspace's log."""
    return get_workspace(request).log()
