"""Politeness shared by every crawler process: per-host rate and concurrency, robots.txt.

Reads the settings `crawl_rate_per_host`, `crawl_concurrency_per_host`, `crawl_robots_ttl`,
`crawl_user_agent`. Both the rate and the concurrency are enforced in Redis with one Lua
script that uses Redis' own clock, so any number of crawler processes on any number of
machines together stay under the limit. Without Redis (`fazhi discover` with no stack
running) the same rules hold inside the one process.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import redis
from protego import Protego

from fazhi_shared.stores.redis import KEY_PREFIX

_P = KEY_PREFIX + "crawl:host:"
# Margin added to every interval, so requests still arrive at least one interval apart at the
# server when network latency varies a little between two requests.
MARGIN_S = 0.02

# KEYS: next-allowed-time key, in-flight sorted set.
# ARGV: interval ms, max in flight, token, lease ms.
# Returns 0 when the slot was taken, else the milliseconds to wait before asking again.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then
  return 50
end
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
if nxt > now then
  return nxt - now
end
local interval = tonumber(ARGV[1])
redis.call('SET', KEYS[1], now + interval, 'PX', interval + 60000)
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[3])
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[4]) + 60000)
return 0
"""

# At the end of a request: the next one starts one interval after this one ended, not only
# after it started, so a request delayed on its way (a busy client) never arrives at the
# server closer than one interval to the one before. KEYS as above; ARGV: interval ms, token.
_RELEASE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREM', KEYS[2], ARGV[2])
local want = now + tonumber(ARGV[1])
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
if want > nxt then
  redis.call('SET', KEYS[1], want, 'PX', tonumber(ARGV[1]) + 60000)
end
return 0
"""

# Pushes the next allowed time of a host later (a 429 with Retry-After, a Crawl-delay).
_PUSH_BACK = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local want = now + tonumber(ARGV[1])
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
if want > nxt then
  redis.call('SET', KEYS[1], want, 'PX', tonumber(ARGV[1]) + 60000)
end
return 0
"""


class HostLimiter:
    """`with limiter.slot(host, interval_s, concurrency):` around every request to `host`."""

    def __init__(self, client: redis.Redis | None, lease_s: float = 120.0) -> None:
        self.client = client
        self.lease_ms = int(lease_s * 1000)
        self._acquire: Callable[..., int] | None = None
        self._push: Callable[..., int] | None = None
        self._release_script: Callable[..., int] | None = None
        if client is not None:
            self._acquire = client.register_script(_ACQUIRE)
            self._push = client.register_script(_PUSH_BACK)
            self._release_script = client.register_script(_RELEASE)
        self._lock = threading.Lock()
        self._local_next: dict[str, float] = {}
        self._local_busy: dict[str, int] = {}

    @contextmanager
    def slot(self, host: str, interval_s: float, concurrency: int = 1) -> Iterator[Callable[[], None]]:
        """Wait for the host's next slot; yields a function that keeps the slot alive.

        A slot in flight is held for `lease_s` at most, so a crawler killed mid-request frees
        the host after that long; a long download calls the yielded function now and then.
        """
        token = uuid.uuid4().hex
        interval_ms = int((interval_s + MARGIN_S) * 1000)
        while True:
            wait_ms = self._try(host, interval_ms, concurrency, token)
            if wait_ms <= 0:
                break
            # A little jitter so processes waiting for one host do not all ask at once.
            time.sleep(wait_ms / 1000 + random.uniform(0, 0.01))
        try:
            yield lambda: self._keep(host, token)
        finally:
            self._release(host, token, interval_ms)

    def _keep(self, host: str, token: str) -> None:
        if self.client is not None:
            self.client.zadd(_P + host + ":inflight", {token: self._redis_ms() + self.lease_ms}, xx=True)

    def _redis_ms(self) -> int:
        assert self.client is not None
        seconds, micros = self.client.time()  # type: ignore[misc]
        return int(seconds) * 1000 + int(micros) // 1000

    def push_back(self, host: str, seconds: float) -> None:
        if self._push is not None:
            self._push(keys=[_P + host + ":next"], args=[int(seconds * 1000)])
        else:
            with self._lock:
                self._local_next[host] = max(self._local_next.get(host, 0), time.monotonic() + seconds)

    def _try(self, host: str, interval_ms: int, concurrency: int, token: str) -> int:
        if self._acquire is not None:
            return int(self._acquire(
                keys=[_P + host + ":next", _P + host + ":inflight"],
                args=[interval_ms, concurrency, token, self.lease_ms],
            ))
        with self._lock:
            now = time.monotonic()
            if self._local_busy.get(host, 0) >= concurrency:
                return 50
            nxt = self._local_next.get(host, 0.0)
            if nxt > now:
                return int((nxt - now) * 1000) + 1
            self._local_next[host] = now + interval_ms / 1000
            self._local_busy[host] = self._local_busy.get(host, 0) + 1
            return 0

    def _release(self, host: str, token: str, interval_ms: int) -> None:
        if self._release_script is not None:
            self._release_script(keys=[_P + host + ":next", _P + host + ":inflight"],
                                 args=[interval_ms, token])
        else:
            with self._lock:
                self._local_busy[host] = max(0, self._local_busy.get(host, 1) - 1)
                self._local_next[host] = max(self._local_next.get(host, 0.0),
                                             time.monotonic() + interval_ms / 1000)


class RobotsCache:
    """robots.txt per origin, parsed by Protego, cached in Redis (or in memory)."""

    def __init__(self, client: redis.Redis | None, ttl_s: int) -> None:
        self.client = client
        self.ttl_s = ttl_s
        self._memory: dict[str, tuple[float, str]] = {}
        self._parsed: dict[str, tuple[str, Protego]] = {}

    def cached(self, origin: str) -> str | None:
        if self.client is not None:
            value = self.client.get(KEY_PREFIX + "crawl:robots:" + origin)
            return value  # type: ignore[return-value]
        entry = self._memory.get(origin)
        return entry[1] if entry and entry[0] > time.monotonic() else None

    def store(self, origin: str, text: str, ttl_s: int | None = None) -> None:
        ttl = ttl_s or self.ttl_s
        if self.client is not None:
            self.client.set(KEY_PREFIX + "crawl:robots:" + origin, text, ex=max(1, ttl))
        else:
            self._memory[origin] = (time.monotonic() + ttl, text)

    def parser(self, text: str) -> Protego:
        hit = self._parsed.get(text[:64] + str(hash(text)))
        if hit is None:
            hit = (text, Protego.parse(text))
            self._parsed[text[:64] + str(hash(text))] = hit
        return hit[1]


# RFC 9309: an unreachable robots.txt (5xx, network error) means "disallow everything" for now.
# The comment tells it from a site's own disallow-all file: what it blocks is retried later.
DISALLOW_ALL = "# robots.txt unreachable\nUser-agent: *\nDisallow: /\n"
UNREACHABLE_TTL = 60  # seconds
ALLOW_ALL = ""
