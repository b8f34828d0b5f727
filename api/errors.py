"""Errors as RFC 9457 problem details, mapped from graphkit's error classes in one table."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from graphkit.errors import (
    BackendUnavailable,
    BoundExceeded,
    EntityNotFound,
    GraphkitError,
    InvalidData,
    InvalidQuery,
    SourceNotFound,
    redact,
)

log = logging.getLogger("graphkit.api")
PROBLEM = "application/problem+json"


@dataclass(frozen=True, slots=True)
class Mapping:
    """How one error class appears over HTTP."""

    status: int
    slug: str
    title: str


#: The one place where graphkit errors become HTTP statuses (most specific first).
HANDLERS: list[tuple[type[GraphkitError], Mapping]] = [
    (EntityNotFound, Mapping(404, "entity-not-found", "Entity not found")),
    (SourceNotFound, Mapping(404, "source-not-found", "Source not found")),
    (InvalidData, Mapping(422, "invalid-data", "Invalid data; nothing was written")),
    (InvalidQuery, Mapping(422, "invalid-query", "Query not allowed")),
    (BoundExceeded, Mapping(504, "bound-exceeded", "Query too broad")),
    (BackendUnavailable, Mapping(503, "backend-unavailable", "Storage backend unavailable")),
    (GraphkitError, Mapping(500, "graphkit-error", "Query failed")),
]


def problem(status: int, slug: str, title: str, detail: str, **extra: Any) -> JSONResponse:
    """A problem+json response."""
    body = {
        "type": f"urn:graphkit:problem:{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def _graphkit_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, GraphkitError)
    mapping = next(m for cls, m in HANDLERS if isinstance(exc, cls))
    extra: dict[str, Any] = {}
    status = mapping.status
    if isinstance(exc, EntityNotFound):
        extra = {"parameter": "id", "suggestions": exc.suggestions}
    elif isinstance(exc, InvalidQuery) and exc.parameter:
        extra = {"parameter": exc.parameter}
    elif isinstance(exc, InvalidData):
        extra = {
            "errors": [
                {
                    "file": i.file,
                    "line": i.line,
                    "record": i.record,
                    "field": i.field,
                    "message": i.message,
                }
                for i in exc.issues
            ]
        }
    elif isinstance(exc, BoundExceeded):
        extra = {"bound": exc.bound}
        if exc.bound != "time":
            status = 422
    if status >= 500:
        log.warning("%s: %s", type(exc).__name__, redact(str(exc)))
    detail = str(exc).split("\n", 1)[0]
    if isinstance(exc, BackendUnavailable):
        # Addresses and driver messages stay in the server's log, not in answers.
        detail = (
            "The storage backend is unavailable; the service retries on the next request. "
            "Operators: check that the backend is running and reachable (see the log)."
        )
    return problem(status, mapping.slug, mapping.title, detail, **extra)


def _invalid_request(errors: list[dict[str, Any]]) -> JSONResponse:
    """One 422 problem naming the first offending parameter and listing them all."""
    first = errors[0] if errors else {"parameter": None, "message": "invalid request"}
    return problem(
        422,
        "invalid-request",
        "Invalid request",
        f"{first['parameter']}: {first['message']}",
        parameter=first["parameter"],
        errors=errors,
    )


def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    """FastAPI refused the request's parameters or body."""
    assert isinstance(exc, RequestValidationError)
    return _invalid_request(
        [
            {
                "parameter": ".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0]),
                "in": str(e["loc"][0]),
                "message": e["msg"],
            }
            for e in exc.errors()
        ]
    )


def _model_error(_request: Request, exc: Exception) -> JSONResponse:
    """A request model built inside a route refused its input: still the client's error."""
    assert isinstance(exc, ValidationError)
    return _invalid_request(
        [
            {"parameter": ".".join(str(p) for p in e["loc"]), "in": "query", "message": e["msg"]}
            for e in exc.errors()
        ]
    )


def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    response = problem(exc.status_code, f"http-{exc.status_code}", str(exc.detail), str(exc.detail))
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response


def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=exc)
    return problem(
        500,
        "internal-error",
        "Internal error",
        "The server failed to answer; the error was logged.",
    )


def install(app: FastAPI) -> None:
    """Register the handlers on an app."""
    app.add_exception_handler(GraphkitError, _graphkit_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ValidationError, _model_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


#: Documented error responses for routes (OpenAPI).
def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the problem responses a route can give."""
    titles = {
        401: "Missing or wrong API key",
        404: "Unknown entity or source",
        422: "Invalid request or query not allowed",
        429: "Rate limit exceeded",
        503: "Storage backend unavailable",
        504: "Query ran past its time budget",
    }
    schema = {
        "type": "object",
        "properties": {k: {"type": "string"} for k in ("type", "title", "detail", "parameter")},
    }
    return {
        s: {"description": titles[s], "content": {PROBLEM: {"schema": schema}}} for s in statuses
    }
