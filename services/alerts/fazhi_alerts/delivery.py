"""One delivery attempt and what follows from its outcome.

Outcomes: 2xx succeeded; 410 Gone fails the delivery and disables the alert; 429/503 wait
for Retry-After when given; anything else (other status, timeout, connection error) waits
for the next step of `webhook_retry_delays` (with ±20% jitter) until the steps run out, then
the delivery fails and counts toward `webhook_max_failures` failures in a row.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from urllib.parse import urlsplit

from fazhi_alerts import sender, signing
from fazhi_alerts.events import TEST
from fazhi_shared.settings import Settings
from fazhi_shared.stores.alerts import AlertStore
from fazhi_shared.stores.deliveries import (
    TERMINAL,
    Attempt,
    Delivery,
    DeliveryStore,
    delivery_lease,
)

log = logging.getLogger(__name__)
EARLY_SLACK = 0.5
HOST_BUSY_WAIT = 0.2


def lease_seconds(settings: Settings) -> float:
    return delivery_lease(settings.webhook_timeout)


def _now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def run_delivery(delivery_id: str, settings: Settings, alerts: AlertStore, store: DeliveryStore) -> str:
    """Make the attempt that is due for `delivery_id`; returns what happened (for logs)."""
    delivery = store.get(delivery_id)
    if delivery is None:
        store.unschedule(delivery_id)
        return "gone"
    if delivery.state in TERMINAL:
        store.unschedule(delivery_id)
        return "done already"
    if delivery.next_attempt_at and delivery.next_attempt_at > time.time() + EARLY_SLACK:
        return "not due yet"  # a duplicate message; the schedule holds the real one
    lease = lease_seconds(settings)
    if not store.lock(delivery_id, lease):
        return "in flight elsewhere"
    try:
        delivery = store.get(delivery_id) or delivery  # re-read under the lock
        if delivery.state in TERMINAL:
            store.unschedule(delivery_id)
            return "done already"
        return _attempt(delivery, settings, alerts, store, lease)
    finally:
        store.unlock(delivery_id)


def _attempt(
    delivery: Delivery, settings: Settings, alerts: AlertStore, store: DeliveryStore, lease: float
) -> str:
    alert = alerts.get(delivery.alert_id)
    if alert is None or (not alert.active and delivery.event != TEST):
        delivery.state = "cancelled"
        delivery.last_error = "alert deleted" if alert is None else f"alert disabled: {alert.disabled_reason or 'inactive'}"
        delivery.completed_at = _now_iso()
        store.save(delivery, unschedule=True)
        return "cancelled"
    host = (urlsplit(alert.webhook_url).hostname or "").lower()
    if not store.acquire_host(host, settings.webhook_host_concurrency, lease):
        # The receiver already has its share of attempts in flight: wait a moment, not a
        # thread, and without counting an attempt.
        store.schedule(delivery.id, time.time() + HOST_BUSY_WAIT * random.uniform(1, 2))
        return "receiver busy: deferred"
    try:
        # If this process dies from here on, the delivery comes due again after the lease.
        store.schedule(delivery.id, time.time() + lease)
        timestamp = int(time.time())
        headers = signing.headers(alert.signing_secrets(), delivery.webhook_id, timestamp, delivery.body)
        started = _now_iso()
        result = sender.post(alert.webhook_url, delivery.body, headers, settings)
    finally:
        store.release_host(host)
    delivery.attempts.append(Attempt(
        number=len(delivery.attempts) + 1, at=started, status_code=result.status_code,
        latency_ms=result.latency_ms, error=result.error, response_excerpt=result.excerpt,
    ))
    counts = delivery.event != TEST  # a test never disables the alert it checks
    if result.ok:
        delivery.state = "succeeded"
        delivery.last_error = None
        delivery.completed_at = _now_iso()
        store.save(delivery, unschedule=True)
        if counts and alert.consecutive_failures:
            alerts.record_success(alert.id)
        return "succeeded"
    delivery.last_error = result.error
    if result.status_code == 410:
        _fail(delivery, store)
        if counts:
            alerts.disable(alert.id, "the webhook answered 410 Gone")
        return "gone (410): alert disabled"
    delays = settings.retry_delays()
    if delivery.retries and not result.refused and delivery.retries_used < len(delays):
        delay = delays[delivery.retries_used] * random.uniform(0.8, 1.2)
        if result.retry_after is not None:
            delay = result.retry_after
        delivery.retries_used += 1
        delivery.next_attempt_at = time.time() + delay
        store.save(delivery, due_at=delivery.next_attempt_at)
        return f"retry in {delay:.1f} s ({result.error})"
    _fail(delivery, store)
    if counts:
        updated = alerts.record_failure(alert.id, settings.webhook_max_failures, result.error or "")
        if updated is not None and not updated.active and alert.active:
            log.warning("alert %s disabled: %s", alert.id, updated.disabled_reason)
    return f"failed ({result.error})"


def _fail(delivery: Delivery, store: DeliveryStore) -> None:
    delivery.state = "failed"
    delivery.completed_at = _now_iso()
    delivery.next_attempt_at = None
    store.save(delivery, unschedule=True)
