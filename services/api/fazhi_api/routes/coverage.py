"""GET /v1/coverage: who in a province (or the country) published the report for a year, on
time or late, and who did not; totals and rates per region."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import StreamingResponse

from fazhi_api.deps import BackendDep
from fazhi_api.routes.export import DataFormat, attachment
from fazhi_shared.analytics.coverage import LEVELS, Coverage, ScopeError, coverage
from fazhi_shared.analytics.export import COVERAGE_COLUMNS, coverage_rows, csv_chunks

router = APIRouter(prefix="/v1", tags=["analytics"])


@router.get(
    "/coverage", response_model=Coverage, summary="Who published, who is late, who is missing",
    responses={200: {"content": {"text/csv": {}}}},
    description="Every government in scope (the gazetteer's province, prefectures and counties, "
    "as asked) with its reports for `report_year`: publish date, on time or late (deadline: "
    "1 April of the next year), links; the missing ones; totals and rates per province and "
    "prefecture. Departments are listed only where found (no complete list of departments "
    "exists). `format=csv`: one row per government, then one per department found.",
)
def get_coverage(
    backend: BackendDep,
    report_year: Annotated[int, Query(ge=1990, le=2100, description="The year the reports cover")],
    province: Annotated[str | None, Query(description="Name (浙江省, 浙江) or adcode; "
                                          "unset: every province")] = None,
    city: Annotated[str | None, Query(description="A prefecture (name or adcode) within the "
                                      "province: it and its counties")] = None,
    level: Annotated[list[str], Query(description="province, prefecture, county "
                                      "(repeatable; default all)")] = [],  # noqa: B006
    doc_type: Annotated[Literal["annual_report", "work_plan", "implementation_plan"],
                        Query()] = "annual_report",
    format: DataFormat = "json",  # noqa: A002 - the API's name
) -> Coverage | StreamingResponse:
    levels = [v.strip() for value in level for v in value.split(",") if v.strip()]
    try:
        result = coverage(backend, report_year, province=province, city=city, levels=levels,
                          doc_type=doc_type)
    except ScopeError as exc:
        raise HTTPException(400, f"{exc} (levels: {', '.join(LEVELS)})") from exc
    if format == "csv":
        stem = f"coverage-{report_year}-{result.city or result.province or 'all'}"
        return attachment(csv_chunks(COVERAGE_COLUMNS, coverage_rows(result)), "csv", stem)
    return result
