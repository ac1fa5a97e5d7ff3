"""FastAPI dependencies shared by the routers."""

from __future__ import annotations

from fastapi import Request

from athar.api.auth import current_user, require_roles
from athar.store.log import Log
from athar.web.accounts import User
from athar.workspace import Workspace

__all__ = ["User", "current_user", "get_log", "get_workspace", "require_roles"]


def get_workspace(request: Request) -> Workspace:
    """The workspace the app serves."""
    ws: Workspace = request.app.state.workspace
    return ws


def get_log(request: Request) -> Log:
    """The workspace's log."""
    return get_workspace(request).log()
