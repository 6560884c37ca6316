"""Sources: the site columns the crawler watches; CRUD, poll now, poll status."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Response

from fazhi_api.deps import ApiKeyDep, CeleryDep, RedisDep, SettingsDep
from fazhi_shared.producer import send
from fazhi_shared.stores.crawlstate import CrawlState
from fazhi_shared.stores.sources import Source, SourceStore
from fazhi_shared.tasks import PollPayload, TaskName

router = APIRouter(prefix="/v1", tags=["sources"])
# A source polled every 0 or -5 seconds would be polled without pause; one polled every
# 10^20 days never, and its next-poll time overflows a date.
MAX_INTERVAL = 366 * 86400


def _check_interval(source: Source) -> None:
    if source.interval is not None and not 1 <= source.interval <= MAX_INTERVAL:
        raise HTTPException(422, f"interval must be from 1 second to 366 days, not {source.interval} s")


@router.get("/sources", summary="Every watched source")
def list_sources(redis: RedisDep) -> list[Source]:
    return SourceStore(redis).all()


@router.post("/sources", status_code=201, summary="Add a source (due for a poll at once)")
def create_source(source: Source, _key: ApiKeyDep, redis: RedisDep, response: Response) -> Source:
    _check_interval(source)
    store = SourceStore(redis)
    if store.get(source.id) is not None:
        raise HTTPException(409, f"source {source.id} exists; PUT /v1/sources/{source.id} replaces it")
    store.put(source)
    response.headers["Location"] = f"/v1/sources/{source.id}"
    return source


@router.get("/sources/{source_id}", summary="One source")
def get_source(source_id: str, redis: RedisDep) -> Source:
    source = SourceStore(redis).get(source_id)
    if source is None:
        raise HTTPException(404, f"no source {source_id}")
    return source


@router.put("/sources/{source_id}", summary="Create or replace a source")
def put_source(source_id: str, source: Source, _key: ApiKeyDep, redis: RedisDep) -> Source:
    if source.id != source_id:
        raise HTTPException(422, f"body id {source.id!r} differs from the path's {source_id!r}")
    _check_interval(source)
    SourceStore(redis).put(source)
    return source


@router.delete("/sources/{source_id}", status_code=204, summary="Stop watching a source")
def delete_source(source_id: str, _key: ApiKeyDep, redis: RedisDep) -> Response:
    if not SourceStore(redis).delete(source_id):
        raise HTTPException(404, f"no source {source_id}")
    CrawlState(redis).forget(source_id)
    return Response(status_code=204)


@router.post("/sources/{source_id}/poll", status_code=202, summary="Poll a source now")
def poll_now(
    source_id: str, _key: ApiKeyDep, redis: RedisDep, celery: CeleryDep, settings: SettingsDep
) -> dict[str, Any]:
    if SourceStore(redis).get(source_id) is None:
        raise HTTPException(404, f"no source {source_id}")
    state = CrawlState(redis)
    # The same lease as beat's polls: never two polls of one source at once.
    lease = state.take_lease(source_id, settings.crawl_poll_lease)
    if lease is None:
        raise HTTPException(409, f"source {source_id} is being polled; try again when it is done")
    task_id = send(celery, TaskName.CRAWL_POLL_SOURCE, PollPayload(source_id=source_id, lease=lease, force=True))
    return {"source_id": source_id, "task_id": task_id, "queued": True}


@router.get("/sources/{source_id}/status", summary="Last poll, pages, new documents, errors, next poll")
def source_status(source_id: str, redis: RedisDep) -> dict[str, Any]:
    if SourceStore(redis).get(source_id) is None:
        raise HTTPException(404, f"no source {source_id}")
    return {"source_id": source_id, **CrawlState(redis).status(source_id)}
