"""Webhook deliveries end to end: indexed document → alerts worker → receiver on 127.0.0.1.

The receiver verifies every signature with the `standardwebhooks` library. Retry delays are
shortened by settings (conftest.FAST), so each path runs in seconds.
"""

from __future__ import annotations

import random
import time
from typing import Any

from .conftest import AlertsEnv
from .factories import make_document


def _doc(n: int, **overrides: Any) -> Any:
    return make_document(n, random.Random(n), **overrides)


def _final(env: AlertsEnv, alert_id: str, count: int = 1, timeout: float = 20.0) -> list[dict[str, Any]]:
    """The alert's deliveries once `count` of them are no longer pending."""
    def done() -> list[dict[str, Any]] | None:
        found = [d for d in env.deliveries(alert_id) if d["state"] != "pending"]
        return found if len(found) >= count else None
    return env.wait(done, timeout, f"{count} finished deliveries of {alert_id}")  # type: ignore[no-any-return]


def test_match_is_delivered_signed_with_the_document(alerts_env: AlertsEnv) -> None:
    alert = alerts_env.create_alert(name="复议", q="行政复议", filters={"province": "浙江省"})
    hit = _doc(1, text="全年办理行政复议案件120件。", region={"province": "浙江省"},
               title="浙江省2021年度法治政府建设情况的报告", report_year=2021, publish_date="2022-03-01")
    other_province = _doc(2, text="全年办理行政复议案件80件。", region={"province": "河北省"})
    other_words = _doc(3, text="人民调解工作成效明显。", region={"province": "浙江省"})
    alerts_env.index(hit, other_province, other_words)

    [delivery] = _final(alerts_env, alert["id"])
    assert delivery["state"] == "succeeded"
    [call] = alerts_env.receiver.received(alert["path"])
    assert call.verified, call.error
    assert call.webhook_id == delivery["webhook_id"]
    event = call.payload
    assert event["type"] == "alert.match"
    assert event["data"]["alert"] == {"id": alert["id"], "name": "复议"}
    document = event["data"]["document"]
    assert document["id"] == hit.id and document["url"] == hit.url
    assert document["title"] == hit.title and document["issuer"] == hit.issuer
    assert document["region"]["province"] == "浙江省"
    assert (document["report_year"], document["publish_date"]) == (2021, "2022-03-01")
    assert any("<em>行政复议</em>" in h for h in document["highlights"])
    attempt = delivery["attempts"][0]
    assert attempt["status_code"] == 200 and attempt["latency_ms"] >= 0 and attempt["error"] is None
    # A finished delivery stays in the log for 30 days, then Redis drops it.
    ttl = alerts_env.redis.ttl(f"fazhi:delivery:{delivery['id']}")
    assert 29 * 86400 < ttl <= 30 * 86400


def test_unchanged_reindex_and_near_duplicates_notify_nobody_again(alerts_env: AlertsEnv) -> None:
    alert = alerts_env.create_alert(q="公平竞争审查")
    original = _doc(10, text="开展公平竞争审查。")
    alerts_env.index(original)
    _final(alerts_env, alert["id"])
    copy = _doc(11, text="开展公平竞争审查。（转载）", duplicate_of=original.id)
    alerts_env.index(original, copy)  # the same content again, and a near-duplicate
    changed = original.model_copy(update={"text": "开展公平竞争审查，修订版。", "content_sha256": "f" * 64})
    alerts_env.index(changed)
    deliveries = _final(alerts_env, alert["id"], count=2)
    alerts_env.receiver.wait_for(lambda: len(alerts_env.receiver.received(alert["path"])) >= 2)
    calls = alerts_env.receiver.received(alert["path"])
    assert [c.payload["data"]["document"]["id"] for c in calls] == [original.id, original.id]
    assert calls[1].payload["data"]["document"]["content_sha256"] == "f" * 64
    assert len({c.webhook_id for c in calls}) == 2  # a new version is a new event
    assert len(deliveries) == 2


def test_receiver_down_then_up_is_delivered_by_a_retry(alerts_env: AlertsEnv) -> None:
    from fazhi_shared.stores.embedded_redis import free_port

    from .receiver import Receiver

    port = free_port()  # nothing listens there yet
    alert = alerts_env.create_alert(q="政务公开", webhook_url=f"http://127.0.0.1:{port}/late")
    alerts_env.index(_doc(20, text="政务公开全面推进。"))
    alerts_env.wait(lambda: alerts_env.deliveries(alert["id"])
                    and alerts_env.deliveries(alert["id"])[0]["attempts"], what="a first attempt")
    late = Receiver(port)
    try:
        late.route("/late").secret = alert["secret"]
        [delivery] = _final(alerts_env, alert["id"])
        assert delivery["state"] == "succeeded"
        assert delivery["attempts"][0]["status_code"] is None and delivery["attempts"][0]["error"]
        assert delivery["attempts"][-1]["status_code"] == 200
        [call] = late.received("/late")
        assert call.verified and call.webhook_id == delivery["webhook_id"]
    finally:
        late.close()


