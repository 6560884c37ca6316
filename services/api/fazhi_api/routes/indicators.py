"""GET /v1/indicators: one indicator across issuers with evidence, group statistics and
flagged values (docs/analytics.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import StreamingResponse

from fazhi_api.deps import BackendDep
from fazhi_api.routes.export import DataFormat, SearchFiltersDep, attachment
from fazhi_shared.analytics.export import csv_chunks
from fazhi_shared.analytics.indicators import (
    INDICATOR_COLUMNS,
    GroupBy,
    IndicatorTable,
    UnknownIndicator,
    indicator_table,
    iter_rows,
)

router = APIRouter(prefix="/v1", tags=["analytics"])


@router.get(
    "/indicators", response_model=IndicatorTable, summary="Compare one indicator across issuers",
    responses={200: {"content": {"text/csv": {}}}},
    description="Each report's value of the indicator `name` (the first it states) with the "
    "sentence it was read from and a link; count/min/median/max/sum per group; flags on "
    "doubtful values (a rate above 100 %, more accepted than received, outliers). Takes the "
    "same filters as /v1/search. `format=csv`: one row per value.",
)
def get_indicators(
    backend: BackendDep,
    request: SearchFiltersDep,
    name: Annotated[str, Query(description="Indicator, e.g. admin_reconsideration_received")],
    group_by: Annotated[GroupBy, Query()] = "province",
    exclude_flagged: Annotated[bool, Query(description="Leave values with a problem flag "
                                           "out of the statistics")] = False,
    format: DataFormat = "json",  # noqa: A002 - the API's name
) -> IndicatorTable | StreamingResponse:
    try:
        table = indicator_table(backend, name, request, group_by=group_by,
                                exclude_flagged=exclude_flagged)
    except UnknownIndicator as exc:
        raise HTTPException(400, str(exc)) from exc
    if format == "csv":
        return attachment(csv_chunks(INDICATOR_COLUMNS, iter_rows(table)), "csv",
                          f"indicator-{name}")
    return table
