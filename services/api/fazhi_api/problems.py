"""Errors as RFC 9457 problem details (`application/problem+json`), never a bare 500."""

from __future__ import annotations

import logging
from typing import Any

import elasticsearch
import kombu.exceptions
import redis.exceptions
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from fazhi_shared.search.base import BadCursor
from fazhi_shared.search.query import QuerySyntaxError

log = logging.getLogger(__name__)
# A store that is down or slow is the server's trouble but not a bug: 503 with Retry-After.
# The Elasticsearch client's own classes derive from Exception, not from the builtins.
UNAVAILABLE = (ConnectionError, TimeoutError, redis.exceptions.ConnectionError,
               redis.exceptions.TimeoutError, kombu.exceptions.OperationalError,
               elasticsearch.ConnectionError, elasticsearch.ConnectionTimeout)
# Statuses of a cluster that answers but cannot serve now (no master, shards unavailable,
# queues full), still so after the client's own retries: unavailable too, not a bug.
ES_BUSY = (429, 502, 503, 504)
PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str | None = None, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def install(app: FastAPI) -> None:
    @app.exception_handler(QuerySyntaxError)
    async def _query(request: Request, exc: QuerySyntaxError) -> JSONResponse:
        return problem(400, "Malformed query", exc.message, position=exc.position, query=request.query_params.get("q"))

    @app.exception_handler(BadCursor)
    async def _cursor(request: Request, exc: BadCursor) -> JSONResponse:
        return problem(400, "Bad cursor", str(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
            for e in exc.errors()
        ]
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
        return problem(422, "Invalid request", detail, errors=errors)

    # Starlette's class, not FastAPI's subclass: unknown paths (404), wrong methods (405) and
    # bodies that are not UTF-8 JSON (400) are raised by Starlette and FastAPI as the base class.
    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        response = problem(exc.status_code, _title(exc.status_code), str(exc.detail) if exc.detail else None)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
        log.warning("%s %s: a store did not answer: %r", request.method, request.url.path, exc)
        response = problem(503, "Service unavailable",
                           f"a store did not answer ({type(exc).__name__}); try again shortly")
        response.headers["Retry-After"] = "5"
        return response

    # Registered per class, these run inside the app (the catch-all below runs in the
    # outermost middleware, which re-raises after answering).
    for unavailable in UNAVAILABLE:
        app.add_exception_handler(unavailable, _unavailable)

    @app.exception_handler(elasticsearch.ApiError)
    async def _elasticsearch(request: Request, exc: elasticsearch.ApiError) -> JSONResponse:
        if exc.meta.status in ES_BUSY:
            return await _unavailable(request, exc)
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return problem(500, "Internal error", type(exc).__name__)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(500, "Internal error", type(exc).__name__)


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
