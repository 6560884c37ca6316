"""Alerts through the whole stack (`fazhi up`): a page ingested through the API reaches the
webhook once, after the crawler, worker and indexer did their part."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import SEEDS, Stack, start_stack

from .receiver import Receiver

pytestmark = [pytest.mark.stack, pytest.mark.slow]


@pytest.fixture
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    stack = start_stack(tmp_path_factory.mktemp("alerts-stack") / "data")
    yield stack
    stack.stop()


def test_ingested_report_reaches_the_webhook_once(stack: Stack) -> None:
    receiver = Receiver()
    try:
        receiver.route("/hook")
        with stack.client() as client:
            created = client.post("/v1/alerts", json={
                "name": "复议", "q": "行政复议", "filters": {"is_report": "any"},
                "webhook_url": receiver.url("/hook")})
            assert created.status_code == 201, created.text
            alert = created.json()
            receiver.routes["/hook"].secret = alert["secret"]
            first, second = sorted(SEEDS.glob("00[01]_*.txt"))
            url_of = {p: f"http://gov.example/{p.name}" for p in (first, second)}

            def ingest(path: object) -> None:
                answer = client.post("/v1/ingest", params={"url": url_of[path]},  # type: ignore[index]
                                     content=path.read_bytes(),  # type: ignore[attr-defined]
                                     headers={"content-type": "text/plain; charset=utf-8"})
                assert answer.status_code == 202, answer.text

            ingest(first)
            stack.wait_for(lambda: receiver.received("/hook"), timeout=120, what="the first webhook")
            ingest(first)  # the same bytes again: an unchanged re-index
            ingest(second)
            stack.wait_for(lambda: len(receiver.received("/hook")) >= 2, timeout=120,
                           what="the second report's webhook")
            stack.wait_for(lambda: len(client.get(f"/v1/alerts/{alert['id']}/deliveries")
                                       .json()["deliveries"]) >= 2, what="the delivery log")
            log = client.get(f"/v1/alerts/{alert['id']}/deliveries").json()["deliveries"]
        calls = receiver.received("/hook")
        assert all(c.verified for c in calls)
        urls = [c.payload["data"]["document"]["url"] for c in calls]
        assert sorted(urls) == sorted(url_of.values())  # each report once
        assert {d["state"] for d in log} == {"succeeded"} and len(log) == 2
    finally:
        receiver.close()
