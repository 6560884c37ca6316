"""Sending tasks by name: producers never import the consumer's code."""

from __future__ import annotations

from celery import Celery
from pydantic import BaseModel

from fazhi_shared.tasks import TaskName, queue_of


def send(app: Celery, name: TaskName, payload: BaseModel, **options: object) -> str:
    result = app.send_task(
        name.value,
        kwargs={"payload": payload.model_dump(mode="json")},
        queue=queue_of(name.value),
        **options,  # type: ignore[arg-type]
    )
    return str(result.id)
