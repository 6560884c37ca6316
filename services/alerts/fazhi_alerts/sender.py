"""One HTTP attempt at a webhook: checked address, no redirects, capped body, total timeout.

The host is resolved and checked right before the attempt and the connection goes to the
checked address (the Host header and TLS SNI keep the name), so DNS cannot be changed
between the check and the request. Settings read: webhook_timeout,
webhook_max_response_bytes, webhook_allow_private.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx

from fazhi_shared.settings import Settings
from fazhi_shared.stores.alerts import UnresolvedWebhookHost, UnsafeWebhookUrl, resolve_webhook_url

log = logging.getLogger(__name__)

MAX_RETRY_AFTER = 86_400.0
EXCERPT = 300


@dataclass
class Result:
    status_code: int | None
    latency_ms: int
    error: str | None = None
    retry_after: float | None = None
    excerpt: str | None = None
    refused: bool = False  # the URL may not be called at all (not worth retrying)

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


# One client per host name: pooled connections are never shared between two names that
# happen to resolve to the same address (a TLS session belongs to one name).
_clients: dict[str, httpx.Client] = {}
_clients_lock = threading.Lock()


def _client(host: str) -> httpx.Client:
    with _clients_lock:
        client = _clients.get(host)
        if client is None or client.is_closed:  # closed when the cache was last emptied
            if len(_clients) > 256:
                for old in _clients.values():
                    old.close()
                _clients.clear()
            client = httpx.Client(follow_redirects=False, trust_env=False)
            _clients[host] = client
        return client


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # "²" and "١" are digits to str, not to float()
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return min(max(0.0, when.timestamp() - time.time()), MAX_RETRY_AFTER)


def _pinned(url: str, address: str) -> str:
    parts = urlsplit(url)
    host = f"[{address}]" if ":" in address else address
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))


def post(url: str, body: str, headers: dict[str, str], settings: Settings) -> Result:
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        addresses = resolve_webhook_url(url, settings.webhook_allow_private)
    except UnresolvedWebhookHost as exc:  # retried like a connection error
        return Result(None, elapsed(), error=str(exc))
    except UnsafeWebhookUrl as exc:
        return Result(None, elapsed(), error=f"refused: {exc}", refused=True)
    parts = urlsplit(url)
    host = parts.hostname or ""
    # Header values are ASCII: a name such as 例子.中国 goes out as it was resolved (IDNA).
    server_name = host if host.isascii() else host.encode("idna").decode("ascii")
    bracketed = f"[{server_name}]" if ":" in server_name else server_name
    request_headers = {**headers, "host": f"{bracketed}:{parts.port}" if parts.port else bracketed}
    extensions = {"sni_hostname": server_name} if parts.scheme == "https" else {}
    deadline = started + settings.webhook_timeout
    last_error = "no address"
    for address in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        try:
            return _attempt(
                _client(host), _pinned(url, address), body, request_headers, extensions,
                deadline, settings.webhook_max_response_bytes, elapsed,
            )
        except httpx.ConnectError as exc:
            last_error = f"connect to {address} failed: {exc}"  # try the next address
        except httpx.TimeoutException:
            return Result(None, elapsed(), error=f"timed out after {settings.webhook_timeout:g} s")
        except httpx.HTTPError as exc:
            return Result(None, elapsed(), error=f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # recorded as a failed attempt, retried: never a lost delivery
            log.exception("webhook attempt to %s failed unexpectedly", host)
            return Result(None, elapsed(), error=f"{type(exc).__name__}: {exc}")
    if time.monotonic() >= deadline:
        return Result(None, elapsed(), error=f"timed out after {settings.webhook_timeout:g} s")
    return Result(None, elapsed(), error=last_error)


def _attempt(
    client: httpx.Client, url: str, body: str, headers: dict[str, str],
    extensions: dict[str, str], deadline: float, cap: int, elapsed: Callable[[], int],
) -> Result:
    remaining = max(0.01, deadline - time.monotonic())
    request = client.build_request(
        "POST", url, content=body.encode(), headers=headers,
        timeout=httpx.Timeout(remaining), extensions=extensions,
    )
    response = client.send(request, stream=True)
    try:
        received = bytearray()
        for chunk in response.iter_raw():
            received.extend(chunk)
            if len(received) >= cap:
                break  # the rest is never read: a receiver cannot make us download much
            if time.monotonic() > deadline:
                raise httpx.ReadTimeout("total time exceeded", request=request)
    finally:
        response.close()
    status = response.status_code
    retry_after = None
    if status in (429, 503):
        retry_after = parse_retry_after(response.headers.get("retry-after"))
    excerpt = bytes(received[:EXCERPT]).decode("utf-8", "replace") or None
    error = None if 200 <= status < 300 else f"HTTP {status}"
    if 300 <= status < 400:
        error = f"HTTP {status} (redirects are not followed)"
    return Result(status, elapsed(), error=error, retry_after=retry_after, excerpt=excerpt)
