"""POST /v1/ingest: queue a body (upload) or URLs (fetched by the crawler) for processing."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, Field, HttpUrl

from fazhi_api.deps import ApiKeyDep, CeleryDep, SettingsDep
from fazhi_shared.archive import RawArchive
from fazhi_shared.producer import send
from fazhi_shared.tasks import FetchPayload, ProcessPayload, TaskName

router = APIRouter(prefix="/v1", tags=["ingest"])


class Queued(BaseModel):
    queued: int
    content_sha256: str | None = None
    task_ids: list[str]


class UrlList(BaseModel):
    urls: list[HttpUrl] = Field(min_length=1, max_length=1000)
    source_id: str | None = None


# The body is read as a raw stream (to cap it while reading), so FastAPI cannot see it:
# described here so that the OpenAPI document and /docs show how to send it.
_RAW_BODY = {"requestBody": {"required": True, "description": "The document as fetched "
             "(HTML, PDF, DOCX…); its Content-Type, if any, is kept as the fetch's header",
             "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}}


@router.post("/ingest", status_code=202, response_model=Queued, openapi_extra=_RAW_BODY,
             summary="Queue one document body (the request body) for processing")
async def ingest_body(
    request: Request, _key: ApiKeyDep, settings: SettingsDep, celery: CeleryDep,
    url: str = Query(..., min_length=1, max_length=2000, description="The document's canonical URL"),
    source_id: str | None = None,
) -> Queued:
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > settings.max_body_bytes:
            raise HTTPException(413, f"body over {settings.max_body_bytes} bytes")
    if not body:
        raise HTTPException(400, "empty body")
    fetched_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    content_type = request.headers.get("content-type")
    sha = RawArchive(settings.archive_dir).put(
        bytes(body), {"url": url, "headers": {"content-type": content_type or ""}, "fetched_at": fetched_at}
    )
    task_id = send(celery, TaskName.PROCESS_DOCUMENT, ProcessPayload(
        content_sha256=sha, url=url, source_id=source_id, fetched_at=fetched_at,
        content_type=content_type,
    ))
    return Queued(queued=1, content_sha256=sha, task_ids=[task_id])


@router.post("/ingest/urls", status_code=202, response_model=Queued,
             summary="Queue URLs to be fetched and processed")
def ingest_urls(payload: UrlList, _key: ApiKeyDep, celery: CeleryDep) -> Queued:
    ids = [
        send(celery, TaskName.CRAWL_FETCH, FetchPayload(url=str(u), source_id=payload.source_id))
        for u in payload.urls
    ]
    return Queued(queued=len(ids), task_ids=ids)
