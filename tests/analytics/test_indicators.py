"""Indicator tables on each engine: values per issuer with evidence, group statistics from
the plan, and the planted inconsistencies flagged (and nothing else)."""

from __future__ import annotations

import statistics

import pytest

from fazhi_shared.analytics.indicators import UnknownIndicator, indicator_table
from fazhi_shared.models import Document
from fazhi_shared.search.base import SearchBackend, SearchRequest

from .corpus import (
    ACCEPTED_GT_RECEIVED,
    OUTLIER,
    RATE_ABOVE_100,
    YEAR,
    Planned,
    issuer_of,
)

RECEIVED = "admin_reconsideration_received"
RATE = "head_appearance_rate_pct"
THIS_YEAR = SearchRequest(report_year=(YEAR, YEAR))


def _published(planned: list[Planned]) -> list[Planned]:
    return [p for p in planned if p.dates]


def test_one_value_per_report_with_its_sentence_and_link(
    engine: SearchBackend, planned: list[Planned], corpus: list[Document]
) -> None:
    table = indicator_table(engine, RECEIVED, THIS_YEAR)
    first = {v.issuer: v for v in table.values if "repeat" not in v.flags}
    truth = {issuer_of(p.place): p for p in _published(planned)}
    assert {k: v.value for k, v in first.items()} == {k: p.received for k, p in truth.items()}
    by_id = {d.id: d for d in corpus}
    for v in table.values:
        doc = by_id[v.document_id]
        assert v.url == doc.url and v.report_year == YEAR
        assert f"收到行政复议申请{v.value:g}件" in v.evidence
        assert doc.text[v.start:v.end] == f"{v.value:g}"
    assert table.unit == "件" and table.label


def test_group_statistics_match_the_plan(engine: SearchBackend, planned: list[Planned]) -> None:
    table = indicator_table(engine, RECEIVED, THIS_YEAR, group_by="province")
    groups = {g.group: g for g in table.groups}
    assert set(groups) == {"宁夏回族自治区", "浙江省"}
    for name, g in groups.items():
        xs = [p.received for p in _published(planned) if p.place.adcode[:2] == {
            "宁夏回族自治区": "64", "浙江省": "33"}[name]]
        assert (g.count, g.issuers) == (len(xs), len(xs)), "a repost is not counted twice"
        assert (g.min, g.max, g.sum) == (min(xs), max(xs), sum(xs))
        assert g.median == statistics.median(xs)
    assert table.overall.count == sum(g.count for g in table.groups)


def test_planted_problems_are_flagged_and_nothing_else(
    engine: SearchBackend, planned: list[Planned]
) -> None:
    name_of = {p.place.adcode: issuer_of(p.place) for p in planned}
    received = indicator_table(engine, RECEIVED, THIS_YEAR)
    flagged = {(v.issuer, f) for v in received.values for f in v.flags}
    assert flagged == {
        (name_of[OUTLIER], "outlier"),
        (name_of[ACCEPTED_GT_RECEIVED], "accepted_exceeds_received"),
        ("兴庆区人民政府", "repeat"),
    }
    rate = indicator_table(engine, RATE, THIS_YEAR)
    # 120 % may also stand out among the prefectures' rates; nothing else may be flagged.
    assert {(v.issuer, f) for v in rate.values for f in v.flags if f != "repeat"} - {
        (name_of[RATE_ABOVE_100], "outlier")} == {(name_of[RATE_ABOVE_100], "rate_above_100")}
    ningxia = next(g for g in rate.groups if g.group == "宁夏回族自治区")
    assert ningxia.max == 120 and ningxia.flagged == 1
    strict = indicator_table(engine, RATE, THIS_YEAR, exclude_flagged=True)
    clean = next(g for g in strict.groups if g.group == "宁夏回族自治区")
    assert clean.count == ningxia.count - 1 and clean.max is not None and clean.max <= 100
    accepted = indicator_table(engine, "admin_reconsideration_accepted", THIS_YEAR)
    assert [v.issuer for v in accepted.values if "accepted_exceeds_received" in v.flags] == [
        name_of[ACCEPTED_GT_RECEIVED]]


@pytest.mark.parametrize("group_by", ["city", "level", "report_year"])
def test_other_groupings(engine: SearchBackend, planned: list[Planned], group_by: str) -> None:
    table = indicator_table(engine, RECEIVED, SearchRequest(filters={"province": ["宁夏回族自治区"]}),
                            group_by=group_by)
    counted = sum(g.count for g in table.groups)
    ningxia = [p for p in _published(planned) if p.place.adcode.startswith("64")]
    assert counted == len(ningxia) + 1, "plus the 2022 report of 固原"
    keys = {g.group for g in table.groups}
    if group_by == "level":
        assert keys == {"province", "prefecture", "county"}
    elif group_by == "report_year":
        assert keys == {"2022", "2023"}
    else:
        assert "银川市" in keys and "宁夏回族自治区 (no prefecture)" in keys


def test_filters_narrow_the_table_and_unknown_names_are_refused(engine: SearchBackend) -> None:
    counties = indicator_table(engine, RECEIVED, SearchRequest(
        filters={"level": ["county"], "city": ["银川市"]}, report_year=(YEAR, YEAR)))
    assert counties.values and all(v.region.city == "银川市" and v.region.level == "county"
                                   for v in counties.values)
    with pytest.raises(UnknownIndicator):
        indicator_table(engine, "number_of_cats", THIS_YEAR)
