"""From matches to deliveries: one per alert and document version, or a digest item.

Never twice for the same content: the alert's notified record holds the content hash it was
notified for, and a near-duplicate (`duplicate_of`) of a document already notified to that
alert is skipped. Every delivery is stored (and scheduled) before its task is sent.
"""

from __future__ import annotations

import hashlib
import logging
import time

from fazhi_alerts import events
from fazhi_alerts.delivery import lease_seconds
from fazhi_shared.models import Document
from fazhi_shared.settings import Settings
from fazhi_shared.stores.alerts import Alert, AlertStore, notified_sha, was_notified
from fazhi_shared.stores.deliveries import DeliveryStore, match_delivery_id

log = logging.getLogger(__name__)


def notify_document(
    doc: Document, matched: list[Alert], settings: Settings, store: DeliveryStore
) -> list[tuple[str, str]]:
    """Record what `doc` owes each matched alert; returns (delivery id, alert id) to send now."""
    client = store.client
    to_send: list[tuple[str, str]] = []
    for alert in matched:
        if not alert.active:
            continue
        if notified_sha(client, alert.id, doc.id) == doc.content_sha256:
            continue
        if doc.duplicate_of and was_notified(client, alert.id, doc.duplicate_of):
            log.info("%s is a near-duplicate of %s, already sent to alert %s",
                     doc.id, doc.duplicate_of, alert.id)
            continue
        summary = events.document_summary(doc, alert)
        notified = (doc.id, doc.content_sha256)
        if alert.digest_interval_seconds:
            due = time.time() + alert.digest_interval_seconds
            store.add_digest_item(alert.id, summary, due, notified)
            continue
        delivery = store.new(
            delivery_id=match_delivery_id(alert.id, doc.id, doc.content_sha256),
            alert_id=alert.id, event=events.MATCH, body=events.match_body(alert, summary),
            document_ids=[doc.id], content_sha256=doc.content_sha256,
        )
        if store.add(delivery, lease_seconds(settings), notified=notified):
            to_send.append((delivery.id, alert.id))
    return to_send


def build_digest(alert_id: str, settings: Settings, alerts: AlertStore, store: DeliveryStore) -> str | None:
    """Turn an alert's pending digest items into one delivery; returns its id to send."""
    alert = alerts.get(alert_id)
    items = store.digest_items(alert_id)
    if alert is None or not items:
        store.digest_done(alert_id, len(items), time.time())
        return None
    # The id depends on the items, so a digest built twice (a poller died in between)
    # is stored once.
    key = "\x00".join(f"{i['id']}:{i.get('content_sha256')}" for i in items)
    delivery_id = "dlv_" + hashlib.sha256(f"{alert_id}\x00{key}".encode()).hexdigest()[:24]
    delivery = store.new(
        delivery_id=delivery_id, alert_id=alert_id, event=events.DIGEST,
        body=events.digest_body(alert, items), document_ids=[i["id"] for i in items],
    )
    created = store.add(delivery, lease_seconds(settings))
    interval = alert.digest_interval_seconds or 0
    store.digest_done(alert_id, len(items), time.time() + interval)
    return delivery_id if created else None
