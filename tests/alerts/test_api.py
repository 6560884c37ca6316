"""The alerts API: ownership, validation, secrets shown once, rotation, safety of URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi_shared.stores.alerts import UnsafeWebhookUrl, resolve_webhook_url

from .conftest import KEY, OTHER_KEY, AlertsEnv, Api, make_env, settings_from


def test_create_answers_the_secret_once_and_lists_only_own_alerts(alerts_env: AlertsEnv) -> None:
    mine = alerts_env.create_alert(name="复议", q="行政复议", filters={"province": "浙江省"})
    assert mine["id"].startswith("alr_") and mine["secret"].startswith("whsec_")
    assert mine["filters"] == {"province": "浙江省"} and mine["active"] is True
    theirs = alerts_env.create_alert(key=OTHER_KEY, name="theirs", q="信访")

    listed = alerts_env.api("GET", "/v1/alerts").json()
    assert mine["id"] in [a["id"] for a in listed]
    assert theirs["id"] not in [a["id"] for a in listed]
    assert all("secret" not in a and "secrets" not in a for a in listed)
    fetched = alerts_env.api("GET", f"/v1/alerts/{mine['id']}").json()
    assert "secret" not in fetched and fetched["q"] == "行政复议"

    # Another key can neither see, change, test, read the log of, nor delete the alert.
    for method, suffix, body in [("GET", "", None), ("PATCH", "", {"name": "x"}),
                                 ("DELETE", "", None), ("POST", "/test", None),
                                 ("POST", "/rotate-secret", None), ("GET", "/deliveries", None)]:
        answer = alerts_env.api(method, f"/v1/alerts/{mine['id']}{suffix}", key=OTHER_KEY, json=body)
        assert answer.status_code == 404, (method, suffix, answer.text)
    assert alerts_env.api("GET", f"/v1/alerts/{mine['id']}").json()["name"] == "复议"
    assert alerts_env.client.get("/v1/alerts").status_code == 401

    # Nor its deliveries.
    delivery = alerts_env.api("POST", f"/v1/alerts/{mine['id']}/test").json()
    assert alerts_env.api("GET", f"/v1/deliveries/{delivery['id']}").status_code == 200
    for method, suffix in [("GET", ""), ("POST", "/redeliver")]:
        answer = alerts_env.api(method, f"/v1/deliveries/{delivery['id']}{suffix}", key=OTHER_KEY)
        assert answer.status_code == 404, (method, answer.text)


def test_query_and_filters_are_validated_like_search(alerts_env: AlertsEnv) -> None:
    url = alerts_env.receiver.url("/hook/validation")
    bad_query = alerts_env.api("POST", "/v1/alerts", json={"name": "x", "q": '"unclosed', "webhook_url": url})
    assert bad_query.status_code == 400
    assert bad_query.json()["title"] == "Malformed query"
    assert alerts_env.client.get("/v1/search", params={"q": '"unclosed'}).status_code == 400
    for filters in ({"bogus": "1"}, {"report_year": "20x"}, {"is_report": "maybe"},
                    {"publish_date_from": "2021/01/01"}):
        answer = alerts_env.api("POST", "/v1/alerts", json={"name": "x", "webhook_url": url, "filters": filters})
        assert answer.status_code == 400, (filters, answer.text)
    ok = alerts_env.api("POST", "/v1/alerts", json={
        "name": "x", "webhook_url": url, "q": "复议",
        "filters": {"report_year": "2020..2021", "doc_type": ["annual_report", "work_plan"],
                    "is_report": True, "publish_date_from": "2021-01-01"}})
    assert ok.status_code == 201, ok.text


def test_patch_rotate_and_delete(alerts_env: AlertsEnv) -> None:
    alert = alerts_env.create_alert(name="a", q="信访")
    patched = alerts_env.api("PATCH", f"/v1/alerts/{alert['id']}",
                             json={"q": "人民调解", "active": False, "digest_interval_seconds": 60})
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert (body["q"], body["active"], body["digest_interval_seconds"]) == ("人民调解", False, 60)
    assert alerts_env.api("PATCH", f"/v1/alerts/{alert['id']}", json={"q": "(复议"}).status_code == 400

    rotated = alerts_env.api("POST", f"/v1/alerts/{alert['id']}/rotate-secret").json()
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != alert["secret"]

    assert alerts_env.api("DELETE", f"/v1/alerts/{alert['id']}").status_code == 204
    assert alerts_env.api("GET", f"/v1/alerts/{alert['id']}").status_code == 404


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/hook", "http://localhost/hook", "http://10.1.2.3/x", "http://192.168.0.1/",
    "http://169.254.169.254/latest/meta-data", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
    "http://100.64.0.1/", "ftp://example.org/", "http://user:pw@8.8.8.8/",
    "http://[2002:7f00:1::]/", "http://[2002:a9fe:a9fe::1]/",  # 6to4 of 127.0.0.1, 169.254.169.254
])
def test_private_loopback_and_metadata_targets_are_refused(url: str) -> None:
    with pytest.raises(UnsafeWebhookUrl):
        resolve_webhook_url(url, allow_private=False)


def test_public_address_is_accepted_and_loopback_only_when_allowed() -> None:
    assert resolve_webhook_url("https://8.8.8.8/hook", allow_private=False) == ["8.8.8.8"]
    assert resolve_webhook_url("http://127.0.0.1:9/hook", allow_private=True) == ["127.0.0.1"]


def test_api_refuses_loopback_webhook_without_the_setting(alerts_redis: str, tmp_path: Path) -> None:
    env = make_env(alerts_redis, tmp_path, FAZHI_WEBHOOK_ALLOW_PRIVATE="false")
    api = Api(settings_from(env))
    try:
        answer = api.client.post("/v1/alerts", headers={"Authorization": f"Bearer {KEY}"},
                                 json={"name": "x", "webhook_url": "http://127.0.0.1:8080/hook"})
    finally:
        api.close()
    assert answer.status_code == 422
    assert "FAZHI_WEBHOOK_ALLOW_PRIVATE" in answer.json()["detail"]


def test_concurrent_changes_to_an_alert_are_all_kept(alerts_env: AlertsEnv) -> None:
    import threading

    from fazhi_shared.stores.alerts import AlertStore

    alert = alerts_env.create_alert(q="普法")
    store = AlertStore(alerts_env.redis)

    def fail_many() -> None:
        for _ in range(40):
            store.record_failure(alert["id"], max_failures=1000, error="HTTP 500")

    workers = [threading.Thread(target=fail_many) for _ in range(3)]
    for w in workers:
        w.start()
    renamed = alerts_env.api("PATCH", f"/v1/alerts/{alert['id']}", json={"name": "改名"})
    for w in workers:
        w.join()
    assert renamed.status_code == 200
    final = alerts_env.api("GET", f"/v1/alerts/{alert['id']}").json()
    assert final["consecutive_failures"] == 120 and final["name"] == "改名"
    alerts_env.api("DELETE", f"/v1/alerts/{alert['id']}")
    assert store.record_failure(alert["id"], max_failures=1000, error="x") is None
    assert store.get(alert["id"]) is None  # a change after deletion never brings it back
