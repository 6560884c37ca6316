"""GET /v1/search/export: every result of a search (all pages) as CSV or JSON, streamed.

`SearchFilters` parses the same filters as /v1/search; /v1/indicators uses it too."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from fazhi_api.deps import BackendDep
from fazhi_api.routes.search import Collapse, FiltersDep, QueryText
from fazhi_shared.analytics.export import (
    HIT_COLUMNS,
    MEDIA_TYPES,
    csv_chunks,
    hit_row,
    json_array_chunks,
)
from fazhi_shared.analytics.scan import iter_hits
from fazhi_shared.search.base import SearchRequest
from fazhi_shared.search.query import parse_query

router = APIRouter(prefix="/v1", tags=["export"])
Format = Annotated[Literal["csv", "json"], Query(description="csv (UTF-8 with BOM) or json")]
DataFormat = Annotated[Literal["json", "csv"], Query(
    description="json (default) or csv (UTF-8 with BOM), streamed as an attachment")]


def search_filters(
    filters: FiltersDep,
    q: QueryText = "",
    sort: Annotated[Literal["relevance", "date"], Query()] = "date",
    collapse: Collapse = True,
) -> SearchRequest:
    request = filters.request(q, sort, 100, None, collapse=collapse)
    parse_query(request.q)  # a malformed query is a 400 before the stream starts
    return request


SearchFiltersDep = Annotated[SearchRequest, Depends(search_filters)]


def attachment(chunks: object, fmt: str, stem: str) -> StreamingResponse:
    ascii_stem = stem.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return StreamingResponse(
        chunks, media_type=MEDIA_TYPES[fmt],  # type: ignore[arg-type]
        # The ASCII name for old clients, the UTF-8 one (RFC 6266) for the rest.
        headers={"Content-Disposition": f'attachment; filename="{ascii_stem}.{fmt}"; '
                                        f"filename*=UTF-8''{quote(stem)}.{fmt}"},
    )


@router.get("/search/export", summary="Every result of a search as CSV or JSON (streamed)",
            responses={200: {"content": {"text/csv": {}, "application/json": {}}}})
def export_search(backend: BackendDep, request: SearchFiltersDep,
                  format: Format = "csv") -> StreamingResponse:  # noqa: A002 - the API's name
    hits = iter_hits(backend, request)
    if format == "csv":
        return attachment(csv_chunks(HIT_COLUMNS, map(hit_row, hits)), "csv", "search")
    return attachment(json_array_chunks(hits), "json", "search")
