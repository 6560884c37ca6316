"""One webhook attempt against a real server: no redirects, capped bodies, address checked
at send time."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fazhi_alerts import sender, signing
from fazhi_shared.settings import Settings

from .receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def _settings(tmp_path: Path, **kw: object) -> Settings:
    return Settings(data_dir=tmp_path, webhook_allow_private=True, webhook_timeout=2.0, **kw)  # type: ignore[arg-type]


def test_redirects_are_not_followed(receiver: Receiver, tmp_path: Path) -> None:
    receiver.route("/moved", default=(302, {"Location": receiver.url("/target")}, b"", 0.0))
    receiver.route("/target")
    result = sender.post(receiver.url("/moved"), "{}", {}, _settings(tmp_path))
    assert not result.ok and result.status_code == 302 and "redirect" in (result.error or "")
    assert receiver.received("/target") == []


def test_response_body_is_read_only_up_to_the_cap(receiver: Receiver, tmp_path: Path) -> None:
    receiver.route("/big", default=(200, {}, b"x" * 20_000_000, 0.0))
    started = time.monotonic()
    result = sender.post(receiver.url("/big"), "{}", {}, _settings(tmp_path, webhook_max_response_bytes=1024))
    assert result.ok and len(result.excerpt or "") <= sender.EXCERPT
    assert time.monotonic() - started < 2


def test_loopback_is_refused_at_send_time_without_the_setting(receiver: Receiver, tmp_path: Path) -> None:
    receiver.route("/hook")
    for url in (receiver.url("/hook"), f"http://localhost:{receiver.port}/hook"):
        result = sender.post(url, "{}", {}, Settings(data_dir=tmp_path))
        assert result.refused and result.status_code is None and "private" in (result.error or "")
    assert receiver.arrivals == []


def test_signature_verifies_with_the_standard_library(receiver: Receiver, tmp_path: Path) -> None:
    from fazhi_shared.stores.alerts import new_secret

    secret = new_secret()
    receiver.route("/signed").secret = secret
    body = '{"type":"alert.test","data":{}}'
    headers = signing.headers([secret], "msg_abc", int(time.time()), body)
    assert sender.post(receiver.url("/signed"), body, headers, _settings(tmp_path)).ok
    # The receiver logs a call just after its answer is written: wait for the log.
    receiver.wait_for(lambda: len(receiver.received("/signed")) == 1)
    [call] = receiver.received("/signed")
    assert call.verified, call.error
    tampered = signing.headers([new_secret()], "msg_abc", int(time.time()), body)
    sender.post(receiver.url("/signed"), body, tampered, _settings(tmp_path))
    receiver.wait_for(lambda: len(receiver.received("/signed")) == 2)
    assert not receiver.received("/signed")[1].verified


def test_a_retry_after_that_is_not_ascii_digits_is_ignored(receiver: Receiver, tmp_path: Path) -> None:
    # "²" (byte 0xB2, read as Latin-1) passes str.isdigit() but not float().
    receiver.route("/busy", default=(429, {"Retry-After": "²"}, b"", 0.0))
    result = sender.post(receiver.url("/busy"), "{}", {}, _settings(tmp_path))
    assert result.status_code == 429 and result.retry_after is None


def test_a_host_that_does_not_resolve_is_worth_retrying(tmp_path: Path) -> None:
    # At send time a name that does not resolve may be a DNS blip, unlike a private address.
    result = sender.post("http://hook.example.invalid/x", "{}", {}, _settings(tmp_path))
    assert result.status_code is None and "does not resolve" in (result.error or "")
    assert not result.refused


def test_a_host_name_outside_ascii_is_sent_as_it_resolves(receiver: Receiver, tmp_path: Path) -> None:
    # Full-width ｌｏｃａｌｈｏｓｔ resolves (IDNA) to localhost, as 例子.中国 to xn--fsqu00a.xn--fiqs8s.
    receiver.route("/idn")
    result = sender.post(f"http://ｌｏｃａｌｈｏｓｔ:{receiver.port}/idn", "{}", {}, _settings(tmp_path))
    assert result.ok, result.error
    receiver.wait_for(lambda: len(receiver.received("/idn")) == 1)
    assert receiver.received("/idn")[0].headers["host"] == f"localhost:{receiver.port}"


def test_a_client_closed_by_the_cache_is_replaced(receiver: Receiver, tmp_path: Path) -> None:
    # Emptying the client cache closes clients that another thread may hold: the next
    # delivery to that host must get a fresh client, not fail on the closed one.
    receiver.route("/hook")
    settings = _settings(tmp_path)
    assert sender.post(receiver.url("/hook"), "{}", {}, settings).ok
    host = receiver.url("/hook").split("//", 1)[1].split(":", 1)[0]
    sender._client(host).close()
    result = sender.post(receiver.url("/hook"), "{}", {}, settings)
    assert result.ok, result.error
    assert len(receiver.received("/hook")) == 2
