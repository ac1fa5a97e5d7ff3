"""OpenAPI documentation served entirely from the app (Swagger UI from a PyPI package).

FastAPI's default page loads Swagger UI from a CDN: blank without a network,
and it tells a third party who reads the docs. Here the assets come from the
``swagger-ui-bundle-v2`` wheel (Swagger UI 5, which reads OpenAPI 3.1), mounted at ``/static/swagger``.
The page has no inline script (the Content-Security-Policy forbids it): Swagger
UI is started by ``/api/docs/init.js``, which reads the document's URL from the
page.
"""

from __future__ import annotations

import html

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

__all__ = ["DOCS_URL", "install_docs"]

DOCS_URL = "/api/docs"
_ASSETS = "/static/swagger"
_INIT = """"use strict";
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-openapi"), dom_id: "#swagger-ui", layout: "BaseLayout",
    deepLinking: true, showExtensions: true, showCommonExtensions: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]
  });
});
"""


def install_docs(app: FastAPI) -> None:
    """Serve Swagger UI for ``app.openapi_url`` at ``/api/docs`` with local assets only."""
    import swagger_ui_bundle

    app.mount(_ASSETS, StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="swagger")

    @app.get(DOCS_URL, include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        openapi = html.escape(app.openapi_url or "/api/openapi.json")
        return HTMLResponse(f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(app.title)} API</title>
<link rel="stylesheet" href="{_ASSETS}/swagger-ui.css">
<link rel="icon" href="{_ASSETS}/favicon-32x32.png">
<script src="{_ASSETS}/swagger-ui-bundle.js" defer></script>
<script src="{DOCS_URL}/init.js" defer></script>
</head>
<body><div id="swagger-ui" data-openapi="{openapi}"></div></body>
</html>
""")

    @app.get(DOCS_URL + "/init.js", include_in_schema=False)
    def swagger_init() -> Response:
        return Response(_INIT, media_type="text/javascript",
                        headers={"cache-control": "public, max-age=3600"})
