"""GET /v1/documents/{id}: one processed document; /similar: more like it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from fazhi_api.deps import BackendDep
from fazhi_shared.search.base import SearchResponse

router = APIRouter(prefix="/v1", tags=["documents"])


@router.get("/documents/{doc_id}", summary="One document with every extracted field")
def get_document(doc_id: str, backend: BackendDep) -> dict[str, Any]:
    doc = backend.get(doc_id)
    if doc is None:
        raise HTTPException(404, f"no document {doc_id}")
    return doc.model_dump(mode="json", exclude={"tokens", "sub_tokens"})


@router.get(
    "/documents/{doc_id}/similar", response_model=SearchResponse,
    summary="Documents most like this one (its distinctive words; itself and its copies excluded)",
)
def similar_documents(
    doc_id: str, backend: BackendDep, size: Annotated[int, Query(ge=1, le=50)] = 10
) -> SearchResponse:
    result = backend.similar(doc_id, size)
    if result is None:
        raise HTTPException(404, f"no document {doc_id}")
    return result
