"""Response bodies of the alerts and deliveries routes (what the OpenAPI document shows)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from fazhi_shared.stores.deliveries import Attempt


class AlertOut(BaseModel):
    id: str
    name: str
    q: str
    filters: dict[str, Any]
    webhook_url: str
    digest_interval_seconds: int | None
    active: bool
    disabled_reason: str | None = Field(description="Why the alert was disabled (410, failures)")
    consecutive_failures: int
    rev: int
    created_at: str
    updated_at: str


class AlertWithSecret(AlertOut):
    secret: str = Field(description="The signing secret (whsec_…), shown only in this answer")


class DeliveryOut(BaseModel):
    id: str
    alert_id: str
    event: str = Field(description="alert.match, alert.digest or alert.test")
    webhook_id: str = Field(description="The receiver's idempotency key, the same on every attempt")
    document_ids: list[str]
    content_sha256: str | None
    state: str = Field(description="pending, succeeded, failed or cancelled")
    retries: bool
    retries_used: int
    attempts: list[Attempt]
    created_at: str
    next_attempt_at: float | None
    completed_at: str | None
    last_error: str | None
    payload: dict[str, Any] = Field(description="The JSON body sent")


class DeliveryPage(BaseModel):
    total: int
    deliveries: list[DeliveryOut]
