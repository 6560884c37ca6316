"""The alerts worker's clock: sends deliveries that came due (retries, leases of attempts
cut short by a dead worker) and builds digests whose interval ended.

It runs as a thread of every alerts worker process; claims are atomic in Redis, so any
number of workers can run it. Settings read: alerts_poll_interval.
"""

from __future__ import annotations

import logging
import threading

from celery import Celery

from fazhi_alerts.delivery import lease_seconds
from fazhi_alerts.notify import build_digest
from fazhi_shared.producer import send
from fazhi_shared.settings import Settings
from fazhi_shared.stores.alerts import AlertStore
from fazhi_shared.stores.deliveries import DeliveryStore
from fazhi_shared.stores.redis import redis_client
from fazhi_shared.tasks import DeliverPayload, TaskName

log = logging.getLogger(__name__)


def tick(app: Celery, settings: Settings, alerts: AlertStore, store: DeliveryStore) -> int:
    """One pass; returns how many delivery tasks it sent."""
    lease = lease_seconds(settings)
    sent = 0
    for alert_id in store.claim_due_digests(lease):
        delivery_id = build_digest(alert_id, settings, alerts, store)
        if delivery_id:
            _send(app, alert_id, delivery_id)
            sent += 1
    for delivery_id in store.claim_due(lease):
        delivery = store.get(delivery_id)
        if delivery is None:
            store.unschedule(delivery_id)
            continue
        _send(app, delivery.alert_id, delivery_id)
        sent += 1
    return sent


def _send(app: Celery, alert_id: str, delivery_id: str) -> None:
    send(app, TaskName.DELIVER_WEBHOOK,
         DeliverPayload(alert_id=alert_id, document_id="", delivery_id=delivery_id))


class Scheduler(threading.Thread):
    def __init__(self, app: Celery, settings: Settings) -> None:
        super().__init__(name="alerts-scheduler", daemon=True)
        self.app = app
        self.settings = settings
        self.stopped = threading.Event()

    def run(self) -> None:
        client = redis_client(self.settings)
        alerts, store = AlertStore(client), DeliveryStore(client)
        while not self.stopped.is_set():
            try:
                tick(self.app, self.settings, alerts, store)
            except Exception:  # Redis briefly away: try again on the next tick
                log.exception("alerts scheduler tick failed")
            self.stopped.wait(self.settings.alerts_poll_interval)

    def stop(self) -> None:
        self.stopped.set()
