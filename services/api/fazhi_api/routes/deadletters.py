"""Dead letters: tasks that failed for good, listable and replayable."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from fazhi_api.deps import ApiKeyDep, CeleryDep, RedisDep
from fazhi_shared.stores.deadletters import DeadLetters
from fazhi_shared.tasks import queue_of

router = APIRouter(prefix="/v1", tags=["dead letters"])


@router.get("/deadletters", summary="Tasks that failed after every retry")
def list_deadletters(_key: ApiKeyDep, redis: RedisDep) -> list[dict[str, Any]]:
    return DeadLetters(redis).list()


@router.post("/deadletters/{entry_id}/replay", status_code=202, summary="Send a failed task again")
def replay(entry_id: str, _key: ApiKeyDep, redis: RedisDep, celery: CeleryDep) -> dict[str, str]:
    entry = DeadLetters(redis).pop(entry_id)
    if entry is None:
        raise HTTPException(404, f"no dead letter {entry_id}")
    result = celery.send_task(entry["task"], kwargs=entry["kwargs"], queue=queue_of(entry["task"]))
    return {"task_id": str(result.id), "task": entry["task"]}
