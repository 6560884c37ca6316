"""GET /healthz: Redis, the workers of each queue, the search index."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from fazhi_api.deps import BackendDep, CeleryDep, RedisDep
from fazhi_shared.tasks import Queue

router = APIRouter(tags=["health"])


def _queue_consumers(celery: Any) -> dict[str, int]:
    replies = celery.control.inspect(timeout=1.0).active_queues() or {}
    counts = {q.value: 0 for q in Queue}
    for queues in replies.values():
        for q in queues:
            if q.get("name") in counts:
                counts[q["name"]] += 1
    return counts


def _index_health(backend: Any) -> dict[str, Any]:
    # Caught here, not around the await: a StopIteration cannot cross into an asyncio future.
    try:
        return {"ok": True, **backend.health()}
    except Exception as exc:
        return {"ok": False, "error": repr(exc)}


@router.get("/healthz", summary="Health of Redis, each queue's workers and the index",
            responses={503: {"description": "Something is unhealthy; the same body says what"}})
async def healthz(redis: RedisDep, backend: BackendDep, celery: CeleryDep) -> JSONResponse:
    checks: dict[str, Any] = {}
    healthy = True
    try:
        redis.ping()
        checks["redis"] = {"ok": True}
    except Exception as exc:  # any failure of the store is what this reports
        healthy = False
        checks["redis"] = {"ok": False, "error": repr(exc)}
    try:
        consumers = await asyncio.to_thread(_queue_consumers, celery)
        backlog = {q.value: int(redis.llen(q.value)) for q in Queue} if checks["redis"]["ok"] else {}
        checks["queues"] = {
            q: {"ok": n > 0, "workers": n, "waiting": backlog.get(q)} for q, n in consumers.items()
        }
        healthy = healthy and all(v["ok"] for v in checks["queues"].values())
    except Exception as exc:
        healthy = False
        checks["queues"] = {"ok": False, "error": repr(exc)}
    # In a thread: Elasticsearch may take its whole timeout to answer, and this loop serves
    # every other request meanwhile.
    checks["index"] = await asyncio.to_thread(_index_health, backend)
    healthy = healthy and checks["index"]["ok"]
    return JSONResponse({"status": "ok" if healthy else "degraded", "checks": checks},
                        status_code=200 if healthy else 503)
