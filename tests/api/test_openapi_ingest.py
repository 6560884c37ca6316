"""POST /v1/ingest reads its body as a raw stream; the OpenAPI document (and /docs) still
says that a body is expected and what it is, and a client built from it gets a 202."""

from __future__ import annotations

import hashlib

import httpx

from .conftest import SEEDS


def test_ingest_documents_its_raw_body(api: httpx.Client) -> None:
    operation = api.get("/openapi.json").json()["paths"]["/v1/ingest"]["post"]
    body = operation.get("requestBody")
    assert body is not None, "POST /v1/ingest documents no request body"
    assert body["required"] is True
    assert body["content"] == {"*/*": {"schema": {"type": "string", "format": "binary"}}}

    seed = sorted(SEEDS.glob("*.txt"))[0].read_bytes()
    answer = api.post("/v1/ingest", params={"url": "https://www.example.gov.cn/a.html"},
                      content=seed, headers={"content-type": "text/plain; charset=utf-8"})
    assert answer.status_code == 202, answer.text
    assert answer.json()["content_sha256"] == hashlib.sha256(seed).hexdigest()
