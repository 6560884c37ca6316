"""Crawler benchmark: many local government hosts watched at once through the whole stack.

    uv run python bench/crawl_bench.py                       # 50 hosts (default)
    uv run python bench/crawl_bench.py --hosts 10 --new 10   # a quick run

What it does, all on 127.0.0.1:
1. starts N TRS-style sites (each its own HTTP server and port, 12 reports over 2 list pages),
   `fazhi up` (Redis, every worker, beat, API) and one more crawler worker with enough
   threads for every host (crawler processes share the per-host limits through Redis);
2. registers one source per host through `POST /v1/sources` and measures, at the sites, the
   first full crawl: requests per second overall and the highest rate any single host saw
   (requests in any sliding one-second window; the shortest gap between two requests);
3. then publishes `--new` reports at random moments on random hosts and measures, for each,
   the time from its appearance on the list page to its document answering at
   `GET /v1/documents/{id}` (the search index); p50 / p95 / max against the target
   "p95 ≤ poll interval + 5 s".
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fazhi_shared.models import document_id  # noqa: E402
from fazhi_shared.pipeline import canonical_url  # noqa: E402
from fazhi_shared.stores.embedded_redis import free_port  # noqa: E402
from tests.web.server import LocalWeb  # noqa: E402
from tests.web.sites import TrsSite, bench_site  # noqa: E402

KEY = "bench-key"


def start_stack(data_dir: Path, interval_tick: float, threads: int) -> tuple[subprocess.Popen[str], str, list[subprocess.Popen[bytes]], dict[str, str]]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAZHI_")}
    env.update({"FAZHI_DATA_DIR": str(data_dir), "FAZHI_API_PORT": str(port), "FAZHI_API_KEYS": KEY,
                "FAZHI_CRAWL_POLL_TICK": str(interval_tick), "FAZHI_LOG_LEVEL": "WARNING",
                "PYTHONUNBUFFERED": "1"})
    proc = subprocess.Popen([sys.executable, "-m", "fazhi_cli.main", "up"], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    ready = threading.Event()
    lines: list[str] = []

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if "Ctrl-C stops every process" in line:
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    if not ready.wait(240):
        proc.kill()
        raise SystemExit("fazhi up did not start:\n" + "".join(lines[-30:]))
    env["FAZHI_REDIS_URL"] = (data_dir / "run" / "redis.url").read_text().strip()
    extra = [subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "fazhi_crawler.celery_app", "worker", "-Q", "crawl",
         "--pool", "threads", "--concurrency", str(threads), "--without-gossip", "--without-mingle",
         "-n", "bench-crawl@%h", "--loglevel", "WARNING"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)]
    return proc, f"http://127.0.0.1:{port}", extra, env


def max_per_window(times: list[float], window: float = 1.0) -> int:
    times = sorted(times)
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def host_stats(web: LocalWeb, sites: list[TrsSite], since: float = 0.0) -> tuple[int, float]:
    worst_window, shortest_gap = 0, float("inf")
    for site in sites:
        times = [h.at for h in web.hits_of(site.name) if h.at >= since]
        worst_window = max(worst_window, max_per_window(times))
        times.sort()
        if len(times) > 1:
            shortest_gap = min(shortest_gap, min(b - a for a, b in zip(times, times[1:], strict=False)))
    return worst_window, shortest_gap


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--reports", type=int, default=12, help="reports per host at the start")
    parser.add_argument("--interval", type=int, default=10, help="poll interval of every source, s")
    parser.add_argument("--new", type=int, default=50, help="reports published during the run")
    parser.add_argument("--spread", type=float, default=40.0, help="seconds over which they appear")
    parser.add_argument("--threads", type=int, default=64, help="threads of the extra crawler worker")
    args = parser.parse_args()

    sites = [bench_site(k, reports=args.reports) for k in range(args.hosts)]
    with tempfile.TemporaryDirectory(prefix="crawl-bench-") as tmp, LocalWeb(list(sites)) as web:
        stack, api, extra, _env = start_stack(Path(tmp) / "data", 1.0, args.threads)
        try:
            client = httpx.Client(base_url=api, headers={"Authorization": f"Bearer {KEY}"}, timeout=30,
                                  trust_env=False)
            expected = set().union(*(s.expected() for s in sites))
            started = time.monotonic()
            for site in sites:
                answer = client.post("/v1/sources", json={
                    "id": site.name, "name": site.place, "list_urls": [site.list_url()],
                    "interval": args.interval})
                answer.raise_for_status()

            def fetched_reports() -> int:
                return sum(1 for s in sites for h in web.hits_of(s.name) if s.url(h.path) in expected)

            while fetched_reports() < len(expected):
                if time.monotonic() - started > 900:
                    raise SystemExit(f"first crawl incomplete: {fetched_reports()}/{len(expected)}")
                time.sleep(0.5)
            crawl_s = time.monotonic() - started
            first_hits = len(web.hits)
            window, gap = host_stats(web, sites)
            print(f"first crawl: {args.hosts} hosts, {first_hits} requests ({len(expected)} reports) "
                  f"in {crawl_s:.1f} s = {first_hits / crawl_s:.1f} pages/s overall")
            print(f"  per host: at most {window} request(s) in any 1 s window, shortest gap {gap:.3f} s")

            # Let processing and indexing of the first crawl finish: the latency phase measures
            # a stack that keeps up, not the backlog of the first crawl.
            waiting = {document_id(canonical_url(u)) for u in expected}
            while waiting:
                waiting = {d for d in waiting if client.get(f"/v1/documents/{d}").status_code != 200}
                if time.monotonic() - started > 1800:
                    raise SystemExit(f"{len(waiting)} documents of the first crawl never indexed")
                time.sleep(1)
            print(f"  first crawl searchable after {time.monotonic() - started:.1f} s")

            # New reports appear at random moments; time until each answers from the index.
            rng = random.Random(1)
            schedule = sorted((rng.uniform(0, args.spread), rng.choice(sites)) for _ in range(args.new))
            pending: dict[str, float] = {}
            latencies: list[float] = []
            phase_start = time.monotonic()
            next_item = 0
            while next_item < len(schedule) or pending:
                now = time.monotonic()
                while next_item < len(schedule) and now - phase_start >= schedule[next_item][0]:
                    url = schedule[next_item][1].publish(date="2025-03-30")
                    pending[document_id(canonical_url(url))] = time.monotonic()
                    next_item += 1
                for doc_id, at in list(pending.items()):
                    if client.get(f"/v1/documents/{doc_id}").status_code == 200:
                        latencies.append(time.monotonic() - at)
                        del pending[doc_id]
                if now - phase_start > args.spread + args.interval * 6 + 120:
                    raise SystemExit(f"{len(pending)} new reports never became searchable")
                time.sleep(0.25)
            window2, gap2 = host_stats(web, sites)
            p50, p95 = statistics.median(latencies), percentile(latencies, 95)
            target = args.interval + 5
            print(f"new reports: {len(latencies)}, appearance → searchable: p50 {p50:.1f} s, "
                  f"p95 {p95:.1f} s, max {max(latencies):.1f} s (target p95 ≤ {target} s: "
                  f"{'met' if p95 <= target else 'NOT met'})")
            print(f"  whole run, per host: at most {window2} request(s) in any 1 s window, "
                  f"shortest gap {gap2:.3f} s; {len(web.hits)} requests in all")
        finally:
            for proc in extra:
                try:
                    os.killpg(proc.pid, 15)
                except ProcessLookupError:
                    pass
                proc.wait(30)
            stack.send_signal(2)
            try:
                stack.wait(60)
            except subprocess.TimeoutExpired:
                stack.kill()


if __name__ == "__main__":
    main()
