"""Fixtures of the alerts tests: a real Redis, a real alerts Celery worker (subprocess), the
real API app, a real tantivy index on disk and a real webhook receiver on 127.0.0.1."""

from __future__ import annotations

import itertools
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
import uvicorn

from fazhi_api.app import create_app
from fazhi_shared.celery_base import make_celery
from fazhi_shared.models import Document
from fazhi_shared.producer import send
from fazhi_shared.search import open_backend
from fazhi_shared.settings import Settings
from fazhi_shared.stores.embedded_redis import free_port
from fazhi_shared.tasks import AlertsPayload, TaskName

from ..conftest import fresh_database
from .receiver import Receiver

KEY, OTHER_KEY = "key-alice-0123456789", "key-bob-0123456789"
# Small delays so the retry paths run in seconds.
FAST = {
    "FAZHI_WEBHOOK_TIMEOUT": "1.5",
    "FAZHI_WEBHOOK_RETRY_DELAYS": "0.4,0.8,1.2",
    "FAZHI_WEBHOOK_MAX_FAILURES": "2",
    "FAZHI_ALERTS_POLL_INTERVAL": "0.1",
    "FAZHI_ALERTS_CONCURRENCY": "8",
    "FAZHI_WEBHOOK_HOST_CONCURRENCY": "2",
    "FAZHI_WEBHOOK_ALLOW_PRIVATE": "true",
    "FAZHI_API_KEYS": f"{KEY},{OTHER_KEY}",
}


@pytest.fixture(scope="session")
def alerts_redis(redis_server: str) -> str:
    """The session's Redis (tests/conftest.py); each environment takes its own database."""
    return redis_server


def make_env(redis_server: str, data_dir: Path, **extra: str) -> dict[str, str]:
    return {"FAZHI_DATA_DIR": str(data_dir), "FAZHI_REDIS_URL": fresh_database(redis_server),
            **FAST, **extra}


def settings_from(env: dict[str, str]) -> Settings:
    return Settings(**{k.removeprefix("FAZHI_").lower(): v for k, v in env.items()})  # type: ignore[arg-type]


class Worker:
    """`celery -A fazhi_alerts.celery_app worker -Q alerts,deliver` as a child process."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, **self.env, "PYTHONUNBUFFERED": "1"}
        name = f"alerts-{os.getpid()}-{time.monotonic_ns()}@localhost"
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "fazhi_alerts.celery_app", "worker",
                 "-Q", "alerts,deliver", "-n", name, "-l", "INFO", "--without-gossip",
                 "--without-mingle", "--without-heartbeat"],
                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while b" ready." not in self.log.read_bytes():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("alerts worker did not start:\n" + self.log.read_text()[-3000:])
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL, as a crash: nothing is acknowledged or cleaned up."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


class Api:
    """The real API app served by uvicorn on 127.0.0.1 (in a thread), and an HTTP client."""

    def __init__(self, settings: Settings) -> None:
        port = free_port()
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{port}"
        self.client = httpx.Client(base_url=self.url, timeout=30)
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the API did not start")
            time.sleep(0.02)

    def close(self) -> None:
        self.client.close()
        self.server.should_exit = True
        self.thread.join(timeout=10)


class AlertsEnv:
    def __init__(self, env: dict[str, str], data_dir: Path) -> None:
        self.env = env
        self.settings = settings_from(env)
        self.receiver = Receiver()
        self.worker = Worker(env, data_dir / "worker.log")
        self.backend = open_backend(self.settings)
        self.celery = make_celery("tests", self.settings)
        self.app = Api(self.settings)
        self.client = self.app.client
        self.redis = redis.Redis.from_url(env["FAZHI_REDIS_URL"], decode_responses=True)
        self._paths = itertools.count()

    def close(self) -> None:
        self.worker.stop()
        self.app.close()
        self.receiver.close()
        self.backend.close()

    def api(self, method: str, path: str, key: str = KEY, **kw: Any) -> Any:
        return self.client.request(method, path, headers={"Authorization": f"Bearer {key}"}, **kw)

    def path(self) -> str:
        return f"/hook/{next(self._paths)}"

    def create_alert(self, path: str | None = None, key: str = KEY, **spec: Any) -> dict[str, Any]:
        """Create through the API; the receiver learns the secret, as a user would set it up."""
        path = path or self.path()
        if path not in self.receiver.routes:
            self.receiver.route(path)
        body = {"name": "alert", "q": "", "filters": {}, "webhook_url": self.receiver.url(path), **spec}
        response = self.api("POST", "/v1/alerts", key=key, json=body)
        assert response.status_code == 201, response.text
        alert = response.json()
        self.receiver.routes[path].secret = alert["secret"]
        alert["path"] = path
        return alert

    def index(self, *docs: Document) -> None:
        """What the indexer does: commit, then hand each document to alerts.match."""
        changed = {}
        for doc in docs:
            previous = self.backend.get(doc.id)
            changed[doc.id] = previous is None or previous.content_sha256 != doc.content_sha256
        self.backend.upsert(list(docs))
        for doc in docs:
            send(self.celery, TaskName.ALERTS_MATCH, AlertsPayload(
                document_id=doc.id, content_sha256=doc.content_sha256, changed=changed[doc.id]))

    def deliveries(self, alert_id: str, key: str = KEY) -> list[dict[str, Any]]:
        response = self.api("GET", f"/v1/alerts/{alert_id}/deliveries?limit=500", key=key)
        assert response.status_code == 200, response.text
        return response.json()["deliveries"]  # type: ignore[no-any-return]

    def wait(self, predicate: Callable[[], Any], timeout: float = 20.0, what: str = "") -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"not within {timeout} s: {what}\nworker log:\n"
                                     + self.worker.log.read_text()[-3000:])
            time.sleep(0.05)


@pytest.fixture(scope="module")
def alerts_env(alerts_redis: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AlertsEnv]:
    data_dir = tmp_path_factory.mktemp("alerts-data")
    env = AlertsEnv(make_env(alerts_redis, data_dir), data_dir)
    env.worker.start()
    yield env
    env.close()


@pytest.fixture
def rng() -> random.Random:
    return random.Random(7)
