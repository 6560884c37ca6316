"""One webhook delivery (its attempts) and redelivery, for the key that owns its alert."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from fazhi_api.deps import ApiKeyDep, CeleryDep, RedisDep, SettingsDep
from fazhi_api.routes.alert_schemas import DeliveryOut
from fazhi_shared.producer import send
from fazhi_shared.stores.alerts import AlertStore, owner_of
from fazhi_shared.stores.deliveries import TEST_EVENT, Delivery, DeliveryStore, delivery_lease
from fazhi_shared.tasks import DeliverPayload, TaskName

router = APIRouter(prefix="/v1", tags=["alerts"])


def _own(store: DeliveryStore, redis: Any, delivery_id: str, key: str) -> Delivery:
    delivery = store.get(delivery_id)
    if delivery is None or AlertStore(redis).get_owned(delivery.alert_id, owner_of(key)) is None:
        raise HTTPException(404, f"no delivery {delivery_id}")
    return delivery


@router.get("/deliveries/{delivery_id}", response_model=DeliveryOut, summary="One delivery with every attempt")
def get_delivery(delivery_id: str, key: ApiKeyDep, redis: RedisDep) -> dict[str, Any]:
    return _own(DeliveryStore(redis), redis, delivery_id, key).public()


@router.post("/deliveries/{delivery_id}/redeliver", status_code=202, response_model=DeliveryOut,
             summary="Send a delivery again, with the same webhook-id")
def redeliver(
    delivery_id: str, key: ApiKeyDep, redis: RedisDep, celery: CeleryDep, settings: SettingsDep
) -> dict[str, Any]:
    store = DeliveryStore(redis)
    delivery = _own(store, redis, delivery_id, key)
    alert = AlertStore(redis).get(delivery.alert_id)
    if alert is not None and not alert.active and delivery.event != TEST_EVENT:
        raise HTTPException(409, f"alert {alert.id} is disabled ({alert.disabled_reason or 'inactive'}); "
                                 "re-activate it first (PATCH active=true)")
    if delivery.state == "pending":
        raise HTTPException(409, f"delivery {delivery_id} is still pending")
    delivery = store.reopen(delivery, delivery_lease(settings.webhook_timeout))
    send(celery, TaskName.DELIVER_WEBHOOK,
         DeliverPayload(alert_id=delivery.alert_id, document_id="", delivery_id=delivery.id))
    return delivery.public()
