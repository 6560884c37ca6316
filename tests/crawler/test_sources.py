"""The sources registry: YAML file loaded idempotently, edits through the store kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from fazhi_shared.settings import Settings
from fazhi_shared.stores.redis import redis_client
from fazhi_shared.stores.sources import NEXT_POLL, Source, SourceStore

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_registry_is_valid_and_loads_idempotently(settings: Settings) -> None:
    store = SourceStore(redis_client(settings))
    registry = ROOT / "deploy" / "sources.yaml"
    written = store.load_file(registry)
    assert written and len(written) == len(store.all())
    assert all(s.list_urls and s.interval for s in store.all())
    assert store.load_file(registry) == []  # unchanged file: nothing rewritten
    # An edit made through the API survives a restart with the same file…
    edited = store.all()[0].model_copy(update={"enabled": False})
    store.put(edited)
    assert store.load_file(registry) == []
    assert store.get(edited.id).enabled is False  # type: ignore[union-attr]
    # …and every source is scheduled.
    assert redis_client(settings).zcard(NEXT_POLL) == len(written)


def test_file_change_is_applied(settings: Settings, tmp_path: Path) -> None:
    store = SourceStore(redis_client(settings))
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n  - {id: a, list_urls: ['http://a.gov.cn/'], interval: 6h}\n")
    assert store.load_file(path) == ["a"]
    path.write_text("sources:\n  - {id: a, list_urls: ['http://a.gov.cn/'], interval: 1h}\n")
    assert store.load_file(path) == ["a"]
    assert store.get("a").interval == 3600  # type: ignore[union-attr]


def test_bad_sources_are_refused() -> None:
    with pytest.raises(ValidationError):
        Source(id="Bad Id", list_urls=["http://a.gov.cn/"])
    with pytest.raises(ValidationError):
        Source(id="a", list_urls=["ftp://a.gov.cn/"])
    with pytest.raises(ValidationError):
        Source(id="a", list_urls=["http://a.gov.cn/"], interval="soon")
    assert Source(id="a", list_urls=["http://a.gov.cn/"], interval="15m").interval == 900
