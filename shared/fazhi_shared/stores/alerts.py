"""Saved searches (alerts) in Redis, each owned by the API key that created it.

An alert keeps what the user gave (`q`, `filters` in the syntax of `/v1/search`) and the
`SearchRequest` the API built from them, so the alerts worker matches with exactly the
request `/v1/search` would run without knowing the API's parameter syntax.
Keys store only a hash of the API key; secrets are shown once and kept for signing.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import ipaddress
import secrets
import socket
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import redis
from pydantic import BaseModel, Field

from fazhi_shared.stores.redis import KEY_PREFIX

ALERTS = KEY_PREFIX + "alerts"  # hash id → Alert JSON
OWNED = KEY_PREFIX + "alerts:owner:"  # set of ids per owner hash
VERSION = KEY_PREFIX + "alerts:version"  # bumped on every change, so matchers reload
NOTIFIED = KEY_PREFIX + "alerts:notified:"  # hash per alert: document id → content sha256
MATCHED = KEY_PREFIX + "alerts:matched"  # hash: document id → content sha256 last matched
# A rotated-out secret still signs for a day, so receivers can switch without losing events.
PREVIOUS_SECRET_TTL = 86_400


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def owner_of(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()[:32]


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class Secret(BaseModel):
    value: str
    expires_at: float | None = None  # epoch seconds; None: the current secret


class Alert(BaseModel):
    id: str
    owner: str
    name: str
    q: str = ""
    filters: dict[str, Any] = Field(default_factory=dict)
    request: dict[str, Any] = Field(default_factory=dict)  # SearchRequest fields
    webhook_url: str
    digest_interval_seconds: int | None = None
    active: bool = True
    disabled_reason: str | None = None
    consecutive_failures: int = 0
    rev: int = 1
    created_at: str
    updated_at: str
    secrets: list[Secret] = Field(default_factory=list)

    def signing_secrets(self, at: float | None = None) -> list[str]:
        at = time.time() if at is None else at
        return [s.value for s in self.secrets if s.expires_at is None or s.expires_at > at]

    def public(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude={"owner", "secrets", "request"})


class AlertStore:
    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    def _save(self, alert: Alert, pipe: Any | None = None) -> None:
        target = pipe or self.client.pipeline()
        target.hset(ALERTS, alert.id, alert.model_dump_json())
        target.sadd(OWNED + alert.owner, alert.id)
        target.incr(VERSION)
        if pipe is None:
            target.execute()

    def create(self, *, owner: str, **fields: Any) -> tuple[Alert, str]:
        secret = new_secret()
        stamp = now_iso()
        alert = Alert(
            id="alr_" + uuid.uuid4().hex[:20], owner=owner, created_at=stamp, updated_at=stamp,
            secrets=[Secret(value=secret)], **fields,
        )
        self._save(alert)
        return alert, secret

    def get(self, alert_id: str) -> Alert | None:
        raw = self.client.hget(ALERTS, alert_id)
        return Alert.model_validate_json(raw) if raw else None  # type: ignore[arg-type]

    def get_owned(self, alert_id: str, owner: str) -> Alert | None:
        alert = self.get(alert_id)
        return alert if alert is not None and alert.owner == owner else None

    def list_owned(self, owner: str) -> list[Alert]:
        ids = sorted(self.client.smembers(OWNED + owner))  # type: ignore[arg-type]
        raws = self.client.hmget(ALERTS, ids) if ids else []
        alerts = [Alert.model_validate_json(r) for r in raws if r]  # type: ignore[union-attr]
        return sorted(alerts, key=lambda a: (a.created_at, a.id))

    def all(self) -> list[Alert]:
        return [Alert.model_validate_json(r) for r in self.client.hvals(ALERTS)]  # type: ignore[union-attr]

    def version(self) -> int:
        return int(self.client.get(VERSION) or 0)  # type: ignore[arg-type]

    def modify(self, alert_id: str, change: Callable[[Alert], dict[str, Any] | None]) -> Alert | None:
        """Apply `change` (fields to set, or None for none) to the alert as stored now.

        Optimistic: the read and the write are one transaction, retried when another writer
        (the API, another worker) changed the alerts in between, so no change is lost and a
        deleted alert is never written back. Returns the alert, or None when it is gone.
        """
        with self.client.pipeline(transaction=True) as pipe:
            while True:
                try:
                    pipe.watch(ALERTS)
                    raw = pipe.hget(ALERTS, alert_id)
                    if raw is None:
                        pipe.unwatch()
                        return None
                    alert = Alert.model_validate_json(raw)
                    changes = change(alert)
                    if changes is None:
                        pipe.unwatch()
                        return alert
                    updated = alert.model_copy(
                        update={**changes, "rev": alert.rev + 1, "updated_at": now_iso()})
                    pipe.multi()
                    self._save(updated, pipe)
                    pipe.execute()
                    return updated
                except redis.WatchError:
                    continue

    def update(self, alert: Alert, **changes: Any) -> Alert | None:
        return self.modify(alert.id, lambda _current: changes)

    def rotate_secret(self, alert: Alert) -> tuple[Alert | None, str]:
        secret = new_secret()

        def rotate(current: Alert) -> dict[str, Any]:
            now = time.time()
            kept = [
                Secret(value=s.value, expires_at=s.expires_at or now + PREVIOUS_SECRET_TTL)
                for s in current.secrets
                if s.expires_at is None or s.expires_at > now
            ]
            return {"secrets": [Secret(value=secret), *kept[:1]]}

        return self.modify(alert.id, rotate), secret

    def delete(self, alert: Alert) -> None:
        pipe = self.client.pipeline()
        pipe.hdel(ALERTS, alert.id)
        pipe.srem(OWNED + alert.owner, alert.id)
        pipe.delete(NOTIFIED + alert.id)
        pipe.incr(VERSION)
        pipe.execute()

    def record_failure(self, alert_id: str, max_failures: int, error: str) -> Alert | None:
        """One more failed delivery in a row; disables the alert at `max_failures`."""

        def fail(alert: Alert) -> dict[str, Any]:
            failures = alert.consecutive_failures + 1
            changes: dict[str, Any] = {"consecutive_failures": failures}
            if failures >= max_failures and alert.active:
                changes.update(
                    active=False,
                    disabled_reason=f"{failures} deliveries in a row failed; last error: {error}"[:500],
                )
            return changes

        return self.modify(alert_id, fail)

    def record_success(self, alert_id: str) -> None:
        self.modify(alert_id, lambda a: {"consecutive_failures": 0} if a.consecutive_failures else None)

    def disable(self, alert_id: str, reason: str) -> None:
        self.modify(alert_id, lambda a: {"active": False, "disabled_reason": reason} if a.active else None)


class UnsafeWebhookUrl(ValueError):
    pass


class UnresolvedWebhookHost(UnsafeWebhookUrl):
    """The host did not resolve: refused at creation, but at send time possibly a DNS blip."""


# Cloud metadata endpoints that are not caught by the private / link-local checks.
_METADATA = {ipaddress.ip_address("100.100.100.200"), ipaddress.ip_address("fd00:ec2::254")}


def _forbidden(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address carried inside IPv6 (::ffff:a.b.c.d, 6to4 2002:aabb:ccdd::) is
        # reached through that IPv4 address.
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is not None:
            return _forbidden(embedded)
    return (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
        or ip.is_reserved or ip.is_unspecified or ip in _METADATA
        or ip in ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT
    )


def resolve_webhook_url(url: str, allow_private: bool) -> list[str]:
    """The addresses to connect to for `url`; raises UnsafeWebhookUrl when it must not be called.

    Checked at creation and again before every attempt, after DNS, and the caller connects
    to the returned addresses only, so a name that later resolves elsewhere cannot slip by.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeWebhookUrl("webhook_url must be an http:// or https:// URL with a host")
    if parts.username or parts.password:
        raise UnsafeWebhookUrl("webhook_url must not carry credentials")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeWebhookUrl(f"webhook_url has a bad port: {exc}") from None
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UnresolvedWebhookHost(f"webhook host {parts.hostname!r} does not resolve: {exc}") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not allow_private:
        for address in addresses:
            if _forbidden(ipaddress.ip_address(address.split("%")[0])):
                raise UnsafeWebhookUrl(
                    f"webhook host {parts.hostname!r} resolves to {address}, a private, loopback, "
                    "link-local or metadata address (set FAZHI_WEBHOOK_ALLOW_PRIVATE=true to allow)"
                )
    return addresses


def matched_sha(client: redis.Redis, document_id: str) -> str | None:
    """The content of `document_id` that went through matching last (None: never)."""
    return client.hget(MATCHED, document_id)  # type: ignore[return-value]


def record_matched(client: redis.Redis, document_id: str, content_sha256: str) -> None:
    client.hset(MATCHED, document_id, content_sha256)


def notified_sha(client: redis.Redis, alert_id: str, document_id: str) -> str | None:
    return client.hget(NOTIFIED + alert_id, document_id)  # type: ignore[return-value]


def was_notified(client: redis.Redis, alert_id: str, document_id: str) -> bool:
    return bool(client.hexists(NOTIFIED + alert_id, document_id))
