"""Coverage and indicators on the stack as `make run` starts it: the seeds go through the
queues and workers, then the API and `fazhi coverage` (another process, same data directory)
answer about them."""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import Stack

pytestmark = [pytest.mark.stack, pytest.mark.slow]


def test_coverage_of_ingested_reports_over_http_and_cli(seeded_stack: Stack) -> None:
    with seeded_stack.client() as client:
        hits = client.get("/v1/search", params={"doc_type": "annual_report", "size": 100,
                                                "facets": "none"}).json()["hits"]
        placed = [h for h in hits if h["region"]["adcode"] and h["region"]["level"]]
        assert len(placed) >= 3
        for hit in placed:
            body = client.get("/v1/coverage", params={
                "report_year": hit["report_year"], "province": hit["region"]["province"]}).json()
            gov = next(g for g in body["governments"] if g["adcode"] == hit["region"]["adcode"])
            assert [r["url"] for r in gov["reports"]] == [hit["url"]]
            date = hit["publish_date"]
            due = f"{hit['report_year'] + 1}-04-01"
            assert gov["status"] == ("undated" if not date else
                                     "on_time" if date <= due else "late")
            assert body["totals"]["missing"] == body["totals"]["governments"] - 1
        export = client.get("/v1/search/export", params={"format": "csv", "is_report": "any"})
        rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
        assert len(rows) == 5
    first = placed[0]
    run = seeded_stack.fazhi("coverage", "--year", str(first["report_year"]), "--province",
                             first["region"]["province"], "--format", "csv")
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout.lstrip("\ufeff"))))
    assert [r["url"] for r in rows if r["url"]] == [first["url"]]
