"""The HTTP API (`/v1`), built by `create_app(settings)`; clients live in the lifespan."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from fazhi_api import openapi, problems
from fazhi_api.config import Settings, get_settings
from fazhi_api.json_guard import JsonBodyGuard
from fazhi_api.routes import ROUTERS
from fazhi_shared.celery_base import make_celery
from fazhi_shared.search import open_backend
from fazhi_shared.stores.redis import redis_client

DESCRIPTION = """Search, documents and alerts over China's 法治政府建设 reports.

Write endpoints need `Authorization: Bearer <key>`. Errors are problem details
(`application/problem+json`)."""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.backend = open_backend(settings)
        app.state.redis = redis_client(settings)
        app.state.celery = make_celery("api", settings)
        try:
            yield
        finally:
            app.state.backend.close()
            app.state.redis.close()

    app = FastAPI(
        title="Fazhi Watch API", version="0.1.0", description=DESCRIPTION, lifespan=lifespan,
        docs_url="/docs", openapi_url="/openapi.json",
    )
    app.state.settings = settings
    problems.install(app)
    openapi.install(app)
    app.add_middleware(JsonBodyGuard)
    for router in ROUTERS:
        app.include_router(router)
    logging.getLogger("fazhi_api").setLevel(settings.log_level)
    return app
