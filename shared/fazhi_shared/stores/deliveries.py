"""Webhook deliveries in Redis: one record per event and alert, its attempts, and when it is due.

Durability does not rest on the queue alone: every pending delivery sits in a sorted set
scored by when it must be tried next. An attempt in flight holds a lease there (its score
is pushed past the attempt's longest duration), so a delivery whose worker died mid-send
comes due again and is sent with the same `webhook-id`.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from typing import Any, Literal

import redis
from pydantic import BaseModel, Field

from fazhi_shared.stores.alerts import NOTIFIED, now_iso
from fazhi_shared.stores.redis import KEY_PREFIX

DELIVERY = KEY_PREFIX + "delivery:"  # string per delivery id → Delivery JSON
BY_ALERT = KEY_PREFIX + "deliveries:alert:"  # sorted set per alert: id → created (epoch)
DUE = KEY_PREFIX + "deliveries:due"  # sorted set: id → epoch when it must be tried
LOCK = KEY_PREFIX + "deliveries:lock:"
INFLIGHT = KEY_PREFIX + "deliveries:inflight:"  # counter per receiving host
DIGEST_ITEMS = KEY_PREFIX + "digest:items:"  # list per alert of pending matches (JSON)
DIGEST_DUE = KEY_PREFIX + "digest:due"  # sorted set: alert id → epoch its digest is due

# A finished delivery stays in the log this long (the alert's notified record, which keeps
# it from being sent again, stays as long as the alert).
RETENTION_SECONDS = 30 * 86_400
State = Literal["pending", "succeeded", "failed", "cancelled"]
TERMINAL = ("succeeded", "failed", "cancelled")

# Claims due members atomically: returns them and pushes their score to now + lease,
# so two pollers never send the same delivery at once.
_CLAIM = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])
for _, id in ipairs(due) do redis.call('ZADD', KEYS[1], ARGV[2], id) end
return due
"""
# Removes the first ARGV[1] digest items; reschedules the digest if more arrived meanwhile.
_DIGEST_DONE = """
redis.call('LTRIM', KEYS[1], ARGV[1], -1)
if redis.call('LLEN', KEYS[1]) > 0 then
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
else
  redis.call('ZREM', KEYS[2], ARGV[3])
end
return 1
"""


class Attempt(BaseModel):
    number: int
    at: str
    status_code: int | None = None
    latency_ms: int
    error: str | None = None
    response_excerpt: str | None = None


class Delivery(BaseModel):
    id: str
    alert_id: str
    event: str
    webhook_id: str
    document_ids: list[str] = Field(default_factory=list)
    content_sha256: str | None = None
    body: str
    state: State = "pending"
    retries: bool = True
    retries_used: int = 0
    attempts: list[Attempt] = Field(default_factory=list)
    created_at: str
    created: float = Field(default_factory=time.time)
    next_attempt_at: float | None = None
    completed_at: str | None = None
    last_error: str | None = None

    def public(self) -> dict[str, Any]:
        data = self.model_dump(mode="json", exclude={"body", "created"})
        data["payload"] = json.loads(self.body)
        return data


def delivery_lease(webhook_timeout: float) -> float:
    """How long an attempt in flight (or a queued task) holds its delivery before the
    schedule hands it out again: longer than any attempt can take."""
    return 2 * webhook_timeout + 10


def match_delivery_id(alert_id: str, document_id: str, content_sha256: str) -> str:
    """Stable for one alert and one version of a document: retries and replays share it."""
    digest = hashlib.sha256(f"{alert_id}\x00{document_id}\x00{content_sha256}".encode()).hexdigest()
    return "dlv_" + digest[:24]


TEST_EVENT = "alert.test"


def test_event_body(alert_id: str, alert_name: str) -> str:
    """The body of a test event (built here because the API creates test deliveries)."""
    return json.dumps({
        "type": TEST_EVENT,
        "timestamp": now_iso(),
        "data": {"alert": {"id": alert_id, "name": alert_name},
                 "message": "Test event from Fazhi Watch: the webhook is reachable."},
    }, ensure_ascii=False, separators=(",", ":"))


def new_delivery_id() -> str:
    return "dlv_" + uuid.uuid4().hex[:24]


