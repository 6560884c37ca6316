"""Alerts benchmark: latency from the index commit to the receiver's 200, and matching speed.

    uv run python bench/alerts_bench.py                      # both parts, default sizes
    uv run python bench/alerts_bench.py --docs 50 --throughput-docs 50   # a quick run

1. Latency (1,000 alerts by default). A real Redis, the real alerts worker
   (`celery -A fazhi_alerts.celery_app worker -Q alerts,deliver`, default settings), a
   tantivy index on disk and a webhook receiver on 127.0.0.1 that verifies every signature
   with the `standardwebhooks` library. Realistic reports (bench/synth.py) are committed one
   by one at `--rate` per second, each followed by `alerts.match` exactly as the indexer
   sends it; for every delivery, latency = receiver's 200 − end of the commit.
2. Matching throughput (10,000 alerts by default): the embedded matcher alone, in this
   process, on documents as the alerts worker gets them from the index (text only, so they
   are segmented again), one document per pass and in batches.

Alerts are saved searches like users write: one to three of the reports' recurring terms,
often with a province, a genre or a year range, validated by the API's own code.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from standardwebhooks import Webhook  # noqa: E402
from synth import Synth  # noqa: E402

from fazhi_alerts.matcher import TantivyMatcher  # noqa: E402
from fazhi_api.routes.alerts import search_request  # noqa: E402
from fazhi_shared.celery_base import make_celery  # noqa: E402
from fazhi_shared.models import Document  # noqa: E402
from fazhi_shared.producer import send  # noqa: E402
from fazhi_shared.search import open_backend  # noqa: E402
from fazhi_shared.settings import Settings  # noqa: E402
from fazhi_shared.stores.alerts import AlertStore  # noqa: E402
from fazhi_shared.stores.embedded_redis import start_redis  # noqa: E402
from fazhi_shared.stores.redis import redis_client  # noqa: E402
from fazhi_shared.tasks import AlertsPayload, TaskName  # noqa: E402

TERMS = ["行政复议", "规范性文件", "行政执法", "营商环境", "公平竞争审查", "合法性审查",
         "人民调解", "行政诉讼", "证明事项", "信访", "政务公开", "法律顾问", "出庭应诉",
         "放管服", "双随机", "疫情防控", "依法行政", "行政处罚", "普法", "法治督察"]
PROVINCES = ["北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省",
             "黑龙江省", "上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省",
             "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市",
             "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省",
             "宁夏回族自治区", "新疆维吾尔自治区"]


def alert_spec(rng: random.Random) -> dict[str, Any]:
    """Most users follow a region; the rest follow a combination of subjects in a year."""
    words = rng.sample(TERMS, 3)
    filters: dict[str, Any] = {}
    if rng.random() < 0.8:
        filters["province"] = rng.choice(PROVINCES)
        q = rng.choice([words[0], f"{words[0]} {words[1]}", f"{words[0]} OR {words[1]}",
                        f'"{words[0]}" -{words[2]}'])
        if rng.random() < 0.3:
            filters["doc_type"] = rng.choice(["annual_report", "work_plan"])
    else:
        q = " ".join(words)
        year = rng.randint(2018, 2024)
        filters["report_year"] = f"{year}..{year}"
        filters["doc_type"] = rng.choice(["annual_report", "work_plan"])
    return {"q": q, "filters": filters}


def create_alerts(store: AlertStore, count: int, urls: list[str], seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out = []
    for n in range(count):
        spec = alert_spec(rng)
        alert, secret = store.create(
            owner="bench", name=f"bench {n}", q=spec["q"], filters=spec["filters"],
            request=search_request(spec["q"], spec["filters"]), webhook_url=urls[n % len(urls)],
        )
        out.append((alert.id, secret))
    return out


def as_stored(doc: Document) -> Document:
    """What `open_backend(...).get(id)` returns: tokens are index-only."""
    return doc.model_copy(update={"tokens": [], "sub_tokens": []})


class Receiver:
    """Answers 200 after verifying the signature; records when each delivery was answered.

    Users' webhooks live on many hosts, and the worker limits attempts in flight per host
    (FAZHI_WEBHOOK_HOST_CONCURRENCY): the receiver listens on `hosts` loopback addresses
    (127.0.0.1, 127.0.0.2, …) and the alerts are spread over them."""

    def __init__(self, secrets: dict[str, str], hosts: int) -> None:
        self.secrets = secrets
        self.answered: list[tuple[str, str, float]] = []  # (document id, alert id, time)
        self.bad = 0
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                event = json.loads(body)
                alert_id = event["data"]["alert"]["id"]
                try:
                    Webhook(outer.secrets[alert_id]).verify(body, dict(self.headers.items()))
                    ok = True
                except Exception:
                    ok = False
                self.send_response(200 if ok else 400)
                self.send_header("content-length", "0")
                self.end_headers()
                with outer.lock:
                    if ok:
                        outer.answered.append((event["data"]["document"]["id"], alert_id, time.time()))
                    else:
                        outer.bad += 1

        self.servers = []
        self.urls = []
        for n in range(hosts):
            server = ThreadingHTTPServer((f"127.0.0.{n + 1}", 0), Handler)
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()
            self.servers.append(server)
            self.urls.append(f"http://127.0.0.{n + 1}:{server.server_address[1]}/hook")

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def latency(args: argparse.Namespace, work: Path, redis_url: str) -> dict[str, Any]:
    data_dir = work / "latency"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAZHI_")}
    env.update({"FAZHI_DATA_DIR": str(data_dir), "FAZHI_REDIS_URL": redis_url.rsplit("/", 1)[0] + "/1",
                "FAZHI_WEBHOOK_ALLOW_PRIVATE": "true", "FAZHI_LOG_LEVEL": "WARNING"})
    settings = Settings(data_dir=data_dir, redis_url=env["FAZHI_REDIS_URL"], webhook_allow_private=True)
    client = redis_client(settings)
    client.flushdb()
    secrets: dict[str, str] = {}
    receiver = Receiver(secrets, args.hosts)
    secrets.update(create_alerts(AlertStore(client), args.alerts, receiver.urls, seed=1))
    backend = open_backend(settings)
    celery = make_celery("bench", settings)
    docs = [as_stored(d) for d in Synth(seed=7).documents(args.docs)]
    log = (work / "alerts-worker.log").open("wb")
    queues = ["alerts", "deliver"] if args.split_queues else ["alerts,deliver"]
    workers = [subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "fazhi_alerts.celery_app", "worker",
         "-Q", q, "-n", f"{q.replace(',', '-')}@%h", "-l", "WARNING", "--without-gossip",
         "--without-mingle", "--without-heartbeat"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True) for q in queues]
    committed: dict[str, float] = {}
    try:
        time.sleep(4)  # the worker's start-up (imports) is not what is measured
        # Warm the worker (first match loads and compiles every alert), not measured.
        warm = Synth(seed=99).document(0)
        backend.upsert([warm])
        send(celery, TaskName.ALERTS_MATCH, AlertsPayload(document_id=warm.id, content_sha256=warm.content_sha256))
        time.sleep(3)
        start_answers = len(receiver.answered)
        for doc in docs:
            backend.upsert([doc])
            committed[doc.id] = time.time()
            send(celery, TaskName.ALERTS_MATCH, AlertsPayload(document_id=doc.id, content_sha256=doc.content_sha256))
            time.sleep(1 / args.rate)
        expected = _expected(settings, docs)
        deadline = time.monotonic() + 120
        while len(receiver.answered) - start_answers < expected and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=20)
        receiver.close()
        backend.close()
    lat = [at - committed[doc_id] for doc_id, _, at in receiver.answered if doc_id in committed]
    return {
        "alerts": args.alerts, "documents": len(docs), "rate_per_s": args.rate,
        "worker_processes": len(queues),
        "deliveries_expected": expected, "deliveries": len(lat), "bad_signatures": receiver.bad,
        "p50_s": round(statistics.median(lat), 3) if lat else None,
        "p95_s": round(percentile(lat, 95), 3) if lat else None,
        "max_s": round(max(lat), 3) if lat else None,
    }


def _expected(settings: Settings, docs: list[Document]) -> int:
    """How many deliveries the documents owe: the same matcher, run here."""
    matcher = TantivyMatcher(AlertStore(redis_client(settings)))
    found = matcher.match(docs)
    return sum(len(v) for v in found.values())


def throughput(args: argparse.Namespace, redis_url: str) -> dict[str, Any]:
    settings = Settings(redis_url=redis_url.rsplit("/", 1)[0] + "/2")
    client = redis_client(settings)
    client.flushdb()
    store = AlertStore(client)
    started = time.perf_counter()
    create_alerts(store, args.throughput_alerts, ["https://hooks.example/x"], seed=2)
    created = time.perf_counter() - started
    matcher = TantivyMatcher(store)
    started = time.perf_counter()
    matcher.refresh()
    compiled = time.perf_counter() - started
    docs = [as_stored(d) for d in Synth(seed=11).documents(args.throughput_docs)]
    started = time.perf_counter()
    matches = sum(len(matcher.match([doc])[doc.id]) for doc in docs)
    one = time.perf_counter() - started
    batch = 32
    started = time.perf_counter()
    for i in range(0, len(docs), batch):
        matcher.match(docs[i:i + batch])
    batched = time.perf_counter() - started
    return {
        "alerts": args.throughput_alerts, "documents": len(docs),
        "matches_per_document": round(matches / len(docs), 1),
        "alerts_created_s": round(created, 2), "compile_s": round(compiled, 2),
        "docs_per_s_one_at_a_time": round(len(docs) / one, 1),
        f"docs_per_s_batches_of_{batch}": round(len(docs) / batched, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=1000)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--rate", type=float, default=5.0, help="documents committed per second")
    parser.add_argument("--split-queues", action="store_true",
                        help="one worker process per queue (alerts, deliver) instead of one for both")
    parser.add_argument("--hosts", type=int, default=50, help="receiving hosts (loopback addresses)")
    parser.add_argument("--throughput-alerts", type=int, default=10_000)
    parser.add_argument("--throughput-docs", type=int, default=200)
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--skip-throughput", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="alerts-bench-") as tmp:
        work = Path(tmp)
        redis_proc, redis_url = start_redis(work / "redis")
        try:
            results: dict[str, Any] = {}
            if not args.skip_latency:
                results["latency"] = latency(args, work, redis_url)
                print(json.dumps({"latency": results["latency"]}, ensure_ascii=False))
            if not args.skip_throughput:
                results["throughput"] = throughput(args, redis_url)
                print(json.dumps({"throughput": results["throughput"]}, ensure_ascii=False))
        finally:
            redis_proc.kill()
            redis_proc.wait()


if __name__ == "__main__":
    main()
