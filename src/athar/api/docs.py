"""OpenAPI documentation served entirely from the app (Swagger UI from a PyPI package).

FastAPI's default page loads Swagger UI from a CDN: blank without a network,
and it tells a third party who reads the docs. Here the assets come from the
``swagger-ui-bundle-v2`` wheel (Swagger UI 5, which reads OpenAPI 3.1), mounted at ``/static/swagger``.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["DOCS_URL", "install_docs"]

DOCS_URL = "/api/docs"
_ASSETS = "/static/swagger"


def install_docs(app: FastAPI) -> None:
    """Serve Swagger UI for ``app.openapi_url`` at ``/api/docs`` with local assets only."""
    import swagger_ui_bundle

    app.mount(_ASSETS, StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="swagger")

    @app.get(DOCS_URL, include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/api/openapi.json",
            title=f"{app.title} API",
            swagger_js_url=f"{_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{_ASSETS}/favicon-32x32.png",
        )
