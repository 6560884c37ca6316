"""The crawler's fixtures: the local test web, crawler settings, and reading what the crawler
sent to the `process` queue straight from Redis (the queue the worker would consume)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from celery import Celery

from fazhi_shared.celery_base import make_celery
from fazhi_shared.settings import Settings
from tests.web.server import LocalWeb
from tests.web.sites import ListSite, test_sites


@pytest.fixture
def sites() -> dict[str, ListSite]:
    return test_sites()


@pytest.fixture
def web(sites: dict[str, ListSite]) -> Iterator[LocalWeb]:
    with LocalWeb(list(sites.values())) as local:
        yield local


@pytest.fixture
def crawl_settings(settings: Settings) -> Settings:
    """Fast but still polite: 10 requests/s per host, short timeouts and retry delays."""
    return settings.model_copy(update={
        "crawl_rate_per_host": 10.0, "crawl_read_timeout": 3.0, "crawl_connect_timeout": 2.0,
        "crawl_retry_backoff": 0.2, "crawl_max_pages": 10, "max_body_bytes": 1_000_000,
        "crawl_poll_lease": 30,
    })


@pytest.fixture
def app(crawl_settings: Settings) -> Iterator[Celery]:
    celery = make_celery("crawler-test", crawl_settings)
    yield celery
    celery.close()


def queued(settings: Settings, queue: str = "process") -> list[dict[str, Any]]:
    """Payloads of the tasks waiting in `queue`, oldest first."""
    client = redis.Redis.from_url(settings.effective_redis_url())
    out = []
    for raw in reversed(client.lrange(queue, 0, -1)):  # type: ignore[union-attr]
        message = json.loads(raw)
        body = json.loads(base64.b64decode(message["body"]))
        out.append({"task": message["headers"]["task"], **body[1]["payload"]})
    return out
