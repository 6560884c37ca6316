"""Search benchmark: indexing speed, query latency, index size and memory at 10k/100k docs.

    uv run python bench/search_bench.py --docs 10000
    uv run python bench/search_bench.py --docs 100000 --queries 200
    FAZHI_BENCH_ES_URL=http://127.0.0.1:9200 uv run python bench/search_bench.py --engine es

Documents come from bench/synth.py (gazetteer regions, seed paragraphs recombined,
indicators, years, 3% near-duplicates), already segmented as the indexer receives them.
Indexing goes through `backend.upsert(batch)` as the indexer's batched committer calls it
(one commit per batch). Then four query shapes, each run --queries times with varying
words and filters, through `backend.search` (snippets included, 10 hits):

    word      one word                                   no facets
    phrase    an exact phrase of two or more words       no facets
    boolean   (A OR B) NOT C + three filters             no facets
    facets    match-all, every facet + two indicator stats

Targets (embedded engine, 100k documents): indexing >= 1,000 docs/s; p95 <= 50 ms for the
first three shapes and <= 150 ms for facets; p95 at 100k <= 3x p95 at 10k.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import Synth  # noqa: E402

from fazhi_shared.search.base import FACETS, SearchBackend, SearchRequest  # noqa: E402

WORDS = ["行政复议", "营商环境", "人民调解", "依法行政", "疫情防控", "规范性文件", "公平竞争审查",
         "法律顾问", "合法性审查", "行政诉讼", "普法", "政务公开", "复议", "诉源治理"]
PHRASES = ['"行政执法三项制度"', '"法治政府建设"', '"重大行政决策"', '"推进法治政府建设"',
           '"行政机关负责人出庭应诉"', '"党政主要负责人"', '"规范性文件备案审查"']
BOOLEANS = ["(行政复议 OR 行政诉讼) NOT 疫情", "(营商环境 OR 放管服) 执法", "调解 OR 信访 -疫情防控",
            "title:报告 (复议 OR 应诉)"]
DOC_TYPES = ["annual_report", "work_plan"]


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def open_engine(engine: str, path: Path) -> SearchBackend:
    if engine == "tantivy":
        from fazhi_shared.search.tantivy_backend import TantivyBackend

        return TantivyBackend(path)
    from fazhi_shared.search.es_backend import ElasticsearchBackend

    return ElasticsearchBackend(os.environ["FAZHI_BENCH_ES_URL"], prefix=f"bench{os.getpid()}")


def index(backend: SearchBackend, docs: int, batch: int) -> tuple[float, float, float, list[str]]:
    """Wall seconds and CPU seconds (all threads, tantivy's included) spent in upsert."""
    synth = Synth()
    provinces: set[str] = set()
    spent = cpu = 0.0
    pending = []
    t0 = time.perf_counter()

    def flush() -> None:
        nonlocal spent, cpu
        t1, c1 = time.perf_counter(), time.process_time()
        backend.upsert(pending)
        spent += time.perf_counter() - t1
        cpu += time.process_time() - c1
        pending.clear()

    for doc in synth.documents(docs):
        if doc.region.province:
            provinces.add(doc.region.province)
        pending.append(doc)
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    generated = time.perf_counter() - t0 - spent
    return spent, cpu, generated, sorted(provinces)


def shapes(rng: random.Random, provinces: list[str]) -> dict[str, Any]:
    return {
        "word": lambda: SearchRequest(q=rng.choice(WORDS)),
        "phrase": lambda: SearchRequest(q=rng.choice(PHRASES)),
        "boolean": lambda: SearchRequest(
            q=rng.choice(BOOLEANS),
            filters={"province": [rng.choice(provinces)], "doc_type": [rng.choice(DOC_TYPES)]},
            report_year=(2019, rng.randint(2020, 2024)),
        ),
        "facets": lambda: SearchRequest(
            facets=FACETS, stats=("admin_reconsideration_received", "head_appearance_rate_pct")),
    }


def measure(backend: SearchBackend, provinces: list[str], runs: int) -> dict[str, dict[str, float]]:
    rng = random.Random(7)
    out = {}
    for name, make in shapes(rng, provinces).items():
        for _ in range(5):  # warm caches
            backend.search(make())
        times, cpu, totals = [], [], []
        for _ in range(runs):
            request = make()
            t0, c0 = time.perf_counter(), time.process_time()
            answer = backend.search(request)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            totals.append(answer.total)
        q = statistics.quantiles(times, n=100, method="inclusive")
        c = statistics.quantiles(cpu, n=100, method="inclusive")
        # CPU time too: on a shared machine, wall time mostly measures the neighbours.
        out[name] = {"p50": round(q[49], 1), "p95": round(q[94], 1), "p99": round(q[98], 1),
                     "cpu_p50": round(c[49], 1), "cpu_p95": round(c[94], 1),
                     "mean_hits": round(statistics.mean(totals))}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=1000, help="documents per upsert (commit)")
    parser.add_argument("--queries", type=int, default=200, help="runs per query shape")
    parser.add_argument("--engine", choices=["tantivy", "es"], default="tantivy")
    parser.add_argument("--keep", type=Path, help="build the index here and keep it")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="fazhi-search-bench-"))
    reuse = args.keep is not None and (workdir / "index" / "CURRENT").exists()
    backend = open_engine(args.engine, workdir / "index")
    rss_before = rss_mb()
    figures: dict[str, Any] = {"engine": args.engine, "docs": args.docs, "batch": args.batch,
                               "load_average_at_start": round(os.getloadavg()[0], 1)}
    if reuse:  # query figures only, on the index a previous --keep run built
        provinces = sorted({d.region.province for d in Synth().documents(3000) if d.region.province})
        figures["reused_index"] = str(workdir)
    else:
        spent, cpu, generated, provinces = index(backend, args.docs, args.batch)
        figures.update({
            "index_seconds": round(spent, 1), "docs_per_second": round(args.docs / spent),
            "index_cpu_seconds": round(cpu, 1), "docs_per_cpu_second": round(args.docs / cpu),
            "generate_seconds": round(generated, 1),
        })
        print(f"indexed {args.docs} in {spent:.1f} s: {figures['docs_per_second']} docs/s",
              flush=True)
    gc.collect()
    figures.update({
        "documents_in_index": backend.count(),
        "index_mb": round(dir_mb(workdir / "index"), 1) if args.engine == "tantivy" else None,
        "rss_after_index_mb": round(rss_mb()),
        "rss_before_index_mb": round(rss_before),
    })
    figures["latency_ms"] = measure(backend, provinces, args.queries)
    figures["rss_after_queries_mb"] = round(rss_mb())
    figures["load_average_at_end"] = round(os.getloadavg()[0], 1)
    figures["peak_rss_mb"] = round(peak_rss_mb())
    backend.close()
    if not args.keep and args.engine == "tantivy":
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
