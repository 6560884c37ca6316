"""Coverage: every government in scope (from the gazetteer) with its report for a year, when
it was published, whether by the deadline (1 April of the next year), and the ones missing.

Governments are complete (the gazetteer lists every province, prefecture and county); there is
no complete list of departments, so departments are listed where a report was found and are
never counted in the rates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, Field

from fazhi_shared.analytics.scan import Progress, iter_hits
from fazhi_shared.extract.gazetteer import Gazetteer, Place, gazetteer
from fazhi_shared.extract.timeliness import deadline as deadline_of
from fazhi_shared.extract.timeliness import timeliness
from fazhi_shared.models import Region
from fazhi_shared.search.base import Hit, SearchBackend, SearchRequest

LEVELS = ("province", "prefecture", "county")
# The reporting rules bind the mainland's local governments: the national scope leaves out
# Taiwan, Hong Kong and Macau (still available when asked for by name).
OUTSIDE_RULES = frozenset({"710000", "810000", "820000"})
Status = Literal["on_time", "late", "undated", "published", "missing"]
DEPARTMENTS_NOTE = (
    "No complete list of government departments exists, so departments are listed only where "
    "a report of theirs was found; they are not counted in the totals or rates, and a "
    "department absent from this list may still have published."
)


class ScopeError(ValueError):
    """A province or city the gazetteer does not know, or a level that does not exist."""


class ReportRef(BaseModel):
    id: str
    title: str | None
    issuer: str | None
    url: str
    publish_date: str | None
    on_time: bool | None = Field(description="Published by the deadline; null when undated "
                                 "or not an annual report")
    days_late: int | None
    duplicates: int = Field(0, description="Near-duplicate copies found elsewhere")


class GovernmentCoverage(BaseModel):
    adcode: str
    name: str
    level: str
    province: str
    prefecture: str | None = Field(description="The prefecture above a county, if any")
    status: Status
    publish_date: str | None = Field(description="The earliest publish date of its reports")
    days_late: int | None
    reports: list[ReportRef]


class DepartmentCoverage(BaseModel):
    issuer: str
    region: Region
    status: Status
    publish_date: str | None
    days_late: int | None
    reports: list[ReportRef]


class RegionTotals(BaseModel):
    adcode: str | None = Field(description="null for the whole scope")
    name: str
    level: str = Field(description="scope, province or prefecture")
    governments: int
    published: int
    on_time: int
    late: int
    undated: int
    missing: int
    publish_rate: float | None = Field(description="published / governments")
    on_time_rate: float | None = Field(description="on time / governments (annual reports)")


class MissingGovernment(BaseModel):
    adcode: str
    name: str
    level: str


class Coverage(BaseModel):
    report_year: int
    doc_type: str
    province: str | None
    city: str | None
    levels: list[str]
    deadline: str | None = Field(description="1 April of the next year, for annual reports")
    totals: RegionTotals
    regions: list[RegionTotals] = Field(description="Each province and prefecture in scope")
    governments: list[GovernmentCoverage]
    missing: list[MissingGovernment]
    departments: list[DepartmentCoverage]
    departments_note: str = DEPARTMENTS_NOTE
    unplaced: list[ReportRef] = Field(
        description="Government reports in scope whose region names no current division of "
        "the gazetteer (none, or one abolished or renamed since)")


def _find(g: Gazetteer, name: str, level: str, within: Place | None = None) -> Place:
    name = name.strip()
    place = g.by_code.get(name)
    if place is None:
        cands = [p for p in g.aliases.get(name, ()) if p.level == level
                 and (within is None or within in g.ancestors(p))]
        place = cands[0] if len(cands) == 1 else None
        if len(cands) > 1:
            raise ScopeError(f"{name!r} names several {level}s; give its adcode")
    if place is None or place.level != level:
        raise ScopeError(f"no {level} named {name!r} in the gazetteer")
    if within is not None and within not in g.ancestors(place):
        raise ScopeError(f"{place.name} is not in {within.name}")
    return place


def resolve_scope(province: str | None, city: str | None,
                  levels: Iterable[str] = ()) -> tuple[Place | None, Place | None, list[Place]]:
    """(province, city, governments in scope), governments in gazetteer (adcode) order."""
    g = gazetteer()
    wanted = tuple(dict.fromkeys(levels)) or LEVELS
    unknown = sorted(set(wanted) - set(LEVELS))
    if unknown:
        raise ScopeError(f"unknown level {unknown}; levels: {list(LEVELS)}")
    prov = _find(g, province, "province") if province else None
    pref = _find(g, city, "prefecture", prov) if city else None
    root = pref or prov
    places = []
    for place in sorted(g.by_code.values(), key=lambda p: p.adcode):
        # Divisions abolished or renamed since are kept in the gazetteer for older reports,
        # but nobody is expected to publish for them any more.
        if place.level not in wanted or getattr(place, "former", False):
            continue
        if root is None and g.province_of(place).adcode in OUTSIDE_RULES:
            continue
        if root is not None and place is not root and root not in g.ancestors(place):
            continue
        places.append(place)
    return prov, pref, places


def _ref(hit: Hit) -> ReportRef:
    t = timeliness(hit.doc_type, hit.report_year, hit.publish_date)
    return ReportRef(id=hit.id, title=hit.title, issuer=hit.issuer, url=hit.url,
                     publish_date=hit.publish_date, on_time=t.on_time if t else None,
                     days_late=t.days_late if t else None, duplicates=hit.duplicates)


def _status(refs: list[ReportRef], annual: bool) -> tuple[Status, str | None, int | None]:
    """A government counts as published on its earliest dated report."""
    if not refs:
        return "missing", None, None
    dated = sorted((r for r in refs if r.publish_date), key=lambda r: r.publish_date or "")
    if not dated:
        return ("undated" if annual else "published"), None, None
    first = dated[0]
    if not annual:
        return "published", first.publish_date, None
    return ("on_time" if first.on_time else "late"), first.publish_date, first.days_late


def _request(doc_type: str, year: int, prov: Place | None, pref: Place | None,
             levels: list[str], kind: str) -> SearchRequest:
    # Every level wanted: no level filter, so reports whose region has no level are found
    # (and listed as unplaced) instead of silently dropped.
    filters = {"doc_type": [doc_type], "issuer_kind": [kind],
               "level": levels if set(levels) != set(LEVELS) else []}
    if prov is not None:
        filters["province"] = [prov.name]
    if pref is not None:
        filters["city"] = [pref.name]
    return SearchRequest(filters=filters, report_year=(year, year), sort="date")


def _totals(adcode: str | None, name: str, level: str,
            govs: list[GovernmentCoverage]) -> RegionTotals:
    n = len(govs)
    count = {s: sum(1 for g in govs if g.status == s) for s in
             ("on_time", "late", "undated", "published", "missing")}
    published = n - count["missing"]
    return RegionTotals(
        adcode=adcode, name=name, level=level, governments=n, published=published,
        on_time=count["on_time"], late=count["late"], undated=count["undated"],
        missing=count["missing"], publish_rate=round(published / n, 4) if n else None,
        on_time_rate=round(count["on_time"] / n, 4) if n else None,
    )


def coverage(backend: SearchBackend, report_year: int, *, province: str | None = None,
             city: str | None = None, levels: Iterable[str] = (),
             doc_type: str = "annual_report", progress: Progress | None = None) -> Coverage:
    g = gazetteer()
    prov, pref, places = resolve_scope(province, city, levels)
    level_list = sorted({p.level for p in places}, key=LEVELS.index)
    annual = doc_type == "annual_report"
    in_scope = {p.adcode: p for p in places}
    found: dict[str, list[ReportRef]] = {}
    unplaced: list[ReportRef] = []
    gov_request = _request(doc_type, report_year, prov, pref, level_list, "government")
    for hit in iter_hits(backend, gov_request, progress):
        adcode = hit.region.adcode
        if adcode in in_scope:
            found.setdefault(adcode, []).append(_ref(hit))
        elif adcode is None or adcode not in g.by_code or getattr(g.by_code[adcode], "former", False):
            unplaced.append(_ref(hit))

    governments = []
    for place in places:
        chain = [place, *g.ancestors(place)]
        refs = sorted(found.get(place.adcode, []), key=lambda r: (r.publish_date or "9", r.id))
        status, published, late = _status(refs, annual)
        prefecture = next((p.name for p in chain[1:] if p.level == "prefecture"), None)
        governments.append(GovernmentCoverage(
            adcode=place.adcode, name=place.name, level=place.level,
            province=chain[-1].name, prefecture=prefecture, status=status,
            publish_date=published, days_late=late, reports=refs,
        ))

    buckets: dict[str, list[GovernmentCoverage]] = {}
    for gv, place in zip(governments, places, strict=True):
        for above in [place, *g.ancestors(place)]:
            if above.level in ("province", "prefecture") and not (
                    pref is not None and above.level == "province"):
                buckets.setdefault(above.adcode, []).append(gv)
    regions = [_totals(code, g.by_code[code].name, g.by_code[code].level, members)
               for code, members in sorted(buckets.items())]

    by_issuer: dict[tuple[str, str | None], tuple[Region, list[ReportRef]]] = {}
    dept_request = _request(doc_type, report_year, prov, pref, level_list, "department")
    for hit in iter_hits(backend, dept_request):
        key = (hit.issuer or hit.title or hit.id, hit.region.adcode)
        by_issuer.setdefault(key, (hit.region, []))[1].append(_ref(hit))
    departments = []
    for (issuer, _), (region, refs) in sorted(by_issuer.items(), key=lambda kv: (kv[0][1] or "", kv[0][0])):
        status, published, late = _status(refs, annual)
        departments.append(DepartmentCoverage(issuer=issuer, region=region, status=status,
                                              publish_date=published, days_late=late,
                                              reports=refs))

    root = pref or prov
    return Coverage(
        report_year=report_year, doc_type=doc_type,
        province=prov.name if prov else None, city=pref.name if pref else None,
        levels=level_list, deadline=deadline_of(report_year).isoformat() if annual else None,
        totals=_totals(None, root.name if root else "全国", "scope", governments),
        regions=regions, governments=governments,
        missing=[MissingGovernment(adcode=gv.adcode, name=gv.name, level=gv.level)
                 for gv in governments if gv.status == "missing"],
        departments=departments, unplaced=unplaced,
    )
