"""The whole pipeline, as `make run` starts it: real Redis, Celery workers, tantivy, API."""

from __future__ import annotations

import html
import os
import re
import signal
import subprocess
from pathlib import Path

import opencc
import pytest

from tests.conftest import SEEDS, Stack, start_stack

pytestmark = [pytest.mark.stack, pytest.mark.slow]
TRADITIONAL_SEED = "004_b4c9e809b3a2f8d2.txt"


def _all(client, **params):  # type: ignore[no-untyped-def]
    params = {"is_report": "any", "size": 100, "collapse": "false", **params}
    return client.get("/v1/search", params=params).json()


def _seed_texts() -> dict[str, str]:
    t2s = opencc.OpenCC("t2s")
    return {p.name: t2s.convert(p.read_text("utf-8")) for p in sorted(SEEDS.iterdir())}


def test_up_ingests_the_five_seeds_and_reports_them(seeded_stack: Stack) -> None:
    output = "\n".join(seeded_stack.lines)
    assert "Ingested 5 of 5" in output
    assert seeded_stack.api_url in output
    with seeded_stack.client() as client:
        assert _all(client)["total"] == 5
        health = client.get("/healthz").json()
    assert health["status"] == "ok", health
    assert {q for q, v in health["checks"]["queues"].items() if v["workers"] > 0} == {
        "crawl", "process", "index", "alerts", "deliver"
    }


def test_search_finds_the_seeds_with_snippets_from_the_original_text(seeded_stack: Stack) -> None:
    expected = {name for name, text in _seed_texts().items() if "行政复议" in text}
    with seeded_stack.client() as client:
        result = _all(client, q="行政复议")
        assert {Path(h["url"]).name for h in result["hits"]} == expected
        assert result["total"] == len(expected)
        assert result["facets"]["report_year"], "a report_year facet with counts"
        for hit in result["hits"]:
            text = client.get(f"/v1/documents/{hit['id']}").json()["text"]
            assert hit["snippets"], hit
            for snippet in hit["snippets"]:
                marked = re.findall(r"<em>(.*?)</em>", snippet)
                assert marked and all(m in "行政复议" for m in marked), snippet
                plain = html.unescape(re.sub(r"</?em>", "", snippet))
                # Cut from the text itself: no tokens joined by spaces.
                assert all(part in text for part in plain.split(" ") if part), plain


def test_traditional_query_finds_simplified_documents(seeded_stack: Stack) -> None:
    with seeded_stack.client() as client:
        simplified = _all(client, q="法治政府建设")
        traditional = _all(client, q="法治政府建設")
    assert traditional["total"] == simplified["total"] == 5
    assert {h["id"] for h in traditional["hits"]} == {h["id"] for h in simplified["hits"]}


def test_traditional_seed_is_stored_and_shown_simplified(seeded_stack: Stack) -> None:
    with seeded_stack.client() as client:
        hits = _all(client, q="大连")["hits"]
        doc_id = next(h["id"] for h in hits if h["url"].endswith(TRADITIONAL_SEED))
        doc = client.get(f"/v1/documents/{doc_id}").json()
    assert doc["title"] == "大连市2020年法治政府建设工作要点"
    assert doc["traditional_source"] is True
    assert doc["doc_type"] == "work_plan"
    assert "建設" not in doc["text"] and "建设" in doc["text"]


def test_ingesting_the_seeds_again_leaves_five_documents(seeded_stack: Stack) -> None:
    result = seeded_stack.fazhi("ingest", str(SEEDS), "--wait", "--timeout", "120")
    assert result.returncode == 0, result.stdout + result.stderr
    with seeded_stack.client() as client:
        assert _all(client)["total"] == 5


def test_reprocess_and_reindex_work_from_the_archive_alone(
    seeded_stack: Stack, tmp_path: Path
) -> None:
    with seeded_stack.client() as client:
        before = {h["id"]: h["title"] for h in _all(client)["hits"]}
        reprocessed = seeded_stack.fazhi("reprocess")
        assert reprocessed.returncode == 0, reprocessed.stderr
        assert int(reprocessed.stdout.split()[1]) >= 5
        reindexed = seeded_stack.fazhi("reindex")
        assert reindexed.returncode == 0, reindexed.stdout + reindexed.stderr
        assert "index rebuilt from" in reindexed.stdout
        after = {h["id"]: h["title"] for h in _all(client)["hits"]}
        assert after == before
        assert _all(client, q="行政复议")["total"] >= 1
        # The indexer follows the new version: a document ingested now is searchable.
        fresh = tmp_path / "fresh.txt"
        fresh.write_text((SEEDS / TRADITIONAL_SEED).read_text("utf-8") + "\n重新索引之后\n", "utf-8")
        ingest = seeded_stack.fazhi("ingest", str(fresh), "--wait")
        assert ingest.returncode == 0, ingest.stdout + ingest.stderr
        assert len(_all(client)["hits"]) == len(before) + 1


def test_bad_requests_get_problem_details(seeded_stack: Stack) -> None:
    with seeded_stack.client() as client:
        bad = client.get("/v1/search", params={"q": '(行政复议 OR "诉讼'})
        assert bad.status_code == 400
        assert bad.headers["content-type"].startswith("application/problem+json")
        assert bad.json()["position"] == 9  # the unclosed quote
        unauth = client.post("/v1/ingest", params={"url": "file:///x"}, content=b"x",
                             headers={"Authorization": "Bearer wrong"})
        assert unauth.status_code == 401
        assert unauth.json()["title"] == "Unauthorized"
        assert client.get("/v1/documents/nope").status_code == 404


