"""Refuse JSON bodies holding lone UTF-16 surrogates (`"\\ud800"`) with a 400 problem.

JSON may escape them and Python's parser lets them through as `str`, but they are not
Unicode text: Redis, pydantic's JSON output and every store refuse to encode them later,
deep inside a route, as a 500. Query strings and paths cannot carry them (Starlette decodes
those with replacement characters), so bodies are the only way in.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fazhi_api.problems import problem


class RejectLoneSurrogates:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _is_json(scope):
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
            if not message.get("more_body", False):
                break
        if b"\\u" in body and _has_lone_surrogate(bytes(body)):
            response = problem(400, "Invalid request",
                               "the JSON body escapes a lone UTF-16 surrogate (such as \\ud800), "
                               "which is not a Unicode character")
            await response(scope, receive, send)
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            return b"json" in value.lower()
    return False


def _has_lone_surrogate(body: bytes) -> bool:
    try:
        data: Any = json.loads(body)
    except (ValueError, RecursionError):
        return False  # not JSON at all: the route's own parsing answers that
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
