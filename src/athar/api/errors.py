"""One JSON error shape for every failure: ``{"error": {"code", "message", "details"}}``.

The shape is :class:`ErrorBody` in the OpenAPI document: routes declare the
error statuses they can answer with ``responses=error_responses(401, 404, ...)``.
Validation failures use that shape too (422), so FastAPI's own 422 schema
(``HTTPValidationError``), which it adds to every route with parameters, is
taken out of the document: a route declares 422 itself when it can return it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from athar.errors import AtharError

__all__ = ["ErrorBody", "ErrorDetail", "error_body", "error_responses", "install_error_handlers"]

# What each error status means in this API, as the OpenAPI document describes it.
_MEANINGS = {
    400: "the body could not be parsed (JSON that is not UTF-8, a malformed multipart form)",
    401: "not logged in, or the API token is not valid",
    403: "logged in without one of the needed roles, a password change pending, "
         "or (for a session) no valid CSRF token",
    404: "nothing has that id, index, digest or path",
    409: "a custody rule forbids this event; nothing was written",
    411: "the body has no Content-Length",
    413: "the body is over the size limit",
    422: "the request is not valid (parameters, body, or the entry's own checks)",
}


class ErrorDetail(BaseModel):
    """What went wrong."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(description="a short stable identifier: `not_found`, `invalid_request`, "
                                  "`entry_rejected`, `unauthorized`, `forbidden` ...")
    message: str = Field(description="for people: what went wrong and what to do about it")
    details: dict[str, Any] = Field(description="structured context (a limit, a field, the "
                                                "validation errors under `errors`); may be empty")


class ErrorBody(BaseModel):
    """The body of every error response of the API."""

    model_config = ConfigDict(extra="forbid")

    error: ErrorDetail


def _is_page_visit(request: Request) -> bool:
    """A browser GET outside the API: an anonymous visitor is sent to /login instead of a 401."""
    return (request.method == "GET" and not request.url.path.startswith("/api/")
            and "text/html" in request.headers.get("accept", ""))


def error_body(code: str, message: str, details: object = None) -> dict[str, object]:
    """The body every error response carries."""
    return {"error": {"code": code, "message": message, "details": details or {}}}


def error_responses(*statuses: int,
                    notes: Mapping[int, str] | None = None) -> dict[int | str, dict[str, Any]]:
    """A route's ``responses=``: each of ``statuses`` answered with :class:`ErrorBody`.

    ``notes`` replaces the generic description of a status for this route.
    """
    notes = notes or {}
    return {s: {"model": ErrorBody, "description": notes.get(s, _MEANINGS[s])} for s in statuses}


_DEFAULT_422 = {"$ref": "#/components/schemas/HTTPValidationError"}


def _drop_default_422(doc: dict[str, Any]) -> None:
    """Take FastAPI's ``HTTPValidationError`` responses and schemas out of ``doc``."""
    for operations in doc.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.get("responses", {})
            content = responses.get("422", {}).get("content", {})
            if content.get("application/json", {}).get("schema") == _DEFAULT_422:
                del responses["422"]
    schemas = doc.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)


def install_error_handlers(app: FastAPI) -> None:
    """Map AtharError, HTTP and validation errors to the one JSON error shape.

    The app's OpenAPI document then keeps only the 422 responses routes declare.
    """
    build = app.openapi

    def openapi() -> dict[str, Any]:
        doc = app.openapi_schema
        if doc is None:
            doc = build()  # FastAPI keeps this very dict as app.openapi_schema
            _drop_default_422(doc)
        return doc

    app.openapi = openapi  # type: ignore[method-assign]

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
