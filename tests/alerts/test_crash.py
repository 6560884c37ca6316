"""The delivery worker killed mid-send and restarted: the receiver still gets the document,
at least once, and always with the same webhook-id."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import AlertsEnv, make_env
from .factories import make_document


@pytest.fixture
def crash_env(alerts_redis: str, tmp_path: Path) -> Iterator[AlertsEnv]:
    env = AlertsEnv(make_env(alerts_redis, tmp_path), tmp_path)
    env.worker.start()
    yield env
    env.close()


def test_worker_killed_mid_send_delivers_after_restart(crash_env: AlertsEnv) -> None:
    env = crash_env
    path = env.path()
    # The first request hangs long enough for the worker to be killed while it waits.
    env.receiver.route(path, (200, {}, b"too late", 3.0))
    alert = env.create_alert(path, q="负责人出庭应诉")
    doc = make_document(1, random.Random(1), text="行政机关负责人出庭应诉率达到100%。")
    env.index(doc)
    env.receiver.wait_for(lambda: any(p == path for p, _ in env.receiver.arrivals), timeout=20)
    env.worker.kill()

    env.worker.start()
    env.wait(lambda: any(d["state"] == "succeeded" for d in env.deliveries(alert["id"])),
             timeout=40, what="delivery after the restart")
    [delivery] = env.deliveries(alert["id"])
    ids = [wid for p, wid in env.receiver.arrivals if p == path]
    assert len(ids) >= 2  # the cut attempt and the one after the restart
    assert set(ids) == {delivery["webhook_id"]}
    answered = env.receiver.received(path)
    assert answered and all(c.verified for c in answered)
    assert {c.payload["data"]["document"]["id"] for c in answered} == {doc.id}
