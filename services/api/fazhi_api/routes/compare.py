"""GET /v1/compare: two to five reports side by side."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from fazhi_api.deps import BackendDep
from fazhi_shared.analytics.compare import (
    CompareError,
    Comparison,
    MissingDocuments,
    compare,
    parse_ids,
)

router = APIRouter(prefix="/v1", tags=["analytics"])


@router.get(
    "/compare", response_model=Comparison, summary="Reports side by side",
    description="Two to five documents, one column each: their parts by kind (achievements, "
    "problems, leadership, plans) with headings, length and opening, each indicator's value, "
    "and which topics each covers.",
)
def get_compare(
    backend: BackendDep,
    ids: Annotated[list[str], Query(description="2 to 5 document ids, comma-separated or "
                                    "repeated")],
) -> Comparison:
    try:
        return compare(backend, parse_ids(ids))
    except CompareError as exc:
        raise HTTPException(400, str(exc)) from exc
    except MissingDocuments as exc:
        raise HTTPException(404, str(exc)) from exc
