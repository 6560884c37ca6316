"""The whole stack watching a local site through /v1/sources: reports searchable, a new one
searchable soon after it appears, status and poll-now through the API."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Stack, start_stack
from tests.web.server import LocalWeb
from tests.web.sites import ListSite

pytestmark = [pytest.mark.stack, pytest.mark.slow]


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    running = start_stack(tmp_path / "data", extra_env={
        "FAZHI_CRAWL_POLL_TICK": "0.5", "FAZHI_CRAWL_RATE_PER_HOST": "8",
        "FAZHI_CRAWL_RETRY_BACKOFF": "0.2",
    })
    yield running
    running.stop()


def _urls(client, q: str = "法治政府建设") -> set[str]:  # type: ignore[no-untyped-def]
    answer = client.get("/v1/search", params={"q": q, "is_report": "any", "size": 100})
    return {hit["url"] for hit in answer.json().get("hits", [])}


def test_a_watched_site_becomes_searchable_and_stays_current(
    stack: Stack, sites: dict[str, ListSite], web: LocalWeb
) -> None:
    trs = sites["trs"]
    source = {"id": "linjiang", "name": "临江市 法治政府建设", "list_urls": [trs.list_url()],  # type: ignore[attr-defined]
              "interval": 3}
    with stack.client() as client:
        anonymous = client.post("/v1/sources", json=source, headers={"Authorization": ""})
        assert anonymous.status_code == 401
        created = client.post("/v1/sources", json=source)
        assert created.status_code == 201, created.text
        assert client.post("/v1/sources", json=source).status_code == 409
        assert client.post("/v1/sources", json={**source, "id": "x", "list_urls": ["ftp://x"]}).status_code == 422

        expected = trs.expected()
        stack.wait_for(lambda: expected <= _urls(client), 90, "every report to be searchable")
        found = _urls(client)
        assert not {u for u in found if "/private/" in u}
        assert trs.attachment_urls() <= _urls(client, "法治")  # attachments are documents too

        status = client.get("/v1/sources/linjiang/status").json()
        assert status["reports_fetched"] == len(expected)
        assert status["last_poll_ok"] is True and status["errors"] == []
        assert status["next_poll_at"] and status["last_poll_finished_at"]

        new_url = trs.publish("临江市审计局关于2024年度法治政府建设工作情况的报告")
        published = time.monotonic()
        stack.wait_for(lambda: new_url in _urls(client), 60, "the new report to be searchable")
        latency = time.monotonic() - published
        assert latency <= 3 + 5 + 5, latency  # interval + 5 s, and slack for a busy test machine

        polled = client.post("/v1/sources/linjiang/poll")
        assert polled.status_code in (202, 409), polled.text
        assert client.post("/v1/sources/nope/poll").status_code == 404
        assert [s["id"] for s in client.get("/v1/sources").json()] == ["linjiang"]
        assert client.delete("/v1/sources/linjiang").status_code == 204
        assert client.get("/v1/sources/linjiang").status_code == 404
    # Politeness held for the whole run, measured at the site.
    assert web.min_gap("trs") >= 1 / 8 - 0.01
