"""Tasks that failed for good, kept until someone replays or drops them."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import redis

from fazhi_shared.stores.redis import KEY_PREFIX

KEY = KEY_PREFIX + "deadletters"


class DeadLetters:
    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    def record(self, *, task_name: str, task_id: str, kwargs: dict[str, Any], error: str) -> str:
        entry_id = uuid.uuid4().hex
        entry = {
            "id": entry_id,
            "task": task_name,
            "task_id": task_id,
            "kwargs": kwargs,
            "error": error[:2000],
            "failed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        self.client.hset(KEY, entry_id, json.dumps(entry, ensure_ascii=False))
        return entry_id

    def list(self) -> list[dict[str, Any]]:
        entries = [json.loads(v) for v in self.client.hvals(KEY)]  # type: ignore[union-attr]
        return sorted(entries, key=lambda e: e["failed_at"])

    def pop(self, entry_id: str) -> dict[str, Any] | None:
        raw = self.client.hget(KEY, entry_id)
        if raw is None:
            return None
        self.client.hdel(KEY, entry_id)
        return json.loads(raw)  # type: ignore[arg-type]
