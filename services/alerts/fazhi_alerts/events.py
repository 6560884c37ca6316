"""The webhook events this service sends, and their JSON bodies (Standard Webhooks style:
`{type, timestamp, data}`). Every type here is documented in the service README."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fazhi_shared.models import Document
from fazhi_shared.search.query import parse_query, positive_texts
from fazhi_shared.search.snippets import make_snippets
from fazhi_shared.stores.alerts import Alert
from fazhi_shared.stores.deliveries import TEST_EVENT

MATCH = "alert.match"
DIGEST = "alert.digest"
TEST = TEST_EVENT
EVENT_TYPES = {
    MATCH: "a newly indexed or changed document matches the alert",
    DIGEST: "every document that matched a digest alert during its interval",
    TEST: "sent by POST /v1/alerts/{id}/test to check the receiver",
}


def _timestamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _alert_ref(alert: Alert) -> dict[str, Any]:
    return {"id": alert.id, "name": alert.name}


def document_summary(doc: Document, alert: Alert) -> dict[str, Any]:
    try:
        texts = positive_texts(parse_query(alert.q))
    except ValueError:
        texts = []
    return {
        "id": doc.id,
        "title": doc.title,
        "issuer": doc.issuer,
        "region": doc.region.model_dump(mode="json"),
        "report_year": doc.report_year,
        "publish_date": doc.publish_date,
        "doc_type": doc.doc_type,
        "url": doc.url,
        "content_sha256": doc.content_sha256,
        "highlights": make_snippets(doc.text, texts) if texts else [],
    }


def _dump(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def match_body(alert: Alert, summary: dict[str, Any]) -> str:
    return _dump({"type": MATCH, "timestamp": _timestamp(),
                  "data": {"alert": _alert_ref(alert), "document": summary}})


def digest_body(alert: Alert, summaries: list[dict[str, Any]]) -> str:
    return _dump({"type": DIGEST, "timestamp": _timestamp(),
                  "data": {"alert": _alert_ref(alert), "count": len(summaries),
                           "documents": summaries}})