def test_500_then_200_keeps_the_webhook_id(alerts_env: AlertsEnv) -> None:
    path = alerts_env.path()
    alerts_env.receiver.route(path, (500, {}, b"boom", 0.0), (502, {}, b"", 0.0))
    alert = alerts_env.create_alert(path, q="合法性审查")
    alerts_env.index(_doc(30, text="重大决策合法性审查全覆盖。"))
    [delivery] = _final(alerts_env, alert["id"])
    assert delivery["state"] == "succeeded"
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 502, 200]
    calls = alerts_env.receiver.received(path, status=None)
    assert [c.status for c in calls] == [500, 502, 200]
    assert {c.webhook_id for c in calls} == {delivery["webhook_id"]}
    assert all(c.verified for c in calls)
    # Each attempt is signed anew: timestamps do not go back.
    stamps = [int(c.headers["webhook-timestamp"]) for c in calls]
    assert stamps == sorted(stamps)


def test_slow_receiver_times_out_and_is_retried(alerts_env: AlertsEnv) -> None:
    path = alerts_env.path()
    alerts_env.receiver.route(path, (200, {}, b"late", 4.0))  # beyond the 1.5 s timeout
    alert = alerts_env.create_alert(path, q="行政处罚")
    alerts_env.index(_doc(40, text="规范行政处罚自由裁量权。"))
    [delivery] = _final(alerts_env, alert["id"], timeout=30)
    assert delivery["state"] == "succeeded"
    first = delivery["attempts"][0]
    assert first["status_code"] is None and "timed out" in first["error"]
    assert first["latency_ms"] < 3000
    assert delivery["attempts"][-1]["status_code"] == 200


def test_410_disables_the_alert(alerts_env: AlertsEnv) -> None:
    path = alerts_env.path()
    alerts_env.receiver.route(path, default=(410, {}, b"gone", 0.0))
    alert = alerts_env.create_alert(path, q="信访")
    alerts_env.index(_doc(50, text="信访工作法治化。"))
    [delivery] = _final(alerts_env, alert["id"])
    assert delivery["state"] == "failed" and len(delivery["attempts"]) == 1
    state = alerts_env.api("GET", f"/v1/alerts/{alert['id']}").json()
    assert state["active"] is False and "410" in state["disabled_reason"]
    # A disabled alert matches nothing more.
    other = alerts_env.create_alert(q="人民调解 OR 信访")
    alerts_env.index(_doc(51, text="信访事项依法办理。"))
    _final(alerts_env, other["id"])  # doc 51 went through matching
    assert len(alerts_env.deliveries(alert["id"])) == 1


def test_429_honours_retry_after(alerts_env: AlertsEnv) -> None:
    path = alerts_env.path()
    alerts_env.receiver.route(path, (429, {"Retry-After": "3"}, b"slow down", 0.0))
    alert = alerts_env.create_alert(path, q="营商环境")
    alerts_env.index(_doc(60, text="持续优化法治化营商环境。"))
    [delivery] = _final(alerts_env, alert["id"])
    assert [a["status_code"] for a in delivery["attempts"]] == [429, 200]
    calls = alerts_env.receiver.received(path, status=None)
    waited = calls[1].at - calls[0].at
    assert waited >= 2.9, waited  # the schedule alone would have retried after ~0.4 s


def test_failures_in_a_row_disable_the_alert_and_redeliver_resends(alerts_env: AlertsEnv) -> None:
    path = alerts_env.path()
    alerts_env.receiver.route(path, default=(500, {}, b"down", 0.0))
    alert = alerts_env.create_alert(path, q="行政诉讼")
    alerts_env.index(_doc(70, text="行政诉讼案件下降。"), _doc(71, text="行政诉讼败诉率降低。"))
    deliveries = _final(alerts_env, alert["id"], count=2, timeout=30)
    assert {d["state"] for d in deliveries} == {"failed"}
    assert all(len(d["attempts"]) == 4 for d in deliveries)  # 1 + 3 retries
    state = alerts_env.api("GET", f"/v1/alerts/{alert['id']}").json()
    assert state["active"] is False and "2 deliveries in a row failed" in state["disabled_reason"]

    failed = deliveries[0]
    refused = alerts_env.api("POST", f"/v1/deliveries/{failed['id']}/redeliver")
    assert refused.status_code == 409  # the alert is disabled
    alerts_env.receiver.routes[path].default = (200, {}, b"ok", 0.0)
    assert alerts_env.api("PATCH", f"/v1/alerts/{alert['id']}", json={"active": True}).json()["active"]
    again = alerts_env.api("POST", f"/v1/deliveries/{failed['id']}/redeliver")
    assert again.status_code == 202, again.text
    alerts_env.wait(lambda: alerts_env.api("GET", f"/v1/deliveries/{failed['id']}").json()["state"]
                    == "succeeded", what="redelivery")
    [ok] = alerts_env.receiver.received(path)
    assert ok.webhook_id == failed["webhook_id"] and ok.verified
    log = alerts_env.api("GET", f"/v1/deliveries/{failed['id']}").json()
    assert [a["status_code"] for a in log["attempts"]] == [500, 500, 500, 500, 200]


