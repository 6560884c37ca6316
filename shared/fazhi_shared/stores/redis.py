"""Redis connections for the stores (queues use Celery's own)."""

from __future__ import annotations

import redis

from fazhi_shared.settings import Settings

KEY_PREFIX = "fazhi:"


def redis_client(settings: Settings) -> redis.Redis:
    return redis.Redis.from_url(
        settings.effective_redis_url(), decode_responses=True, socket_timeout=10
    )
