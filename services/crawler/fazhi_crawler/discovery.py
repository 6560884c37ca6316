"""`fazhi discover LIST_URL --json`: report links of one list page and its next pages.

Fetches only list pages (politely, through the same fetcher as the crawler; with no Redis
running the limits hold inside this process) and never the reports themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from fazhi_crawler.fetcher import Fetcher, FetchError
from fazhi_crawler.listpage import parse_list
from fazhi_shared.settings import Settings
from fazhi_shared.stores.redis import redis_client
from fazhi_shared.stores.sources import Source

log = logging.getLogger(__name__)


def _optional_redis(settings: Settings) -> Any:
    try:
        client = redis_client(settings)
        client.ping()
        return client
    except Exception:  # no stack running: limits and robots cache stay in this process
        return None


def discover(list_url: str, settings: Settings, *, source: Source | None = None,
             max_pages: int | None = None) -> Iterator[dict[str, str | None]]:
    """Yield `{url, title, date}` for every report link found from `list_url`, each once."""
    limit = max_pages or (source.max_pages if source and source.max_pages else settings.crawl_max_pages)
    seen_links: set[str] = set()
    queue = [list_url]
    visited: set[str] = set()
    with Fetcher(settings, _optional_redis(settings), source=source, archive=False) as fetcher:
        while queue and len(visited) < limit:
            url = queue.pop(0)
            if url in visited:
                continue
            visited.add(url)
            try:
                page = fetcher.get(url, role="list")
            except FetchError as exc:
                log.warning("list page not read: %s", exc)
                if url == list_url:
                    raise
                continue
            found = parse_list(page.body, page.url, page.content_type, source)
            for link in found.links:
                if link.url not in seen_links:
                    seen_links.add(link.url)
                    yield link.as_dict()
            queue.extend(u for u in found.next_urls if u not in visited)