class DeliveryStore:
    def __init__(self, client: redis.Redis) -> None:
        self.client = client
        self._claim = client.register_script(_CLAIM)
        self._digest_done = client.register_script(_DIGEST_DONE)

    # -- records ----------------------------------------------------------------------
    def new(self, *, delivery_id: str, alert_id: str, event: str, body: str, **fields: Any) -> Delivery:
        return Delivery(
            id=delivery_id, alert_id=alert_id, event=event, body=body,
            webhook_id="msg_" + delivery_id.removeprefix("dlv_"), created_at=now_iso(),
            next_attempt_at=time.time(), **fields,
        )

    def add(self, delivery: Delivery, lease: float, notified: tuple[str, str] | None = None) -> bool:
        """Store a new delivery, due after `lease` (the queue's task normally comes first).

        Returns False when a delivery with this id already exists (it is left alone).
        `notified` = (document id, sha) is recorded for the alert in the same transaction.
        """
        pipe = self.client.pipeline(transaction=True)
        pipe.set(DELIVERY + delivery.id, delivery.model_dump_json(), nx=True)
        pipe.zadd(DUE, {delivery.id: time.time() + lease}, nx=True)
        pipe.zadd(BY_ALERT + delivery.alert_id, {delivery.id: delivery.created}, nx=True)
        if notified is not None:
            pipe.hset(NOTIFIED + delivery.alert_id, notified[0], notified[1])
        created = pipe.execute()[0]
        return bool(created)

    def reopen(self, delivery: Delivery, lease: float) -> Delivery:
        """Deliver again from the first attempt (the log keeps the earlier attempts)."""
        delivery = delivery.model_copy(update={
            "state": "pending", "retries_used": 0, "next_attempt_at": time.time(),
            "completed_at": None,
        })
        self.save(delivery)
        self.schedule(delivery.id, time.time() + lease)
        return delivery

    def get(self, delivery_id: str) -> Delivery | None:
        raw = self.client.get(DELIVERY + delivery_id)
        return Delivery.model_validate_json(raw) if raw else None  # type: ignore[arg-type]

    def save(self, delivery: Delivery, unschedule: bool = False, due_at: float | None = None) -> None:
        """Store the record; with it (one round trip), take it off the schedule or move it."""
        expiry = RETENTION_SECONDS if delivery.state in TERMINAL else None
        pipe = self.client.pipeline(transaction=True)
        pipe.set(DELIVERY + delivery.id, delivery.model_dump_json(), ex=expiry)
        if unschedule:
            pipe.zrem(DUE, delivery.id)
        elif due_at is not None:
            pipe.zadd(DUE, {delivery.id: due_at})
        pipe.execute()

    def list_for_alert(self, alert_id: str, limit: int = 50, offset: int = 0) -> tuple[int, list[Delivery]]:
        key = BY_ALERT + alert_id
        total = int(self.client.zcard(key))  # type: ignore[arg-type]
        ids: list[str] = self.client.zrevrange(key, offset, offset + limit - 1)  # type: ignore[assignment]
        raws: list[str | None] = self.client.mget([DELIVERY + i for i in ids]) if ids else []  # type: ignore[assignment]
        expired = [i for i, raw in zip(ids, raws, strict=True) if raw is None]
        if expired:
            self.client.zrem(key, *expired)
        return total - len(expired), [Delivery.model_validate_json(r) for r in raws if r]

    def forget_alert(self, alert_id: str) -> None:
        ids: list[str] = self.client.zrange(BY_ALERT + alert_id, 0, -1)  # type: ignore[assignment]
        pipe = self.client.pipeline()
        for delivery_id in ids:
            pipe.delete(DELIVERY + delivery_id)
            pipe.zrem(DUE, delivery_id)
        pipe.delete(BY_ALERT + alert_id, DIGEST_ITEMS + alert_id)
        pipe.zrem(DIGEST_DUE, alert_id)
        pipe.execute()

    # -- schedule -----------------------------------------------------------------------
    def schedule(self, delivery_id: str, at: float) -> None:
        self.client.zadd(DUE, {delivery_id: at})

    def unschedule(self, delivery_id: str) -> None:
        self.client.zrem(DUE, delivery_id)

    def claim_due(self, lease: float, limit: int = 200) -> list[str]:
        now = time.time()
        return list(self._claim(keys=[DUE], args=[now, now + lease, limit]))

    def lock(self, delivery_id: str, ttl: float) -> bool:
        return bool(self.client.set(LOCK + delivery_id, "1", nx=True, px=int(ttl * 1000)))

    def unlock(self, delivery_id: str) -> None:
        self.client.delete(LOCK + delivery_id)

    def acquire_host(self, host: str, limit: int, ttl: float) -> bool:
        """One more attempt in flight to `host`, unless `limit` are already; the counter
        expires after `ttl`, so a worker that died holding a slot does not keep it."""
        key = INFLIGHT + host
        pipe = self.client.pipeline(transaction=True)
        pipe.incr(key)
        pipe.expire(key, int(ttl) + 1)
        count = int(pipe.execute()[0])
        if count > limit:
            self.client.decr(key)
            return False
        return True

    def release_host(self, host: str) -> None:
        self.client.decr(INFLIGHT + host)

    # -- digests ------------------------------------------------------------------------
    def add_digest_item(
        self, alert_id: str, item: dict[str, Any], due_at: float, notified: tuple[str, str]
    ) -> None:
        pipe = self.client.pipeline(transaction=True)
        pipe.rpush(DIGEST_ITEMS + alert_id, json.dumps(item, ensure_ascii=False))
        pipe.zadd(DIGEST_DUE, {alert_id: due_at}, nx=True)
        pipe.hset(NOTIFIED + alert_id, notified[0], notified[1])
        pipe.execute()

    def claim_due_digests(self, lease: float, limit: int = 100) -> list[str]:
        now = time.time()
        return list(self._claim(keys=[DIGEST_DUE], args=[now, now + lease, limit]))

    def digest_items(self, alert_id: str) -> list[dict[str, Any]]:
        return [json.loads(r) for r in self.client.lrange(DIGEST_ITEMS + alert_id, 0, -1)]  # type: ignore[union-attr]

    def digest_done(self, alert_id: str, taken: int, next_due: float) -> None:
        self._digest_done(keys=[DIGEST_ITEMS + alert_id, DIGEST_DUE], args=[taken, next_due, alert_id])
