"""Alerts (saved searches that call webhooks) and their delivery logs.

An alert belongs to the API key that created it: another key gets 404 for it, as if it did
not exist. `q` and `filters` take exactly the syntax of `/v1/search` (the filters by the
search parameters' names), validated by the same code.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Response
from pydantic import BaseModel, Field

from fazhi_api.deps import ApiKeyDep, CeleryDep, RedisDep, SettingsDep
from fazhi_api.routes.alert_schemas import AlertOut, AlertWithSecret, DeliveryOut, DeliveryPage
from fazhi_api.routes.search import build_request
from fazhi_shared.producer import send
from fazhi_shared.search.base import BOOL_FILTERS, KEYWORD_FILTERS
from fazhi_shared.search.query import parse_query
from fazhi_shared.stores.alerts import (
    Alert,
    AlertStore,
    UnsafeWebhookUrl,
    owner_of,
    resolve_webhook_url,
)
from fazhi_shared.stores.deliveries import (
    TEST_EVENT,
    DeliveryStore,
    delivery_lease,
    new_delivery_id,
    test_event_body,
)
from fazhi_shared.tasks import DeliverPayload, TaskName

router = APIRouter(prefix="/v1", tags=["alerts"])
PRESENTATION = {"sort", "size", "cursor", "facets", "facet_size", "stats", "snippets"}
RANGE_FILTERS = ("report_year", "publish_date_from", "publish_date_to")
FilterValue = str | int | bool | list[str | int | bool]


class AlertIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    q: str = Field("", max_length=1000)
    filters: dict[str, FilterValue] = Field(
        default_factory=dict,
        description="Filters by the names of /v1/search's parameters, e.g. "
        '{"province": ["浙江省"], "doc_type": "annual_report", "report_year": "2021..2023"}',
    )
    webhook_url: str = Field(max_length=2000)
    digest_interval_seconds: int | None = Field(
        None, ge=1, le=7 * 86400,
        description="Set: one call per interval listing every match; unset: one call per match.",
    )
    active: bool = True


class AlertPatch(BaseModel):
    name: str | None = Field(None, min_length=1, max_length=200)
    q: str | None = Field(None, max_length=1000)
    filters: dict[str, FilterValue] | None = None
    webhook_url: str | None = Field(None, max_length=2000)
    digest_interval_seconds: int | None = Field(None, ge=1, le=7 * 86400)
    active: bool | None = None


def _strings(value: FilterValue) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [("true" if v else "false") if isinstance(v, bool) else str(v) for v in items]


def search_request(q: str, filters: dict[str, FilterValue]) -> dict[str, Any]:
    """The SearchRequest `/v1/search?q=…&<filters>` would run (400 on a bad query or filter)."""
    known = set(KEYWORD_FILTERS) | set(BOOL_FILTERS) | set(RANGE_FILTERS)
    unknown = sorted(set(filters) - known)
    if unknown:
        raise HTTPException(400, f"unknown filters {unknown}; filters: {sorted(known)}")
    parse_query(q)  # a QuerySyntaxError becomes the same 400 problem as in search
    given = {name: _strings(value) for name, value in filters.items()}
    single = {}
    for name in RANGE_FILTERS:
        values = given.pop(name, [])
        if len(values) > 1:
            raise HTTPException(400, f"{name} takes one value")
        single[name] = values[0] if values else None
    merged = {name: given.get(name, []) for name in KEYWORD_FILTERS}
    merged.update({"is_report": given.get("is_report", ["true"]), "on_time": given.get("on_time", [])})
    request = build_request(
        q, merged, single["report_year"], single["publish_date_from"], single["publish_date_to"],
        "relevance", 0, None,
    )
    # Everything that decides which documents match; paging and presentation play no part.
    return request.model_dump(mode="json", exclude=PRESENTATION)


def _check_url(url: str, allow_private: bool) -> None:
    try:
        resolve_webhook_url(url, allow_private)
    except UnsafeWebhookUrl as exc:
        raise HTTPException(422, str(exc)) from None
    except ValueError as exc:
        # urlsplit on a broken IPv6 host, the IDNA codec on a label over 63 characters,
        # getaddrinfo on a NUL: the URL cannot be called, whatever its address would be.
        raise HTTPException(422, f"webhook_url is not a valid URL: {exc}") from None


def _own(store: AlertStore, alert_id: str, key: str) -> Alert:
    alert = store.get_owned(alert_id, owner_of(key))
    if alert is None:
        raise HTTPException(404, f"no alert {alert_id}")
    return alert


@router.post("/alerts", status_code=201, response_model=AlertWithSecret, summary="Save a search that calls a webhook")
def create_alert(body: AlertIn, key: ApiKeyDep, redis: RedisDep, settings: SettingsDep) -> dict[str, Any]:
    request = search_request(body.q, body.filters)
    _check_url(body.webhook_url, settings.webhook_allow_private)
    alert, secret = AlertStore(redis).create(
        owner=owner_of(key), request=request, **body.model_dump(),
    )
    return {**alert.public(), "secret": secret}


@router.get("/alerts", response_model=list[AlertOut], summary="The alerts of this API key")
def list_alerts(key: ApiKeyDep, redis: RedisDep) -> list[dict[str, Any]]:
    return [a.public() for a in AlertStore(redis).list_owned(owner_of(key))]


@router.get("/alerts/{alert_id}", response_model=AlertOut, summary="One alert")
def get_alert(alert_id: str, key: ApiKeyDep, redis: RedisDep) -> dict[str, Any]:
    return _own(AlertStore(redis), alert_id, key).public()


@router.patch("/alerts/{alert_id}", response_model=AlertOut, summary="Change an alert (re-activating clears its failures)")
def update_alert(
    alert_id: str, body: AlertPatch, key: ApiKeyDep, redis: RedisDep, settings: SettingsDep
) -> dict[str, Any]:
    store = AlertStore(redis)
    alert = _own(store, alert_id, key)
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    if changes.get("name") is None:
        changes.pop("name", None)
    if "q" in changes or "filters" in changes:
        changes["q"] = changes.get("q") if changes.get("q") is not None else alert.q
        changes["filters"] = changes.get("filters") if changes.get("filters") is not None else alert.filters
        changes["request"] = search_request(changes["q"], changes["filters"])
    if changes.get("webhook_url") is not None:
        _check_url(changes["webhook_url"], settings.webhook_allow_private)
    else:
        changes.pop("webhook_url", None)
    if changes.get("active") is None:
        changes.pop("active", None)
    elif changes["active"]:
        changes.update(consecutive_failures=0, disabled_reason=None)
    updated = store.update(alert, **changes)
    if updated is None:
        raise HTTPException(404, f"no alert {alert_id}")
    return updated.public()


@router.delete("/alerts/{alert_id}", status_code=204, summary="Delete an alert and its log")
def delete_alert(alert_id: str, key: ApiKeyDep, redis: RedisDep) -> Response:
    store = AlertStore(redis)
    alert = _own(store, alert_id, key)
    store.delete(alert)
    DeliveryStore(redis).forget_alert(alert.id)
    return Response(status_code=204)


@router.post("/alerts/{alert_id}/rotate-secret", response_model=AlertWithSecret,
             summary="New signing secret (shown once; the old one still signs for 24 h)")
def rotate_secret(alert_id: str, key: ApiKeyDep, redis: RedisDep) -> dict[str, Any]:
    store = AlertStore(redis)
    rotated, secret = store.rotate_secret(_own(store, alert_id, key))
    if rotated is None:
        raise HTTPException(404, f"no alert {alert_id}")
    return {**rotated.public(), "secret": secret}


@router.post("/alerts/{alert_id}/test", status_code=202, response_model=DeliveryOut, summary="Send a test event (one attempt)")
def test_alert(alert_id: str, key: ApiKeyDep, redis: RedisDep, celery: CeleryDep,
               settings: SettingsDep) -> dict[str, Any]:
    alert = _own(AlertStore(redis), alert_id, key)
    store = DeliveryStore(redis)
    body = test_event_body(alert.id, alert.name)
    delivery = store.new(delivery_id=new_delivery_id(), alert_id=alert.id, event=TEST_EVENT,
                         body=body, retries=False)
    store.add(delivery, delivery_lease(settings.webhook_timeout))
    send(celery, TaskName.DELIVER_WEBHOOK,
         DeliverPayload(alert_id=alert.id, document_id="", delivery_id=delivery.id))
    return delivery.public()


@router.get("/alerts/{alert_id}/deliveries", response_model=DeliveryPage, summary="The alert's delivery log, newest first")
def list_deliveries(
    alert_id: str, key: ApiKeyDep, redis: RedisDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    # Bounded: Redis takes ranges as 64-bit integers and answers an error past them.
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> dict[str, Any]:
    alert = _own(AlertStore(redis), alert_id, key)
    total, deliveries = DeliveryStore(redis).list_for_alert(alert.id, limit, offset)
    return {"total": total, "deliveries": [d.public() for d in deliveries]}
