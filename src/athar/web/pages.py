"""Server-rendered pages (Jinja2)."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from athar.errors import AuthError
from athar.http.auth import current_user
from athar.http.deps import get_workspace
from athar.web import pages_account, pages_cases, pages_custody, pages_incidents, pages_intake, pages_log
from athar.web.templating import templates
from athar.workspace import Workspace

__all__ = ["mount_static", "router", "templates"]

HERE = Path(__file__).parent
router = APIRouter(include_in_schema=False)
for _pages in (pages_intake, pages_incidents, pages_custody, pages_log, pages_account, pages_cases):
    router.include_router(_pages.router)


def mount_static(app: FastAPI) -> None:
    """Serve the bundled static assets at /static (Leaflet from the xstatic-leaflet package)."""
    pages_incidents.mount_leaflet(app)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")


@router.get("/", response_class=HTMLResponse)
def home(request: Request, ws: Annotated[Workspace, Depends(get_workspace)]) -> HTMLResponse:
    """Signed in: the work (my cases and what waits in each); anyone else: the log's overview
    (size, latest checkpoint, verifier key and API links)."""
    try:
        user = current_user(request)
    except AuthError:
        user = None
    if user is not None and not user.must_change:
        return pages_cases.work_home(request, ws, user)
    log = ws.log()
    cp = log.latest_checkpoint()
    return templates.TemplateResponse(request, "home.html", {
        "size": log.size(),
        "checkpoint": cp,
        "root_b64": base64.b64encode(cp.checkpoint.root_hash).decode(),
        "vkey": ws.vkey,
        "recent": log.checkpoints(10),
    })
