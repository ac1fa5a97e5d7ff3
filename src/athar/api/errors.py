"""One JSON error shape for every failure: ``{"error": {"code", "message", "details"}}``."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from athar.errors import AtharError

__all__ = ["error_body", "install_error_handlers"]


def _is_page_visit(request: Request) -> bool:
    """A browser GET outside the API: an anonymous visitor is sent to /login instead of a 401."""
    return (request.method == "GET" and not request.url.path.startswith("/api/")
            and "text/html" in request.headers.get("accept", ""))


def error_body(code: str, message: str, details: object = None) -> dict[str, object]:
    """The body every error response carries."""
    return {"error": {"code": code, "message": message, "details": details or {}}}


def install_error_handlers(app: FastAPI) -> None:
    """Map AtharError, HTTP and validation errors to the one JSON error shape."""

    @app.exception_handler(AtharError)
    async def _athar(request: Request, exc: AtharError) -> Response:
        if exc.http_status == 401 and _is_page_visit(request):
            return RedirectResponse("/login?" + urlencode({"next": request.url.path}), status_code=303)
        d = exc.diagnostics()
        return JSONResponse(error_body(d["code"], d["message"], d["details"]),
                            status_code=exc.http_status)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized",
                403: "forbidden"}.get(exc.status_code, "http_error")
        return JSONResponse(error_body(code, str(exc.detail)), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        return JSONResponse(error_body("invalid_request", "the request is not valid",
                                       {"errors": errors}), status_code=422)
