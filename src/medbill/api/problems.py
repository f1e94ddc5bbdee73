"""Errors as RFC 9457 problem details (`application/problem+json`).

Every error the API answers has `type`, `title`, `status`, `detail` and `instance`; input problems
add `errors` (one per problem, with where it is). Internal errors say nothing about their cause
(it is logged without request data, which may hold patient data).
"""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from medbill.core.errors import DataError, InputError
from medbill.services.practice import Conflict, NotFound

log = logging.getLogger("medbill.api")
MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://medbill.invalid/problems/"

TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Invalid input",
    429: "Too many requests",
    500: "Internal error",
    503: "Service unavailable",
}


def problem(
    status: int, detail: str, *, request: Request | None = None, kind: str | None = None, **extra: Any
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + (kind or str(status)),
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if request is not None:
        body["instance"] = request.url.path
    body.update(extra)
    headers = {"WWW-Authenticate": 'Bearer realm="medbill"'} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


class ApiProblem(Exception):
    """Raised by routes and dependencies to answer with a problem."""

    def __init__(self, status: int, detail: str, *, kind: str | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.kind = kind
        self.extra = extra


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiProblem)
    async def _api_problem(request: Request, exc: ApiProblem) -> JSONResponse:
        return problem(exc.status, exc.detail, request=request, kind=exc.kind, **exc.extra)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> JSONResponse:
        return problem(404, str(exc), request=request, kind="not-found")

    @app.exception_handler(Conflict)
    async def _conflict(request: Request, exc: Conflict) -> JSONResponse:
        return problem(409, str(exc), request=request, kind="conflict")

    @app.exception_handler(InputError)
    async def _input(request: Request, exc: InputError) -> JSONResponse:
        message = InputError.__str__(exc).split("\n")[0]
        errors = [{"detail": p} for p in exc.problems]
        return problem(422, message, request=request, kind="invalid-input", errors=errors)

    @app.exception_handler(DataError)
    async def _data(request: Request, exc: DataError) -> JSONResponse:
        return problem(503, str(exc), request=request, kind="reference-data")

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"location": ".".join(str(p) for p in e.get("loc", ())), "detail": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        return problem(
            422, "the request does not match the schema", request=request, kind="invalid-input", errors=errors
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(exc.status_code, str(exc.detail), request=request)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        log.error("internal error on %s %s: %s", request.method, request.url.path, type(exc).__name__)
        return problem(500, "the server failed to answer this request", request=request)
