"""CSV and JSON writers that yield text chunks as rows arrive, so an export of every page of
a search never sits in memory whole. CSV starts with a byte-order mark: spreadsheet programs
then read the Chinese text as UTF-8."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pydantic import BaseModel

from fazhi_shared.analytics.coverage import Coverage
from fazhi_shared.search.base import Hit

FORMATS = ("csv", "json")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
BOM = "\ufeff"
_CHUNK_ROWS = 200

HIT_COLUMNS = (
    "id", "title", "issuer", "province", "city", "county", "adcode", "level", "doc_type",
    "report_year", "publish_date", "url", "duplicates",
)
COVERAGE_COLUMNS = (
    "kind", "adcode", "name", "level", "province", "prefecture", "status", "publish_date",
    "days_late", "reports", "url", "title",
)


def csv_chunks(columns: Iterable[str], rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore",
                            lineterminator="\r\n")
    buffer.write(BOM)
    writer.writeheader()
    for n, row in enumerate(rows, 1):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
        if n % _CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_array_chunks(items: Iterable[BaseModel | Mapping[str, Any]]) -> Iterator[str]:
    """A JSON array written item by item."""
    yield "["
    for n, item in enumerate(items):
        body = item.model_dump_json() if isinstance(item, BaseModel) else json.dumps(
            item, ensure_ascii=False)
        yield ("," if n else "") + "\n" + body
    yield "\n]\n"


def hit_row(hit: Hit) -> dict[str, Any]:
    return {
        "id": hit.id, "title": hit.title, "issuer": hit.issuer, "province": hit.region.province,
        "city": hit.region.city, "county": hit.region.county, "adcode": hit.region.adcode,
        "level": hit.region.level, "doc_type": hit.doc_type, "report_year": hit.report_year,
        "publish_date": hit.publish_date, "url": hit.url, "duplicates": hit.duplicates,
    }


def coverage_rows(cov: Coverage) -> Iterator[dict[str, Any]]:
    """One row per government in scope (missing ones included), then one per department
    found; `url` and `title` are those of the report that decided the status."""
    for gv in cov.governments:
        first = next((r for r in gv.reports if r.publish_date == gv.publish_date), None) \
            if gv.reports else None
        first = first or (gv.reports[0] if gv.reports else None)
        yield {
            "kind": "government", "adcode": gv.adcode, "name": gv.name, "level": gv.level,
            "province": gv.province, "prefecture": gv.prefecture, "status": gv.status,
            "publish_date": gv.publish_date, "days_late": gv.days_late,
            "reports": len(gv.reports), "url": first.url if first else None,
            "title": first.title if first else None,
        }
    for dept in cov.departments:
        first = next((r for r in dept.reports if r.publish_date == dept.publish_date),
                     dept.reports[0])
        r = dept.region
        yield {
            "kind": "department", "adcode": r.adcode, "name": dept.issuer, "level": r.level,
            "province": r.province, "prefecture": r.city, "status": dept.status,
            "publish_date": dept.publish_date, "days_late": dept.days_late,
            "reports": len(dept.reports), "url": first.url, "title": first.title,
        }
