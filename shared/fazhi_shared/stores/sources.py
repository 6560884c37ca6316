"""The registry of watched sources (a site column: list URLs, list kind, schedule, politeness).

Sources live in Redis (hash ``fazhi:sources``), edited through ``/v1/sources`` and seeded from
a YAML file at crawler start. Loading the file is idempotent and keeps edits made through the
API: a source from the file is written again only when its entry in the file changed.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import time
from pathlib import Path
from typing import Any, Literal

import redis
import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from fazhi_shared.stores.redis import KEY_PREFIX

SOURCES = KEY_PREFIX + "sources"
FILE_HASHES = KEY_PREFIX + "sources:file"
# Sorted set source id → epoch second of its next poll (read by crawl.poll_due).
NEXT_POLL = KEY_PREFIX + "crawl:next"

_ID = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,79}$")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: int | float | str) -> int:
    """`3600`, `"90s"`, `"15m"`, `"6h"`, `"1d"` → seconds."""
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError(f"not a duration: {value!r}")
        return int(value)
    # A validator running before pydantic's own: a JSON list or object arrives here as is,
    # and only ValueError becomes a validation error (a TypeError would be a 500).
    match = _DURATION.match(value) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"not a duration: {value!r} (use seconds or 90s, 15m, 6h, 1d)")
    return int(float(match.group(1)) * _UNITS[match.group(2)])


class Selectors(BaseModel):
    """Optional hints; without them generic discovery reads any list page.

    HTML: CSS selectors (`item` the repeated element, `link` the anchor inside it, `date` the
    element carrying the date, `next` the next-page anchor). JSON/JSONP/script: dotted field
    paths (`items` to the list, `url`, `title`, `date` inside one item, `total_pages`), and
    `page_param`, the query parameter carrying the page number.
    """

    model_config = ConfigDict(extra="forbid")

    item: str | None = None
    link: str | None = None
    title: str | None = None
    date: str | None = None
    next: str | None = None
    items: str | None = None
    url: str | None = None
    total_pages: str | None = None
    page_param: str | None = None
    # A regular expression a report title must match (replaces the default title rules).
    title_pattern: str | None = None


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Stable id: lower-case letters, digits, `-`, `_`, `.`")
    name: str = ""
    list_urls: list[str] = Field(min_length=1)
    kind: Literal["html", "json", "jsonp", "script"] = "html"
    selectors: Selectors = Field(default_factory=lambda: Selectors())
    interval: int | None = Field(None, description="Seconds between polls (or 15m, 6h…).")
    max_pages: int | None = Field(None, ge=1, le=500, description="Pagination limit per list URL.")
    rate_per_host: float | None = Field(None, gt=0, description="Requests/s to this host at most.")
    concurrency_per_host: int | None = Field(None, ge=1, le=16)
    attachments: bool = True
    enabled: bool = True

    @field_validator("id")
    @classmethod
    def _valid_id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("id: lower-case letters, digits, '-', '_', '.', at most 80")
        return value

    @field_validator("interval", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        return None if value is None else parse_duration(value)

    @field_validator("list_urls")
    @classmethod
    def _http(cls, urls: list[str]) -> list[str]:
        for url in urls:
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"not an http(s) URL: {url}")
        return urls


class SourceStore:
    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    def get(self, source_id: str) -> Source | None:
        raw = self.client.hget(SOURCES, source_id)
        return Source.model_validate_json(raw) if raw else None  # type: ignore[arg-type]

    def all(self) -> list[Source]:
        raw = self.client.hvals(SOURCES)
        return sorted((Source.model_validate_json(v) for v in raw), key=lambda s: s.id)  # type: ignore[union-attr]

    def put(self, source: Source) -> bool:
        """Create or replace; a new source is due for a poll at once. True when created."""
        created = bool(self.client.hset(SOURCES, source.id, source.model_dump_json()))
        self.client.zadd(NEXT_POLL, {source.id: time.time()}, nx=True)
        return created

    def delete(self, source_id: str) -> bool:
        pipe = self.client.pipeline()
        pipe.hdel(SOURCES, source_id)
        pipe.zrem(NEXT_POLL, source_id)
        return bool(pipe.execute()[0])

    def load_file(self, path: Path) -> list[str]:
        """Upsert the sources of a YAML registry; returns the ids written."""
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        entries = data.get("sources", []) if isinstance(data, dict) else data
        written = []
        for entry in entries:
            source = Source.model_validate(entry)
            digest = hashlib.sha256(
                json.dumps(entry, sort_keys=True, ensure_ascii=False, default=str).encode()
            ).hexdigest()
            # Unchanged in the file: keep what the API made of it (edited or deleted).
            if self.client.hget(FILE_HASHES, source.id) == digest:
                continue
            self.put(source)
            self.client.hset(FILE_HASHES, source.id, digest)
            written.append(source.id)
        return written
