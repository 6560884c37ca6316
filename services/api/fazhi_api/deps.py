"""Dependencies of the routes, as `Annotated` aliases; clients come from the app's lifespan."""

from __future__ import annotations

import hmac
from typing import Annotated

import redis
from celery import Celery
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from fazhi_shared.search.base import SearchBackend
from fazhi_shared.settings import Settings

_bearer = HTTPBearer(auto_error=False, description="An API key from FAZHI_API_KEYS")


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def _backend(request: Request) -> SearchBackend:
    return request.app.state.backend  # type: ignore[no-any-return]


def _redis(request: Request) -> redis.Redis:
    return request.app.state.redis  # type: ignore[no-any-return]


def _celery(request: Request) -> Celery:
    return request.app.state.celery  # type: ignore[no-any-return]


def _api_key(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    keys: list[str] = request.app.state.settings.api_key_list()
    if credentials is None:
        raise HTTPException(401, "this endpoint needs Authorization: Bearer <API key>",
                            headers={"WWW-Authenticate": "Bearer"})
    given = credentials.credentials.encode()
    if not any(hmac.compare_digest(given, key.encode()) for key in keys):
        raise HTTPException(401, "unknown API key", headers={"WWW-Authenticate": "Bearer"})
    return credentials.credentials


SettingsDep = Annotated[Settings, Depends(_settings)]
BackendDep = Annotated[SearchBackend, Depends(_backend)]
RedisDep = Annotated[redis.Redis, Depends(_redis)]
CeleryDep = Annotated[Celery, Depends(_celery)]
ApiKeyDep = Annotated[str, Depends(_api_key)]
