"""Every filter and every facet, on each engine, against counts made from the corpus."""

from __future__ import annotations

import statistics

import pytest

from fazhi_shared.models import Document
from fazhi_shared.search.base import FACETS, SearchBackend, SearchRequest

from .expect import counts, result_ids, visible, where

KEYWORD_CASES = [
    ("province", "浙江省", lambda d, v: d.region.province == v),
    ("city", "杭州市", lambda d, v: d.region.city == v),
    ("county", "西湖区", lambda d, v: d.region.county == v),
    ("adcode", "320100", lambda d, v: d.region.adcode == v),
    ("level", "prefecture", lambda d, v: d.region.level == v),
    ("issuer", "南京市人民政府", lambda d, v: d.issuer == v),
    ("issuer_kind", "department", lambda d, v: d.issuer_kind == v),
    ("doc_type", "work_plan", lambda d, v: d.doc_type == v),
    ("topics", "疫情防控", lambda d, v: v in d.topics),
    ("cited", "优化营商环境条例", lambda d, v: v in d.cited),
    ("source_id", "src-b", lambda d, v: d.source_id == v),
    ("has_indicator", "mediation_disputes", lambda d, v: v in {i.name for i in d.indicators}),
]


@pytest.mark.parametrize(("name", "value", "pred"), KEYWORD_CASES, ids=[c[0] for c in KEYWORD_CASES])
def test_each_keyword_filter_keeps_exactly_the_matching_documents(
    engine: SearchBackend, corpus: list[Document], name: str, value: str, pred
) -> None:  # type: ignore[no-untyped-def]
    expected = where(corpus, lambda d: pred(d, value))
    assert expected, f"the corpus has no document for {name}={value}"
    assert result_ids(engine, filters={name: [value]}) == expected


def test_repeated_values_of_one_filter_are_ored_and_filters_are_anded(
    engine: SearchBackend, corpus: list[Document]
) -> None:
    got = result_ids(engine, filters={"city": ["杭州市", "南京市"], "issuer_kind": ["government"]})
    assert got == where(corpus, lambda d: d.region.city in ("杭州市", "南京市")
                        and d.issuer_kind == "government")


def test_is_report_defaults_to_true_and_can_be_widened(engine: SearchBackend, corpus: list[Document]) -> None:
    assert result_ids(engine) == where(corpus, lambda d: True)
    others = result_ids(engine, filters={"is_report": ["false"]})
    assert others == {d.id for d in corpus if not d.is_report and not d.duplicate_of}
    assert others
    assert result_ids(engine, filters={"is_report": ["any"]}) == {
        d.id for d in corpus if not d.duplicate_of}


def test_on_time_filter(engine: SearchBackend, corpus: list[Document]) -> None:
    for flag in (True, False):
        expected = where(corpus, lambda d, f=flag: d.timeliness is not None and d.timeliness.on_time is f)
        assert expected
        assert result_ids(engine, filters={"on_time": ["true" if flag else "false"]}) == expected


def test_report_year_value_and_ranges(engine: SearchBackend, corpus: list[Document]) -> None:
    assert result_ids(engine, report_year=(2021, 2021)) == where(corpus, lambda d: d.report_year == 2021)
    assert result_ids(engine, report_year=(2020, 2022)) == where(
        corpus, lambda d: d.report_year is not None and 2020 <= d.report_year <= 2022)
    assert result_ids(engine, report_year=(2022, None)) == where(
        corpus, lambda d: d.report_year is not None and d.report_year >= 2022)


def test_publish_date_range(engine: SearchBackend, corpus: list[Document]) -> None:
    lo, hi = "2021-02-01", "2022-03-15"
    expected = where(corpus, lambda d: d.publish_date is not None and lo <= d.publish_date <= hi)
    assert expected
    assert result_ids(engine, publish_date=(lo, hi)) == expected
    assert result_ids(engine, publish_date=(None, hi)) == where(
        corpus, lambda d: d.publish_date is not None and d.publish_date <= hi)


def _facet(engine: SearchBackend, name: str, **request: object) -> dict[object, int]:
    answer = engine.search(SearchRequest(size=0, facets=(name,), facet_size=100, **request))  # type: ignore[arg-type]
    return {v.value: v.count for v in answer.facets[name]}


