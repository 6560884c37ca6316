"""GET /v1/search: full-text and faceted search over the documents (docs/search.md)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Depends, HTTPException, Query

from fazhi_api.deps import BackendDep
from fazhi_shared.extract.indicators import definitions as indicator_definitions
from fazhi_shared.models import DocType, Level
from fazhi_shared.search.base import (
    BOOL_FILTERS,
    FACETS,
    KEYWORD_FILTERS,
    SearchRequest,
    SearchResponse,
)

router = APIRouter(prefix="/v1", tags=["search"])
# ASCII digits only: str.isdigit() and \d also take digits such as "²" that int() refuses.
_YEAR = re.compile(r"^\s*([0-9]{4})\s*$")
_YEAR_RANGE = re.compile(r"^\s*([0-9]{4})?\s*(?:\.\.|~)\s*([0-9]{4})?\s*$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_CHOICES: dict[str, frozenset[str]] = {
    "level": frozenset(get_args(Level)),
    "doc_type": frozenset(get_args(DocType)),
    "issuer_kind": frozenset({"government", "department"}),
}


@functools.cache
def _indicator_names() -> frozenset[str]:
    return frozenset(d.name for d in indicator_definitions())


def parse_year(value: str | None) -> tuple[int | None, int | None] | None:
    """`2020` or a range `2019..2021` (either end may be open: `2019..`)."""
    if not value:
        return None
    if m := _YEAR.match(value):
        year = int(m.group(1))
        return year, year
    m = _YEAR_RANGE.match(value)
    if not m or not (m.group(1) or m.group(2)):
        raise HTTPException(400, f"report_year must be YYYY or YYYY..YYYY, not {value!r}")
    return (int(m.group(1)) if m.group(1) else None, int(m.group(2)) if m.group(2) else None)


def _date(value: str | None, name: str) -> str | None:
    if value:
        try:
            dt.date.fromisoformat(value if _DATE.match(value) else "")
        except ValueError:
            raise HTTPException(400, f"{name} must be a date YYYY-MM-DD, not {value!r}") from None
    return value


def parse_facets(values: list[str]) -> tuple[str, ...]:
    """Repeatable or comma-separated names; none given: every facet; `none`: no facets."""
    names = [n.strip() for v in values for n in v.split(",") if n.strip()]
    if not names:
        return FACETS
    if names == ["none"]:
        return ()
    unknown = sorted(set(names) - set(FACETS))
    if unknown:
        raise HTTPException(400, f"unknown facets {unknown}; facets: {list(FACETS)}")
    return tuple(dict.fromkeys(names))


def build_request(
    q: str, filters: dict[str, list[str]], report_year: str | None, date_from: str | None,
    date_to: str | None, sort: str, size: int, cursor: str | None, *,
    facets: tuple[str, ...] = (), facet_size: int = 20, stats: tuple[str, ...] = (),
    collapse: bool = True,
) -> SearchRequest:
    for name in BOOL_FILTERS:
        for value in filters.get(name, []):
            if value not in ("true", "false", "any"):
                raise HTTPException(400, f"{name} must be true, false or any, not {value!r}")
    # A misspelt value would match nothing and look like an answer: name what is accepted.
    for name, allowed in _CHOICES.items():
        wrong = [v for v in filters.get(name, []) if v not in allowed]
        if wrong:
            raise HTTPException(400, f"unknown {name} {wrong}; {name} is one of {sorted(allowed)}")
    known = _indicator_names()
    for param, names in (("stats", stats), ("has_indicator", filters.get("has_indicator", []))):
        wrong = [n for n in names if n not in known]
        if wrong:
            raise HTTPException(400, f"unknown indicators in {param}: {wrong}; indicators: {sorted(known)}")
    dates = (_date(date_from, "publish_date_from"), _date(date_to, "publish_date_to"))
    return SearchRequest(
        q=q, filters={k: v for k, v in filters.items() if v}, report_year=parse_year(report_year),
        publish_date=dates if any(dates) else None, sort=sort,  # type: ignore[arg-type]
        size=size, cursor=cursor, facets=facets, facet_size=facet_size, stats=stats,
        collapse=collapse,
    )


StrList = Annotated[list[str], Query()]
QueryText = Annotated[str, Query(max_length=1000, description="Query; see docs/search.md "
                                 "(words, \"phrases\", AND/OR/NOT, (), title:/issuer:/text:). "
                                 "Empty: every document.")]
Collapse = Annotated[bool, Query(description="Hide near-duplicates behind their first copy")]


@dataclass
class FilterParams:
    """The filters of /v1/search, parsed once for every endpoint that takes them."""

    filters: dict[str, list[str]]
    report_year: str | None
    publish_date_from: str | None
    publish_date_to: str | None

    def request(self, q: str, sort: str, size: int, cursor: str | None, **options: Any) -> SearchRequest:
        return build_request(q, self.filters, self.report_year, self.publish_date_from,
                             self.publish_date_to, sort, size, cursor, **options)


def filter_params(
    province: StrList = [],  # noqa: B006 - FastAPI copies defaults per request
    city: StrList = [],  # noqa: B006
    county: StrList = [],  # noqa: B006
    adcode: StrList = [],  # noqa: B006
    level: Annotated[list[str], Query(description="province, prefecture or county")] = [],  # noqa: B006
    issuer: StrList = [],  # noqa: B006
    issuer_kind: Annotated[list[str], Query(description="government or department")] = [],  # noqa: B006
    doc_type: StrList = [],  # noqa: B006
    topics: StrList = [],  # noqa: B006
    cited: StrList = [],  # noqa: B006
    source_id: StrList = [],  # noqa: B006
    has_indicator: StrList = [],  # noqa: B006
    is_report: Annotated[str, Query(description="true (default), false or any")] = "true",
    on_time: Annotated[str | None, Query(description="true or false")] = None,
    report_year: Annotated[str | None, Query(description="YYYY or YYYY..YYYY (open ends: 2019..)")] = None,
    publish_date_from: Annotated[str | None, Query(description="YYYY-MM-DD, inclusive")] = None,
    publish_date_to: Annotated[str | None, Query(description="YYYY-MM-DD, inclusive")] = None,
) -> FilterParams:
    filters = {
        "province": province, "city": city, "county": county, "adcode": adcode, "level": level,
        "issuer": issuer, "issuer_kind": issuer_kind, "doc_type": doc_type, "topics": topics,
        "cited": cited, "source_id": source_id, "has_indicator": has_indicator,
        "is_report": [is_report], "on_time": [on_time] if on_time else [],
    }
    assert set(filters) == set(KEYWORD_FILTERS) | set(BOOL_FILTERS)
    return FilterParams(filters, report_year, publish_date_from, publish_date_to)


FiltersDep = Annotated[FilterParams, Depends(filter_params)]


@router.get("/search", response_model=SearchResponse, summary="Search documents")
def search(
    backend: BackendDep,
    filters: FiltersDep,
    q: QueryText = "",
    sort: Annotated[Literal["relevance", "date"], Query(
        description="relevance (BM25, title and issuer boosted) or date (newest first); "
        "an empty query is always in date order")] = "relevance",
    size: Annotated[int, Query(ge=0, le=100)] = 10,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
    facets: Annotated[list[str], Query(description=f"Facets to count (default all): {', '.join(FACETS)}; "
                                       "`none` for none")] = [],  # noqa: B006
    facet_size: Annotated[int, Query(ge=1, le=500, description="Values per terms facet (top N): doc_type, "
                                             "issuer_kind, topics, cited, source; region, report_year, "
                                             "on_time and publish_month list every value")] = 20,
    stats: Annotated[list[str], Query(description="Indicator names: min/avg/max/sum over the "
                                      "matching documents")] = [],  # noqa: B006
    collapse: Collapse = True,
) -> SearchResponse:
    request = filters.request(
        q, sort, size, cursor, facets=parse_facets(facets), facet_size=facet_size,
        stats=tuple(dict.fromkeys(s for v in stats for s in v.split(",") if s)), collapse=collapse,
    )
    return backend.search(request)
