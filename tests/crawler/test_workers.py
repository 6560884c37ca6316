"""Real Celery: a crawler worker and beat as processes, sources from a registry file, a crawler
killed mid-poll and restarted, a report published later found by the next poll."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from fazhi_shared.celery_base import make_celery
from fazhi_shared.producer import send
from fazhi_shared.settings import Settings
from fazhi_shared.stores.crawlstate import CrawlState
from fazhi_shared.stores.redis import redis_client
from fazhi_shared.stores.sources import SourceStore
from fazhi_shared.tasks import FetchPayload, TaskName
from tests.crawler.conftest import queued
from tests.web.server import LocalWeb
from tests.web.sites import TrsSite, bench_site

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


class Processes:
    def __init__(self, settings: Settings, registry: Path, logs: Path) -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("FAZHI_")}
        self.env.update({
            "FAZHI_DATA_DIR": str(settings.data_dir), "FAZHI_REDIS_URL": settings.effective_redis_url(),
            "FAZHI_CRAWL_SOURCES_FILE": str(registry), "FAZHI_CRAWL_POLL_TICK": "0.5",
            "FAZHI_CRAWL_POLL_LEASE": "3", "FAZHI_CRAWL_RATE_PER_HOST": "6",
            "FAZHI_VISIBILITY_TIMEOUT": "5", "FAZHI_CRAWL_RETRY_BACKOFF": "0.2",
            # A crawler killed mid-request holds the host's slot for connect + read + 5 s.
            "FAZHI_CRAWL_CONNECT_TIMEOUT": "2", "FAZHI_CRAWL_READ_TIMEOUT": "3",
            "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1",
        })
        self.logs = logs
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str) -> None:
        celery = [sys.executable, "-m", "celery", "-A", "fazhi_crawler.celery_app"]
        argv = celery + (["beat", "--loglevel", "INFO"] if name == "beat" else
                         ["worker", "-Q", "crawl", "--pool", "threads", "--concurrency", "4",
                          "--without-gossip", "--without-mingle", "-n", f"{name}@%h", "--loglevel", "INFO"])
        with open(self.logs / f"{name}.log", "ab") as log:
            self.procs[name] = subprocess.Popen(argv, env=self.env, stdout=log, stderr=log,
                                                start_new_session=True, cwd=self.logs)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        proc = self.procs.pop(name)
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        proc.wait(30)

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.kill(name, signal.SIGTERM if name != "beat" else signal.SIGKILL)

    def tail(self) -> str:
        return "\n".join(f"--- {p.name}\n" + "\n".join(p.read_text(errors="replace").splitlines()[-25:])
                         for p in sorted(self.logs.glob("*.log")))



@contextmanager
def crawler_sending_fetch(settings: Settings, tmp_path: Path, url: str) -> Iterator[Processes]:
    """One crawler worker with no sources, sent crawl.fetch for `url`; stopped on leaving."""
    registry = tmp_path / "sources.yaml"
    registry.write_text("sources: []\n")
    (tmp_path / "logs").mkdir()
    procs = Processes(settings, registry, tmp_path / "logs")
    app = make_celery("test-producer", settings)
    try:
        procs.start("crawler-1")
        send(app, TaskName.CRAWL_FETCH, FetchPayload(url=url))
        yield procs
    finally:
        procs.stop_all()
        app.close()


@pytest.fixture
def site() -> Iterator[tuple[TrsSite, LocalWeb]]:
    trs = bench_site(1, reports=14, per_page=5)
    with LocalWeb([trs]) as web:
        yield trs, web


@pytest.fixture
def processes(crawl_settings: Settings, site: tuple[TrsSite, LocalWeb], tmp_path: Path) -> Iterator[Processes]:
    trs, _web = site
    registry = tmp_path / "sources.yaml"
    registry.write_text(yaml.safe_dump({"sources": [
        {"id": "linjiang-fzzf", "name": "临江市 法治政府建设", "list_urls": [trs.list_url()], "interval": "2s"},
    ]}, allow_unicode=True))
    (tmp_path / "logs").mkdir()
    procs = Processes(crawl_settings, registry, tmp_path / "logs")
    yield procs
    procs.stop_all()


def wait(predicate: Callable[[], bool], timeout: float, what: str, procs: Processes) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}\n{procs.tail()}")


def test_killed_mid_poll_restarted_nothing_lost_nothing_twice_then_new_report_found(
    crawl_settings: Settings, site: tuple[TrsSite, LocalWeb], processes: Processes
) -> None:
    trs, web = site
    expected = trs.expected()
    processes.start("beat")
    processes.start("crawler-1")

    def reports_seen() -> int:
        return sum(1 for h in web.hits_of(trs.name) if trs.url(h.path) in expected)

    wait(lambda: reports_seen() >= 4, 60, "the first reports to be fetched", processes)
    processes.kill("crawler-1")  # SIGKILL in the middle of the poll
    stopped_at = reports_seen()
    assert 0 < stopped_at < len(expected)
    processes.start("crawler-2")

    def sent() -> Counter[str]:
        return Counter(p["url"] for p in queued(crawl_settings))

    wait(lambda: set(sent()) == expected, 90, "every report after the restart", processes)
    assert max(sent().values()) == 1, sent()
    assert SourceStore(redis_client(crawl_settings)).get("linjiang-fzzf") is not None  # from the file

    new_url = trs.publish()
    published = time.monotonic()
    wait(lambda: new_url in sent(), 30, "the new report", processes)
    assert time.monotonic() - published < 2 + 0.5 + 8  # interval + tick + fetching
    final = sent()
    assert set(final) == expected | {new_url} and max(final.values()) == 1
    status = CrawlState(redis_client(crawl_settings)).status("linjiang-fzzf")
    assert status["reports_fetched"] == len(expected) + 1
    assert status["last_poll_ok"] is True and status["next_poll_at"]
    assert web.min_gap(trs.name) >= 1 / 6 - 0.01

    # A URL sent explicitly (POST /v1/ingest/urls sends crawl.fetch) is fetched again.
    app = make_celery("test-producer", crawl_settings)
    send(app, TaskName.CRAWL_FETCH, FetchPayload(url=new_url, source_id="linjiang-fzzf"))
    wait(lambda: sent()[new_url] == 2, 30, "the explicit fetch", processes)
    app.close()