def test_flat_facets_count_the_visible_documents(engine: SearchBackend, corpus: list[Document]) -> None:
    shown = visible(corpus)
    assert _facet(engine, "report_year") == counts(d.report_year for d in shown if d.report_year)
    assert _facet(engine, "doc_type") == counts(d.doc_type for d in shown)
    assert _facet(engine, "issuer_kind") == counts(d.issuer_kind for d in shown if d.issuer_kind)
    assert _facet(engine, "topics") == counts(t for d in shown for t in d.topics)
    cited = counts(c for d in shown for c in d.cited)
    assert len(cited) > 100  # more than one page of values: the top 100 are (count, value) first
    top = sorted(cited.items(), key=lambda kv: (-kv[1], str(kv[0])))[:100]
    assert list(_facet(engine, "cited").items()) == top
    assert _facet(engine, "source") == counts(d.source_id for d in shown if d.source_id)
    assert _facet(engine, "on_time") == counts(d.timeliness.on_time for d in shown if d.timeliness)
    assert _facet(engine, "publish_month") == counts(
        d.publish_date[:7] for d in shown if d.publish_date)


def test_facets_follow_the_query_and_filters(engine: SearchBackend, corpus: list[Document]) -> None:
    shown = [d for d in visible(corpus) if d.region.province == "江苏省" and "疫情防控" in d.text]
    assert shown
    got = _facet(engine, "doc_type", q="疫情防控", filters={"province": ["江苏省"]})
    assert got == counts(d.doc_type for d in shown)


def test_top_n_facet_is_ordered_by_count(engine: SearchBackend, corpus: list[Document]) -> None:
    answer = engine.search(SearchRequest(size=0, facets=("topics",), facet_size=3))
    values = answer.facets["topics"]
    all_counts = sorted(counts(t for d in visible(corpus) for t in d.topics).values(), reverse=True)
    assert [v.count for v in values] == all_counts[:3]


def test_region_facet_drills_down(engine: SearchBackend, corpus: list[Document]) -> None:
    shown = visible(corpus)
    top = engine.search(SearchRequest(size=0, facets=("region",))).facets["region"]
    assert {v.value: v.count for v in top} == counts(d.region.province for d in shown if d.region.province)
    assert all(v.children is None for v in top)

    in_zj = [d for d in shown if d.region.province == "浙江省"]
    zj = engine.search(SearchRequest(size=0, facets=("region",), filters={"province": ["浙江省"]}))
    (province,) = zj.facets["region"]
    assert (province.value, province.count) == ("浙江省", len(in_zj))
    assert {c.value: c.count for c in province.children or []} == counts(
        d.region.city for d in in_zj if d.region.city)

    in_hz = [d for d in in_zj if d.region.city == "杭州市"]
    hz = engine.search(SearchRequest(size=0, facets=("region",),
                                     filters={"province": ["浙江省"], "city": ["杭州市"]}))
    (city,) = hz.facets["region"][0].children or []
    assert (city.value, city.count) == ("杭州市", len(in_hz))
    assert {c.value: c.count for c in city.children or []} == counts(
        d.region.county for d in in_hz if d.region.county)


def test_indicator_stats(engine: SearchBackend, corpus: list[Document]) -> None:
    name = "admin_reconsideration_received"
    values = [next(i.value for i in d.indicators if i.name == name)
              for d in visible(corpus) if any(i.name == name for i in d.indicators)]
    assert len(values) > 3
    stats = engine.search(SearchRequest(size=0, stats=(name, "no_such_indicator"))).stats
    got = stats[name]
    assert got.count == len(values)
    assert got.min == min(values) and got.max == max(values)
    assert got.sum == pytest.approx(sum(values))
    assert got.avg == pytest.approx(statistics.mean(values))
    assert stats["no_such_indicator"].count == 0 and stats["no_such_indicator"].avg is None


def test_every_facet_at_once(engine: SearchBackend, corpus: list[Document]) -> None:
    answer = engine.search(SearchRequest(size=5, facets=FACETS))
    assert set(answer.facets) == set(FACETS)
    assert answer.total == len(visible(corpus))
    assert sum(v.count for v in answer.facets["doc_type"]) == answer.total
