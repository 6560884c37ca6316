"""Refuse JSON bodies that are not portable JSON data with a 400 problem, before any route:

- lone UTF-16 surrogates (`"\\ud800"`): JSON may escape them and Python's parser lets them
  through as `str`, but they are not Unicode text, so Redis, pydantic's JSON output and the
  stores refuse to encode them later, deep inside a route, as a 500;
- numbers that are not finite: `NaN`/`Infinity` (not JSON at all, though Python reads them)
  and literals such as `1e400` that overflow to infinity; `int(inf)` in a validator raises
  OverflowError, which pydantic does not turn into a validation error.

Query strings and paths cannot carry either (Starlette decodes them with replacement
characters and numbers there are parsed by pydantic), so bodies are the only way in.
"""

from __future__ import annotations

import json
import math
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fazhi_api.problems import problem

# Bodies kept as bytes, never parsed by the API (an uploaded document may well be JSON with
# anything in it), and the most read into memory for the check: the API's own JSON bodies
# are small, and a larger one passes on unchecked to the route's own limits.
RAW_BODY_PATHS = frozenset({"/v1/ingest"})
MAX_CHECKED = 1 << 20


class JsonBodyGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in RAW_BODY_PATHS or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        body = bytearray()
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            body.extend(message.get("body", b""))
            if not message.get("more_body", False) or len(body) > MAX_CHECKED:
                break
        detail = _unsafe(bytes(body)) if len(body) <= MAX_CHECKED else None
        if detail:
            await problem(400, "Invalid request", detail)(scope, receive, send)
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            return b"json" in value.lower()
    return False


class _NotFinite(ValueError):
    pass


def _refuse(_: str) -> Any:
    raise _NotFinite


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotFinite
    return value


def _unsafe(body: bytes) -> str | None:
    """What makes `body` unsafe, or None (also for bodies that are not JSON at all: the
    route's own parsing answers those)."""
    try:
        data = json.loads(body, parse_constant=_refuse, parse_float=_float)
    except _NotFinite:
        return "the JSON body holds a number that is not finite (NaN, Infinity or beyond 1e308)"
    except (ValueError, RecursionError):
        return None
    if b"\\u" in body:
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            return ("the JSON body escapes a lone UTF-16 surrogate (such as \\ud800), "
                    "which is not a Unicode character")
    return None