def test_cli_search_talks_to_the_same_stack(seeded_stack: Stack) -> None:
    result = seeded_stack.fazhi("search", "行政复议", "--json")
    assert result.returncode == 0, result.stderr
    assert '"total":' in result.stdout


def test_a_worker_killed_while_processing_loses_no_document(
    seeded_stack: Stack, tmp_path: Path
) -> None:
    # 200 distinct documents (each seed with a line of its own), queued at once.
    batch = tmp_path / "batch"
    batch.mkdir()
    seeds = sorted(SEEDS.iterdir())
    for i in range(200):
        source = seeds[i % len(seeds)].read_text("utf-8")
        (batch / f"copy_{i:02d}.txt").write_text(source + f"\n附件{i}\n", "utf-8")
    with seeded_stack.client() as client:
        before = _all(client, size=0)["total"]
    ingest = subprocess.Popen(
        [*seeded_stack.fazhi_argv(), "ingest", str(batch), "--wait", "--timeout", "150"],
        env=seeded_stack.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    with seeded_stack.client() as client:
        seeded_stack.wait_for(lambda: _all(client, size=0)["total"] > before, 90, "the first copies")
        victim = seeded_stack.pids()["worker"]
        os.killpg(victim, signal.SIGKILL)
        at_kill = _all(client, size=0)["total"]
        assert at_kill < before + 200, "killed after everything was done: nothing tested"
        seeded_stack.wait_for(lambda: seeded_stack.pids()["worker"] != victim, 30, "a restart")
        out, err = ingest.communicate(timeout=200)
        assert ingest.returncode == 0, out + err + seeded_stack.logs()
        assert _all(client, size=0)["total"] == before + 200


def test_state_survives_a_restart(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = start_stack(data, "--ingest", str(SEEDS / TRADITIONAL_SEED))
    try:
        assert "Ingested 1 of 1" in "\n".join(first.lines)
    finally:
        assert first.stop() == 0
    second = start_stack(data, "--ingest", str(SEEDS / TRADITIONAL_SEED))
    try:
        with second.client() as client:
            assert _all(client)["total"] == 1
        assert (data / "redis" / "appendonly.aof").stat().st_size > 0
        started = second.pids()
    finally:
        assert second.stop() == 0
    for name, pid in started.items():
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
            pytest.fail(f"{name} ({pid}) outlived `fazhi up`")


def test_a_task_that_fails_for_good_is_listed_and_replayable(seeded_stack: Stack) -> None:
    from fazhi_shared.celery_base import make_celery
    from fazhi_shared.producer import send
    from fazhi_shared.tasks import ProcessPayload, TaskName

    celery = make_celery("test", seeded_stack.settings)
    send(celery, TaskName.PROCESS_DOCUMENT, ProcessPayload(
        content_sha256="0" * 64, url="https://example.gov.cn/missing.html",
        fetched_at="2024-03-28T00:00:00Z",
    ))
    with seeded_stack.client() as client:
        def listed() -> list[dict]:  # type: ignore[type-arg]
            return [d for d in client.get("/v1/deadletters").json()
                    if d["kwargs"]["payload"]["url"].endswith("missing.html")]

        seeded_stack.wait_for(lambda: bool(listed()), 60, "the dead letter")
        entry = listed()[0]
        assert entry["task"] == "process.document" and "archive" in entry["error"]
        replay = client.post(f"/v1/deadletters/{entry['id']}/replay")
        assert replay.status_code == 202
        # Replayed, it fails again and comes back as a new entry: nothing is dropped.
        seeded_stack.wait_for(lambda: any(d["id"] != entry["id"] for d in listed()), 60, "again")
        assert client.get("/v1/deadletters", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_garbage_and_oversized_bodies_are_kept_with_a_status(seeded_stack: Stack) -> None:
    import random

    from fazhi_shared.models import document_id

    garbage = random.Random(7).randbytes(50_000)
    with seeded_stack.client() as client:
        queued = client.post("/v1/ingest", params={"url": "https://example.gov.cn/garbage.bin"},
                             content=garbage, headers={"Content-Type": "application/octet-stream"})
        assert queued.status_code == 202, queued.text
        too_big = client.post("/v1/ingest", params={"url": "https://example.gov.cn/huge.html"},
                              content=b"<html>" + b"x" * 31_000_000)
        assert too_big.status_code == 413
        assert too_big.headers["content-type"].startswith("application/problem+json")

        # Ids come from the canonical URL, so the document can be looked up directly.
        doc_id = document_id("https://example.gov.cn/garbage.bin")

        def stored() -> dict | None:  # type: ignore[type-arg]
            response = client.get(f"/v1/documents/{doc_id}")
            return response.json() if response.status_code == 200 else None

        seeded_stack.wait_for(lambda: stored() is not None, 60, "the garbage document")
        doc = stored()
        assert doc is not None and doc["status"] in ("unsupported", "empty")
        assert doc["is_report"] is False
        # Not a report: the default search (is_report=true) leaves it out.
        assert all(not h["url"].endswith("garbage.bin")
                   for h in client.get("/v1/search", params={"size": 100}).json()["hits"])
