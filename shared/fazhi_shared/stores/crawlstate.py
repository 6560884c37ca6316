"""Crawl state in Redis: validators of fetched pages, reports done per source, poll leases,
the poll schedule and the status of each source's polls.

A report URL joins the ``done`` set only after its body is archived and handed to
processing, so a crawler killed in between fetches it again rather than losing it. A poll
owns its source through a lease that expires when the poll stops making progress (its
crawler died), so another crawler takes the source over.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import redis

from fazhi_shared.stores.redis import KEY_PREFIX
from fazhi_shared.stores.sources import NEXT_POLL

_P = KEY_PREFIX + "crawl:"
ERRORS_KEPT = 20


class CrawlState:
    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    # -- conditional GET: ETag / Last-Modified / body hash per URL -------------------------
    def validators(self, url: str) -> dict[str, str]:
        raw = self.client.hget(_P + "validators", url)
        return json.loads(raw) if raw else {}  # type: ignore[arg-type]

    def save_validators(self, url: str, *, etag: str | None, last_modified: str | None,
                        sha256: str) -> None:
        value = {"etag": etag or "", "last_modified": last_modified or "", "sha256": sha256}
        self.client.hset(_P + "validators", url, json.dumps(value))

    def forget_validators(self, url: str) -> None:
        self.client.hdel(_P + "validators", url)

    # -- reports per source ----------------------------------------------------------------
    def is_done(self, url: str) -> bool:
        """Fetched and handed to processing already (by any source: a report listed in two
        columns is fetched once)."""
        return bool(self.client.sismember(_P + "done", url))

    def mark_done(self, source_id: str | None, url: str) -> bool:
        """True when `url` was not done before."""
        new = bool(self.client.sadd(_P + "done", url))
        if new and source_id:
            self.client.sadd(f"{_P}done:{source_id}", url)
        return new

    def done(self, source_id: str) -> set[str]:
        return set(self.client.smembers(f"{_P}done:{source_id}"))  # type: ignore[arg-type]

    def fetch_lock(self, url: str, seconds: int) -> str | None:
        """A short lock so two copies of one fetch task never fetch the same URL at once."""
        token = uuid.uuid4().hex
        ok = self.client.set(f"{_P}fetching:{url}", token, nx=True, ex=max(1, seconds))
        return token if ok else None

    def fetch_unlock(self, url: str, token: str) -> None:
        key = f"{_P}fetching:{url}"
        if self.client.get(key) == token:
            self.client.delete(key)

    # -- poll leases -----------------------------------------------------------------------
    def take_lease(self, source_id: str, seconds: int) -> str | None:
        token = uuid.uuid4().hex
        ok = self.client.set(f"{_P}lease:{source_id}", token, nx=True, ex=max(1, seconds))
        return token if ok else None

    def holds_lease(self, source_id: str, token: str, seconds: int) -> bool:
        """True (and the lease extended) while `token` still owns the source."""
        key = f"{_P}lease:{source_id}"
        if self.client.get(key) != token:
            return False
        self.client.expire(key, max(1, seconds))
        return True

    def release_lease(self, source_id: str, token: str) -> None:
        key = f"{_P}lease:{source_id}"
        if self.client.get(key) == token:
            self.client.delete(key)

    def lease_holder(self, source_id: str) -> str | None:
        return self.client.get(f"{_P}lease:{source_id}")  # type: ignore[return-value]

    # -- schedule --------------------------------------------------------------------------
    def due(self, now: float | None = None) -> list[str]:
        now = time.time() if now is None else now
        return list(self.client.zrangebyscore(NEXT_POLL, "-inf", now))  # type: ignore[arg-type]

    def schedule(self, source_id: str, at: float) -> None:
        self.client.zadd(NEXT_POLL, {source_id: at})

    def next_poll(self, source_id: str) -> float | None:
        value = self.client.zscore(NEXT_POLL, source_id)
        return None if value is None else float(value)  # type: ignore[arg-type]

    # -- status ----------------------------------------------------------------------------
    def update_status(self, source_id: str, **fields: Any) -> None:
        self.client.hset(f"{_P}status:{source_id}", mapping={
            k: json.dumps(v) for k, v in fields.items()
        })

    def add_to_status(self, source_id: str, field: str, amount: int = 1) -> None:
        self.client.hincrby(f"{_P}status:{source_id}", field, amount)

    def record_error(self, source_id: str, url: str, error: str) -> None:
        entry = json.dumps({"at": _now_iso(), "url": url, "error": error[:500]}, ensure_ascii=False)
        key = f"{_P}errors:{source_id}"
        pipe = self.client.pipeline()
        pipe.lpush(key, entry)
        pipe.ltrim(key, 0, ERRORS_KEPT - 1)
        pipe.execute()

    def status(self, source_id: str) -> dict[str, Any]:
        raw: dict[str, str] = self.client.hgetall(f"{_P}status:{source_id}")  # type: ignore[assignment]
        status: dict[str, Any] = {k: json.loads(v) for k, v in raw.items()}
        status["errors"] = [json.loads(e) for e in self.client.lrange(f"{_P}errors:{source_id}", 0, -1)]  # type: ignore[union-attr]
        status["reports_fetched"] = int(self.client.scard(f"{_P}done:{source_id}"))  # type: ignore[arg-type]
        nxt = self.next_poll(source_id)
        status["next_poll_at"] = _iso(nxt) if nxt is not None else None
        status["polling"] = self.lease_holder(source_id) is not None
        return status

    def forget(self, source_id: str) -> None:
        self.client.delete(*(f"{_P}{k}:{source_id}" for k in ("status", "errors", "done", "lease")))


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def _now_iso() -> str:
    return _iso(time.time())
