"""Loading the sources registry file into Redis when a crawler or beat starts (idempotent)."""

from __future__ import annotations

import logging
from pathlib import Path

from fazhi_shared.settings import Settings
from fazhi_shared.stores.redis import redis_client
from fazhi_shared.stores.sources import SourceStore

log = logging.getLogger(__name__)


def registry_file(settings: Settings) -> Path | None:
    # No implicit default: a stack started for tests or a demo must not start crawling the
    # real government sites of deploy/sources.yaml unless asked to.
    return settings.crawl_sources_file


def load_registry(settings: Settings) -> list[str]:
    path = registry_file(settings)
    if path is None:
        return []
    written = SourceStore(redis_client(settings)).load_file(path)
    log.info("sources registry %s: %d source(s) written", path, len(written))
    return written
