"""`fazhi up`: Redis, every Celery worker, beat and the API as child processes of one command.

Children run in their own process groups so a stop takes their pool processes with them;
each one also gets SIGKILL if this supervisor dies (PR_SET_PDEATHSIG), so nothing is orphaned.
A child that exits on its own is restarted with a growing delay.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from fazhi_shared.settings import Settings
from fazhi_shared.stores.embedded_redis import start_redis

_libc = ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    os.setsid()
    if _libc is not None:
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


@dataclass
class Child:
    name: str
    argv: list[str]
    proc: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    next_start: float = 0.0
    log: Path | None = None


def worker_commands(settings: Settings) -> dict[str, list[str]]:
    """Every long-running process of the stack (docker-compose runs the same commands)."""
    py = sys.executable
    celery = [py, "-m", "celery"]
    common = ["worker", "--loglevel", settings.log_level, "--without-gossip", "--without-mingle"]
    beat_schedule = str(settings.run_dir / "celerybeat-schedule")
    return {
        "crawler": celery + ["-A", "fazhi_crawler.celery_app", *common, "-Q", "crawl",
                             "-n", "crawl@%h", "--pool", "threads", "--concurrency", "32"],
        "worker": celery + ["-A", "fazhi_worker.celery_app", *common, "-Q", "process",
                            "-n", "process@%h", "--concurrency", str(settings.process_concurrency)],
        "indexer": celery + ["-A", "fazhi_indexer.celery_app", *common, "-Q", "index",
                             "-n", "index@%h", "--pool", "threads", "--concurrency", "16"],
        "alerts": celery + ["-A", "fazhi_alerts.celery_app", *common, "-Q", "alerts,deliver",
                            "-n", "alerts@%h", "--pool", "threads",
                            "--concurrency", str(settings.alerts_concurrency)],
        "beat": celery + ["-A", "fazhi_crawler.celery_app", "beat", "--loglevel", settings.log_level,
                          "--schedule", beat_schedule],
        "api": [py, "-m", "uvicorn", "--factory", "fazhi_api.main:create", "--host",
                settings.api_host, "--port", str(settings.api_port), "--log-level", "warning"],
    }


@dataclass
class Supervisor:
    settings: Settings
    children: list[Child] = field(default_factory=list)
    redis_proc: subprocess.Popen[bytes] | None = None
    redis_url: str = ""
    stopping: bool = False

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["FAZHI_DATA_DIR"] = str(self.settings.data_dir)
        env["FAZHI_REDIS_URL"] = self.redis_url
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def start_redis(self) -> str:
        self.settings.run_dir.mkdir(parents=True, exist_ok=True)
        if self.settings.redis_url:
            self.redis_url = self.settings.redis_url
        else:
            self.redis_proc, self.redis_url = start_redis(
                self.settings.data_dir / "redis", self.settings.redis_port
            )
            (self.settings.run_dir / "redis.url").write_text(self.redis_url)
        return self.redis_url

    def start_children(self) -> None:
        logs = self.settings.data_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        for name, argv in worker_commands(self.settings).items():
            child = Child(name=name, argv=argv, log=logs / f"{name}.log")
            self._spawn(child)
            self.children.append(child)
        self._write_pids()

    def _spawn(self, child: Child) -> None:
        assert child.log is not None
        out = open(child.log, "ab")  # noqa: SIM115 - the child keeps it open
        child.proc = subprocess.Popen(
            child.argv, env=self.env(), stdin=subprocess.DEVNULL, stdout=out, stderr=out,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - setsid + pdeathsig, nothing else
        )
        out.close()

    def _write_pids(self) -> None:
        pids = {c.name: c.proc.pid for c in self.children if c.proc}
        if self.redis_proc:
            pids["redis"] = self.redis_proc.pid
        pids["supervisor"] = os.getpid()
        (self.settings.run_dir / "pids.json").write_text(json.dumps(pids))

    def watch_once(self) -> list[str]:
        """Restart children that exited; return the names restarted."""
        restarted = []
        now = time.monotonic()
        for child in self.children:
            if child.proc is None or child.proc.poll() is None or self.stopping:
                continue
            if child.next_start == 0.0:
                delay = min(30.0, 0.5 * (2 ** min(child.restarts, 6)))
                child.next_start = now + delay
            if now >= child.next_start:
                self._killpg(child, signal.SIGKILL)  # its pool processes, if any are left
                child.restarts += 1
                child.next_start = 0.0
                self._spawn(child)
                restarted.append(child.name)
        if restarted:
            self._write_pids()
        return restarted

    @staticmethod
    def _killpg(child: Child, sig: int) -> None:
        if child.proc is None:
            return
        try:
            os.killpg(child.proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def stop(self, timeout: float = 15.0) -> None:
        self.stopping = True
        for child in self.children:
            self._killpg(child, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for child in self.children:
            if child.proc is None:
                continue
            try:
                child.proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            self._killpg(child, signal.SIGKILL)
            try:
                child.proc.wait(5)
            except subprocess.TimeoutExpired:
                pass
        if self.redis_proc is not None:
            self.redis_proc.terminate()  # Redis flushes its append-only file on SIGTERM
            try:
                self.redis_proc.wait(10)
            except subprocess.TimeoutExpired:
                self.redis_proc.kill()
            (self.settings.run_dir / "redis.url").unlink(missing_ok=True)
        (self.settings.run_dir / "pids.json").unlink(missing_ok=True)

