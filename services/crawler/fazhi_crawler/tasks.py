"""crawl.fetch: fetch one URL, archive the body, hand it to processing."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import httpx

from fazhi_crawler.celery_app import app
from fazhi_shared.archive import RawArchive
from fazhi_shared.celery_base import PipelineTask, TransientError
from fazhi_shared.producer import send
from fazhi_shared.tasks import FetchPayload, ProcessPayload, TaskName

log = logging.getLogger(__name__)
USER_AGENT = "FazhiWatch/0.1 (+https://github.com/fazhi-watch; rule-of-law report monitor)"


@app.task(name=TaskName.CRAWL_FETCH.value, base=PipelineTask, bind=True)
def fetch(self: PipelineTask, payload: dict[str, Any]) -> str | None:
    job = FetchPayload.model_validate(payload)
    settings = self.app.conf.fazhi_settings
    try:
        with httpx.Client(
            timeout=httpx.Timeout(30, connect=10), follow_redirects=True, max_redirects=5,
            headers={"User-Agent": USER_AGENT},
        ) as client, client.stream("GET", job.url) as response:
            if response.status_code >= 500 or response.status_code == 429:
                raise TransientError(f"{job.url}: HTTP {response.status_code}")
            if response.status_code >= 400:
                log.warning("%s: HTTP %s, not processed", job.url, response.status_code)
                return None
            body = b""
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > settings.max_body_bytes:
                    log.warning("%s: body over %d bytes, not processed", job.url, settings.max_body_bytes)
                    return None
            headers = dict(response.headers)
            final_url = str(response.url)
    except httpx.TransportError as exc:
        raise TransientError(f"{job.url}: {exc!r}") from exc
    fetched_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    sha = RawArchive(settings.archive_dir).put(
        body, {"url": final_url, "headers": headers, "fetched_at": fetched_at}
    )
    send(self.app, TaskName.PROCESS_DOCUMENT, ProcessPayload(
        content_sha256=sha, url=final_url, source_id=job.source_id, fetched_at=fetched_at,
        content_type=headers.get("content-type"), headers=headers,
    ))
    return sha
