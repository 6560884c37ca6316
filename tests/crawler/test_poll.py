"""Polls of whole sources: every report handed to processing once and only once, unchanged
pages cost a 304 and enqueue nothing, new reports are found by the next poll."""

from __future__ import annotations

from collections import Counter

from celery import Celery

from fazhi_crawler.poll import run_poll
from fazhi_shared.archive import RawArchive
from fazhi_shared.settings import Settings
from fazhi_shared.stores.crawlstate import CrawlState
from fazhi_shared.stores.redis import redis_client
from fazhi_shared.stores.sources import Source, SourceStore
from tests.crawler.conftest import queued
from tests.web.server import LocalWeb
from tests.web.sites import Item, ListSite


def poll(settings: Settings, app: Celery, source: Source) -> dict[str, object]:
    client = redis_client(settings)
    SourceStore(client).put(source)
    lease = CrawlState(client).take_lease(source.id, 60)
    assert lease is not None
    return run_poll(settings, client, app, source, lease)


def documents(settings: Settings) -> Counter[str]:
    """URLs of the documents sent to processing (attachments apart), with their counts."""
    return Counter(p["url"] for p in queued(settings) if "x-fazhi-parent" not in p["headers"])


def test_every_report_once_attachments_with_their_report_nothing_forbidden(
    sites: dict[str, ListSite], web: LocalWeb, crawl_settings: Settings, app: Celery
) -> None:
    sources = [
        Source(id="trs", list_urls=[sites["trs"].list_url()]),  # type: ignore[attr-defined]
        Source(id="api", list_urls=[sites["api"].list_url()], kind="json"),  # type: ignore[attr-defined]
        Source(id="jsonp", list_urls=[sites["api"].jsonp_url()], kind="jsonp"),  # type: ignore[attr-defined]
        Source(id="gbk", list_urls=[sites["gbk"].list_url()], kind="script"),  # type: ignore[attr-defined]
    ]
    for source in sources:
        summary = poll(crawl_settings, app, source)
        assert summary["last_poll_ok"], summary
    expected = sites["trs"].expected() | sites["api"].expected() | sites["gbk"].expected()
    sent = documents(crawl_settings)
    assert set(sent) == expected
    # The JSONP column lists the API's reports again: each is still fetched once.
    assert max(sent.values()) == 1
    attachments = [p for p in queued(crawl_settings) if "x-fazhi-parent" in p["headers"]]
    assert {p["url"] for p in attachments} == sites["trs"].attachment_urls()
    parents = {p["headers"]["x-fazhi-parent"] for p in attachments}
    assert parents <= sites["trs"].expected()
    assert {p["content_type"].split(";")[0] for p in attachments} == {
        "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
    # Nothing from forbidden paths, no notice, no report page fetched twice.
    assert not [p for p in web.paths_fetched("trs") if p.startswith(("/private/", "/search/"))]
    report_hits = Counter(h.path for site in ("trs", "api", "gbk") for h in web.hits_of(site)
                          if sites[site].url(h.path) in expected)
    assert set(report_hits.values()) == {1}
    notices = {sites["trs"].url(i.path) for i in sites["trs"].items if not i.report}
    assert not notices & {sites["trs"].url(h.path) for h in web.hits_of("trs")}
    # Every payload points at a body in the archive, with the headers it came with.
    archive = RawArchive(crawl_settings.archive_dir)
    for payload in queued(crawl_settings):
        assert payload["content_sha256"] in archive
        assert payload["source_id"] in {s.id for s in sources}


def test_unchanged_site_costs_304s_and_a_new_report_is_found_by_the_next_poll(
    sites: dict[str, ListSite], web: LocalWeb, crawl_settings: Settings, app: Celery
) -> None:
    trs = sites["trs"]
    source = Source(id="trs", list_urls=[trs.list_url()], interval=60)  # type: ignore[attr-defined]
    poll(crawl_settings, app, source)
    first = documents(crawl_settings)
    hits_before = len(web.hits_of("trs"))

    summary = poll(crawl_settings, app, source)
    assert summary["new_documents"] == 0 and summary["pages_unchanged"] == 1
    assert documents(crawl_settings) == first  # nothing enqueued
    second_poll = web.hits_of("trs")[hits_before:]
    assert [(h.path, h.status) for h in second_poll] == [("/col/fzzfjs/index.html", 304)]

    new_url = trs.publish()
    summary = poll(crawl_settings, app, source)
    assert summary["new_documents"] == 1
    after = documents(crawl_settings)
    assert after - first == Counter({new_url: 1})
    assert max(after.values()) == 1
    status = CrawlState(redis_client(crawl_settings)).status("trs")
    assert status["total_polls"] == 3 and status["reports_fetched"] == len(trs.expected())
    assert status["next_poll_at"] and status["last_poll_ok"] is True


def test_badly_behaved_site_loses_nothing_fetchable_and_records_what_failed(
    sites: dict[str, ListSite], web: LocalWeb, crawl_settings: Settings, app: Celery
) -> None:
    flaky = sites["flaky"]
    source = Source(id="flaky", list_urls=[flaky.list_url()])  # type: ignore[attr-defined]
    summary = poll(crawl_settings, app, source)
    assert set(documents(crawl_settings)) == flaky.expected()
    assert max(documents(crawl_settings).values()) == 1
    errors = CrawlState(redis_client(crawl_settings)).status("flaky")["errors"]
    failed = {e["url"] for e in errors}
    assert failed == {flaky.url("/loop/a.html"), flaky.url("/news/202403/t20240324_huge.html")}
    assert summary["last_poll_ok"]  # failures of single reports do not fail the source
    assert not [p for p in web.paths_fetched("flaky") if p.startswith("/admin/")]
    assert web.min_gap("flaky") >= 0.5 - 0.01  # its robots.txt asks Crawl-delay: 0.5


def test_a_failing_source_backs_off_alone(
    sites: dict[str, ListSite], web: LocalWeb, crawl_settings: Settings, app: Celery
) -> None:
    dead = Source(id="dead", list_urls=[sites["trs"].url("/no/such/list.html")], interval=10)
    first = poll(crawl_settings, app, dead)
    second = poll(crawl_settings, app, dead)
    assert first["consecutive_failures"] == 1 and second["consecutive_failures"] == 2
    state = CrawlState(redis_client(crawl_settings))
    nxt = state.next_poll("dead")
    assert nxt is not None
    good = Source(id="good", list_urls=[sites["gbk"].list_url()], kind="script", interval=10)
    assert poll(crawl_settings, app, good)["consecutive_failures"] == 0
    good_next = state.next_poll("good")
    assert good_next is not None and nxt - good_next > 25  # 10 s × 2² against 10 s
    assert "HTTP 404" in state.status("dead")["last_error"]


def test_reprocess_sends_every_archived_document_again_without_network(
    sites: dict[str, ListSite], web: LocalWeb, crawl_settings: Settings, app: Celery
) -> None:
    from fazhi_crawler.reprocess import reprocess_all

    poll(crawl_settings, app, Source(id="trs", list_urls=[sites["trs"].list_url()]))  # type: ignore[attr-defined]
    first = queued(crawl_settings)
    redis_client(crawl_settings).delete("process")
    web.stop()  # no network from here on
    assert reprocess_all(crawl_settings, app) == len(first)
    again = queued(crawl_settings)
    key = lambda p: (p["url"], p["content_sha256"], p["source_id"], p["headers"].get("x-fazhi-parent"))  # noqa: E731
    assert sorted(map(key, again)) == sorted(map(key, first))


def test_a_site_with_only_last_modified_answers_304_too(
    sites: dict[str, ListSite], web: LocalWeb, crawl_settings: Settings, app: Celery
) -> None:
    gbk = sites["gbk"]  # GBK pages, list inside a <script>, no ETag
    source = Source(id="gbk", list_urls=[gbk.list_url()], kind="script")  # type: ignore[attr-defined]
    poll(crawl_settings, app, source)
    assert set(documents(crawl_settings)) == gbk.expected()
    saved = CrawlState(redis_client(crawl_settings)).validators(gbk.list_url())  # type: ignore[attr-defined]
    assert saved["etag"] == "" and saved["last_modified"]
    before = len(web.hits_of("gbk"))
    assert poll(crawl_settings, app, source)["new_documents"] == 0
    assert [h.status for h in web.hits_of("gbk")[before:]] == [304]
    new_url = gbk.publish("白河区审计局关于2024年度法治政府建设工作的报告")
    assert poll(crawl_settings, app, source)["new_documents"] == 1
    assert documents(crawl_settings)[new_url] == 1


def test_a_report_still_failing_after_the_retries_is_fetched_by_a_later_poll(
    sites: dict[str, ListSite], web: LocalWeb, crawl_settings: Settings, app: Celery
) -> None:
    flaky = sites["flaky"]
    flaky.failures["busy"] = 0  # type: ignore[attr-defined]  # no 429 wait this time
    source = Source(id="flaky", list_urls=[flaky.list_url()])  # type: ignore[attr-defined]
    assert poll(crawl_settings, app, source)["last_poll_ok"]
    path = "/news/202503/t20250330_flaky2.html"
    with flaky.lock:
        flaky.items.insert(0, Item(path, "安宁市民政局2024年度法治政府建设工作报告", "2025-03-30"))
        flaky.failures["flaky"] = 1 + crawl_settings.crawl_retries  # type: ignore[attr-defined]
        flaky.touch()
    failed = poll(crawl_settings, app, source)
    assert not failed["last_poll_ok"] and "HTTP 500" in str(failed["last_error"])
    assert flaky.url(path) not in documents(crawl_settings)
    recovered = poll(crawl_settings, app, source)  # the list page itself has not changed since
    assert recovered["last_poll_ok"] and recovered["new_documents"] == 1
    assert documents(crawl_settings)[flaky.url(path)] == 1
