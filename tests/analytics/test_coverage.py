"""Coverage on each engine against the planned fate of every government of 宁夏."""

from __future__ import annotations

from datetime import date

import pytest

from fazhi_shared.analytics.coverage import ScopeError, coverage
from fazhi_shared.models import Document
from fazhi_shared.search.base import SearchBackend

from .corpus import FORMER, NINGXIA, YEAR, Planned, earliest, expected_status


def _ningxia(planned: list[Planned]) -> dict[str, Planned]:
    return {p.place.adcode: p for p in planned if p.place.adcode.startswith(NINGXIA[:2])}


def test_every_government_of_the_province_has_its_planned_status(
    engine: SearchBackend, planned: list[Planned]
) -> None:
    truth = _ningxia(planned)
    result = coverage(engine, YEAR, province="宁夏")
    assert result.province == "宁夏回族自治区" and result.deadline == "2024-04-01"
    got = {gv.adcode: gv for gv in result.governments}
    assert set(got) == set(truth), "every division of the gazetteer, no more, no less"
    for adcode, p in truth.items():
        gv = got[adcode]
        assert gv.status == expected_status(p), (p.place.name, p.dates)
        assert gv.publish_date == earliest(p.dates)
        assert len(gv.reports) == len(p.dates), "duplicates collapsed, reposts listed"
        if gv.publish_date:
            days = (date.fromisoformat(gv.publish_date) - date(YEAR + 1, 4, 1)).days
            assert gv.days_late == days
        for ref in gv.reports:
            assert ref.url.startswith(f"https://gov.example/{adcode}/")
    assert {m.adcode for m in result.missing} == {a for a, p in truth.items() if not p.dates}
    assert got["640000"].prefecture is None and got["640104"].prefecture == "银川市"


def test_totals_and_rates_per_region_add_up_to_the_plan(
    engine: SearchBackend, planned: list[Planned]
) -> None:
    truth = _ningxia(planned)
    result = coverage(engine, YEAR, province="640000")
    regions = {r.adcode: r for r in result.regions}
    assert set(regions) == {"640000", "640100", "640200", "640300", "640400", "640500"}
    for code, region in regions.items():
        prefix = code[:2] if code == NINGXIA else code[:4]
        members = [p for a, p in truth.items() if a.startswith(prefix)]
        statuses = [expected_status(p) for p in members]
        assert region.governments == len(members)
        assert region.on_time == statuses.count("on_time")
        assert region.late == statuses.count("late")
        assert region.undated == statuses.count("undated")
        assert region.missing == statuses.count("missing")
        assert region.published == len(members) - statuses.count("missing")
        assert region.publish_rate == pytest.approx(region.published / len(members), abs=1e-4)
        assert region.on_time_rate == pytest.approx(region.on_time / len(members), abs=1e-4)
    assert result.totals.governments == len(truth) == regions["640000"].governments


def test_departments_are_listed_where_found_and_not_counted(engine: SearchBackend) -> None:
    result = coverage(engine, YEAR, province="宁夏")
    depts = {d.issuer: d for d in result.departments}
    assert set(depts) == {"宁夏回族自治区司法厅", "银川市市场监督管理局"}
    assert depts["宁夏回族自治区司法厅"].status == "on_time"
    assert depts["银川市市场监督管理局"].status == "late"
    assert depts["银川市市场监督管理局"].days_late == 9
    assert "no complete list" in result.departments_note.lower()
    assert all(gv.name not in depts for gv in result.governments)


def test_other_years_types_and_unplaced_reports(engine: SearchBackend) -> None:
    result = coverage(engine, YEAR, province="宁夏")
    guyuan = next(gv for gv in result.governments if gv.adcode == "640400")
    assert guyuan.status == "missing", "a 2022 report, a work plan and news do not count"
    assert [r.url for r in result.unplaced] == ["https://gov.example/unknown.html"]
    earlier = {gv.adcode: gv.status for gv in coverage(engine, YEAR - 1, province="宁夏").governments}
    assert earlier["640400"] == "on_time" and list(earlier.values()).count("missing") == 27
    plans = coverage(engine, YEAR, province="宁夏", doc_type="work_plan")
    assert plans.deadline is None
    assert {gv.adcode for gv in plans.governments if gv.status == "published"} == {"640400"}


def test_scope_by_level_and_by_city(engine: SearchBackend, planned: list[Planned]) -> None:
    truth = _ningxia(planned)
    prefectures = coverage(engine, YEAR, province="宁夏", levels=["prefecture"])
    assert [gv.name for gv in prefectures.governments] == ["银川市", "石嘴山市", "吴忠市", "固原市", "中卫市"]
    assert prefectures.unplaced == [], "a level was asked: reports without one are out of scope"
    yinchuan = coverage(engine, YEAR, province="宁夏", city="银川")
    assert {gv.adcode for gv in yinchuan.governments} == {a for a in truth if a.startswith("6401")}
    assert [r.adcode for r in yinchuan.regions] == ["640100"]
    counties = coverage(engine, YEAR, province="浙江", levels=["county"])
    assert all(gv.level == "county" for gv in counties.governments)
    assert counties.totals.published == sum(1 for gv in counties.governments if gv.reports)
    assert counties.totals.published > 80 and counties.totals.late > 10


def test_the_country_leaves_out_the_regions_outside_the_rules(engine: SearchBackend) -> None:
    result = coverage(engine, YEAR, levels=["province"])
    names = {gv.name for gv in result.governments}
    assert len(names) == 31 and "香港特别行政区" not in names and "台湾省" not in names
    assert {gv.name for gv in result.governments if gv.status != "missing"} == {"宁夏回族自治区"}


@pytest.mark.parametrize(("province", "city", "levels"), [
    ("火星省", None, ()), ("宁夏", "杭州", ()), ("宁夏", None, ("township",)),
])
def test_unknown_scope_is_refused(engine: SearchBackend, province: str, city: str | None,
                                  levels: tuple[str, ...]) -> None:
    with pytest.raises(ScopeError):
        coverage(engine, YEAR, province=province, city=city, levels=levels)


def test_a_report_of_an_abolished_division_is_unplaced_not_counted(
    engine: SearchBackend, corpus: list[Document]
) -> None:
    if not any(d.region.adcode == FORMER for d in corpus):
        pytest.skip("this gazetteer keeps no abolished divisions (former=1)")
    result = coverage(engine, YEAR, province="浙江")
    assert FORMER not in {gv.adcode for gv in result.governments}
    assert [r.url for r in result.unplaced] == [f"https://gov.example/{FORMER}/0.html"]