def test_test_event_and_rotated_secret(alerts_env: AlertsEnv) -> None:
    alert = alerts_env.create_alert(q="规范性文件")
    sent = alerts_env.api("POST", f"/v1/alerts/{alert['id']}/test")
    assert sent.status_code == 202
    alerts_env.receiver.wait_for(lambda: alerts_env.receiver.received(alert["path"]))
    [call] = alerts_env.receiver.received(alert["path"])
    assert call.verified and call.payload["type"] == "alert.test"

    rotated = alerts_env.api("POST", f"/v1/alerts/{alert['id']}/rotate-secret").json()
    alerts_env.api("POST", f"/v1/alerts/{alert['id']}/test")
    alerts_env.receiver.wait_for(lambda: len(alerts_env.receiver.received(alert["path"])) == 2)
    second = alerts_env.receiver.received(alert["path"])[1]
    assert second.verified  # still the old secret on the receiver: the old one still signs
    from standardwebhooks import Webhook

    Webhook(rotated["secret"]).verify(second.body, second.headers)  # and the new one too


def test_digest_sends_one_call_listing_every_match(alerts_env: AlertsEnv) -> None:
    alert = alerts_env.create_alert(q="综合行政执法", digest_interval_seconds=2)
    docs = [_doc(80 + i, text=f"综合行政执法改革第{i}项。") for i in range(3)]
    alerts_env.index(*docs)
    alerts_env.receiver.wait_for(lambda: alerts_env.receiver.received(alert["path"]), timeout=20)
    [call] = alerts_env.receiver.received(alert["path"])
    assert call.verified and call.payload["type"] == "alert.digest"
    assert sorted(d["id"] for d in call.payload["data"]["documents"]) == sorted(d.id for d in docs)
    assert call.payload["data"]["count"] == 3


def test_a_slow_receiver_gets_at_most_its_share_and_does_not_hold_up_others(alerts_env: AlertsEnv) -> None:
    slow = alerts_env.path()
    alerts_env.receiver.route(slow, default=(200, {}, b"slowly", 1.2))
    # "localhost" is another host name than 127.0.0.1: its own share of attempts.
    slow_alert = alerts_env.create_alert(slow, q="法律顾问",
                                         webhook_url=f"http://localhost:{alerts_env.receiver.port}{slow}")
    fast_alert = alerts_env.create_alert(q="法律顾问 普法")
    alerts_env.index(*[_doc(90 + i, text=f"法律顾问制度第{i}条。") for i in range(8)])
    alerts_env.index(_doc(99, text="法律顾问参与普法。"))
    started = time.monotonic()
    [fast] = _final(alerts_env, fast_alert["id"])
    # Nine slow calls two at a time take over 5 s: the fast alert did not wait for them.
    assert fast["state"] == "succeeded" and time.monotonic() - started < 5
    done = _final(alerts_env, slow_alert["id"], count=9, timeout=40)
    assert {d["state"] for d in done} == {"succeeded"}
    assert alerts_env.receiver.most_in_flight[slow] <= 2  # FAZHI_WEBHOOK_HOST_CONCURRENCY


def test_a_commit_whose_hand_off_was_lost_is_still_notified(alerts_env: AlertsEnv) -> None:
    """The indexer committed, failed before sending alerts.match, and its retry found the
    content already indexed: it reports changed=false, and the alert is still notified."""
    from fazhi_shared.producer import send
    from fazhi_shared.tasks import AlertsPayload, TaskName

    alert = alerts_env.create_alert(q="法治督察")
    doc = _doc(110, text="开展法治督察。")
    alerts_env.backend.upsert([doc])  # the commit; its hand-off is lost
    for _ in range(2):  # the retry, and once more: one notification
        send(alerts_env.celery, TaskName.ALERTS_MATCH, AlertsPayload(
            document_id=doc.id, content_sha256=doc.content_sha256, changed=False))
    [delivery] = _final(alerts_env, alert["id"])
    assert delivery["state"] == "succeeded"
    marker = alerts_env.create_alert(q="法治督察 OR 普法")
    alerts_env.index(_doc(111, text="普法宣传。"))
    _final(alerts_env, marker["id"])  # the worker is past both hand-offs
    assert len(alerts_env.receiver.received(alert["path"])) == 1
