"""GET /v1/documents/{id}: one processed document with every extracted field."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from fazhi_api.deps import BackendDep

router = APIRouter(prefix="/v1", tags=["documents"])


@router.get("/documents/{doc_id}", summary="One document (DESIGN.md §4 fields)")
def get_document(doc_id: str, backend: BackendDep) -> dict[str, Any]:
    doc = backend.get(doc_id)
    if doc is None:
        raise HTTPException(404, f"no document {doc_id}")
    return doc.model_dump(mode="json", exclude={"tokens", "sub_tokens"})
