"""Queue files and URLs into the running stack, and wait until they are searchable."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from celery import Celery

from fazhi_shared.archive import RawArchive
from fazhi_shared.models import document_id
from fazhi_shared.pipeline import canonical_url
from fazhi_shared.producer import send
from fazhi_shared.search.base import SearchBackend
from fazhi_shared.settings import Settings
from fazhi_shared.tasks import FetchPayload, ProcessPayload, TaskName


@dataclass
class Queued:
    target: str
    url: str
    doc_id: str
    content_sha256: str | None  # unknown for URLs until the crawler fetched them


def is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def expand(targets: Iterable[str]) -> list[str]:
    out: list[str] = []
    for target in targets:
        path = Path(target)
        if not is_url(target) and path.is_dir():
            out.extend(str(p) for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith("."))
        else:
            out.append(target)
    return out


def file_url(path: Path) -> str:
    return path.resolve().as_uri()


def queue_targets(settings: Settings, celery: Celery, targets: Iterable[str]) -> list[Queued]:
    archive = RawArchive(settings.archive_dir)
    expanded = expand(targets)
    for target in expanded:  # every path checked before anything is queued
        if not is_url(target) and not Path(target).is_file():
            raise FileNotFoundError(f"{target}: no such file, directory or http(s) URL")
    queued = []
    for target in expanded:
        if is_url(target):
            send(celery, TaskName.CRAWL_FETCH, FetchPayload(url=target))
            queued.append(Queued(target, target, document_id(canonical_url(target)), None))
            continue
        path = Path(target)
        body = path.read_bytes()
        url = file_url(path)
        fetched_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        sha = archive.put(body, {"url": url, "headers": {}, "fetched_at": fetched_at})
        send(celery, TaskName.PROCESS_DOCUMENT, ProcessPayload(
            content_sha256=sha, url=url, fetched_at=fetched_at, content_type=None,
        ))
        queued.append(Queued(target, url, document_id(canonical_url(url)), sha))
    return queued


def wait_indexed(
    backend: SearchBackend, queued: list[Queued], timeout: float,
    should_stop: Callable[[], bool] = lambda: False,
) -> list[Queued]:
    """Wait until each queued item is in the index (with its content); return those missing."""
    pending = list(queued)
    deadline = time.monotonic() + timeout
    while pending and time.monotonic() < deadline and not should_stop():
        still = []
        for item in pending:
            doc = backend.get(item.doc_id)
            if doc is None or (item.content_sha256 and doc.content_sha256 != item.content_sha256):
                still.append(item)
        pending = still
        if pending:
            time.sleep(0.3)
    return pending
