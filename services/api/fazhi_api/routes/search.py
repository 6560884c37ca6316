"""GET /v1/search: full-text and faceted search over the documents."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query

from fazhi_api.deps import BackendDep
from fazhi_shared.search.base import BOOL_FILTERS, KEYWORD_FILTERS, SearchRequest, SearchResponse

router = APIRouter(prefix="/v1", tags=["search"])
_YEAR_RANGE = re.compile(r"^\s*(\d{4})?\s*(?:\.\.|~)\s*(\d{4})?\s*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_year(value: str | None) -> tuple[int | None, int | None] | None:
    """`2020` or a range `2019..2021` (either end may be open: `2019..`)."""
    if not value:
        return None
    if value.strip().isdigit():
        year = int(value)
        return year, year
    m = _YEAR_RANGE.match(value)
    if not m:
        raise HTTPException(400, f"report_year must be YYYY or YYYY..YYYY, not {value!r}")
    return (int(m.group(1)) if m.group(1) else None, int(m.group(2)) if m.group(2) else None)


def _date(value: str | None, name: str) -> str | None:
    if value and not _DATE.match(value):
        raise HTTPException(400, f"{name} must be YYYY-MM-DD, not {value!r}")
    return value


def build_request(
    q: str, filters: dict[str, list[str]], report_year: str | None, date_from: str | None,
    date_to: str | None, sort: str, size: int, cursor: str | None,
) -> SearchRequest:
    for name in BOOL_FILTERS:
        for value in filters.get(name, []):
            if value not in ("true", "false", "any"):
                raise HTTPException(400, f"{name} must be true, false or any, not {value!r}")
    dates = (_date(date_from, "publish_date_from"), _date(date_to, "publish_date_to"))
    return SearchRequest(
        q=q, filters={k: v for k, v in filters.items() if v}, report_year=parse_year(report_year),
        publish_date=dates if any(dates) else None, sort=sort,  # type: ignore[arg-type]
        size=size, cursor=cursor,
    )


StrList = Annotated[list[str], Query()]


@router.get("/search", response_model=SearchResponse, summary="Search documents")
def search(
    backend: BackendDep,
    q: Annotated[str, Query(max_length=1000, description="Query (see the README's query language)")] = "",
    province: StrList = [],  # noqa: B006 - FastAPI copies defaults per request
    city: StrList = [],  # noqa: B006
    county: StrList = [],  # noqa: B006
    adcode: StrList = [],  # noqa: B006
    level: StrList = [],  # noqa: B006
    issuer: StrList = [],  # noqa: B006
    issuer_kind: StrList = [],  # noqa: B006
    doc_type: StrList = [],  # noqa: B006
    topics: StrList = [],  # noqa: B006
    cited: StrList = [],  # noqa: B006
    source_id: StrList = [],  # noqa: B006
    has_indicator: StrList = [],  # noqa: B006
    is_report: Annotated[str, Query(description="true (default), false or any")] = "true",
    on_time: Annotated[str | None, Query(description="true or false")] = None,
    report_year: Annotated[str | None, Query(description="YYYY or YYYY..YYYY")] = None,
    publish_date_from: str | None = None,
    publish_date_to: str | None = None,
    sort: Annotated[Literal["relevance", "date"], Query()] = "relevance",
    size: Annotated[int, Query(ge=0, le=100)] = 10,
    cursor: str | None = None,
) -> SearchResponse:
    filters = {
        "province": province, "city": city, "county": county, "adcode": adcode, "level": level,
        "issuer": issuer, "issuer_kind": issuer_kind, "doc_type": doc_type, "topics": topics,
        "cited": cited, "source_id": source_id, "has_indicator": has_indicator,
        "is_report": [is_report], "on_time": [on_time] if on_time else [],
    }
    assert set(filters) == set(KEYWORD_FILTERS) | set(BOOL_FILTERS)
    request = build_request(q, filters, report_year, publish_date_from, publish_date_to, sort, size, cursor)
    return backend.search(request)
