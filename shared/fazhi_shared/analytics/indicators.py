"""One indicator across issuers: each report's value with the sentence it was read from and a
link, statistics per group, and the values a researcher should check before using them
(a rate above 100 %, more cases accepted than received, an outlier within its group)."""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Callable, Iterable
from typing import Literal

from pydantic import BaseModel, Field

from fazhi_shared.analytics.scan import Progress, iter_documents
from fazhi_shared.extract.indicators import definitions
from fazhi_shared.models import Document, Region
from fazhi_shared.search.base import SearchBackend, SearchRequest

GroupBy = Literal["province", "city", "level", "report_year"]
GROUP_BY: tuple[str, ...] = ("province", "city", "level", "report_year")
_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
_EVIDENCE_MAX = 240
# (part, whole, flag): the part can never exceed the whole within one report.
CONSISTENCY = (
    ("admin_reconsideration_accepted", "admin_reconsideration_received", "accepted_exceeds_received"),
    ("mediation_success", "mediation_disputes", "success_exceeds_disputes"),
)
FLAGS = {
    "rate_above_100": "a percentage above 100",
    "accepted_exceeds_received": "the same report states more reconsideration cases accepted "
                                 "than received",
    "success_exceeds_disputes": "the same report states more disputes resolved than handled",
    "unit_mismatch": "the unit differs from the indicator's unit",
    "fractional_count": "a count that is not a whole number",
    "outlier": "far from the values of the same group and government level (robust z-score "
               "above 3.5; on a log scale for counts)",
    "several_values": "the report states more than one value; the first is used",
    "repeat": "another report of the same issuer and year came first; left out of the statistics",
}
# Flags that say the value itself is doubtful (left out of statistics with exclude_flagged).
PROBLEMS = frozenset(FLAGS) - {"several_values", "repeat"}
OUTLIER_Z = 3.5
OUTLIER_MIN_VALUES = 5


class UnknownIndicator(ValueError):
    pass


class IndicatorValue(BaseModel):
    document_id: str
    url: str
    title: str | None
    issuer: str | None
    issuer_kind: str | None
    region: Region
    report_year: int | None
    publish_date: str | None
    group: str
    value: float
    unit: str
    evidence: str = Field(description="The sentence the value was read from")
    start: int = Field(description="Offset of the value in the document's text")
    end: int
    other_values: list[float] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)


class GroupStats(BaseModel):
    group: str
    count: int = Field(description="Values in the statistics")
    issuers: int
    min: float | None
    median: float | None
    max: float | None
    sum: float | None
    flagged: int = Field(description="Values of the group with a problem flag")


class IndicatorTable(BaseModel):
    name: str
    label: str
    unit: str
    group_by: str
    exclude_flagged: bool
    documents: int = Field(description="Reports stating the indicator")
    values: list[IndicatorValue]
    groups: list[GroupStats]
    overall: GroupStats
    flags: dict[str, str] = Field(default_factory=lambda: dict(FLAGS))


def indicator_names() -> list[str]:
    return [d.name for d in definitions()]


def evidence_sentence(text: str, start: int, end: int) -> str:
    """The sentence around [start, end), trimmed to a readable length around the value."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    found = _SENTENCE_END.search(text, end)
    right = found.end() if found else len(text)
    if right - left > _EVIDENCE_MAX:
        left = max(left, start - _EVIDENCE_MAX // 2)
        right = min(right, left + _EVIDENCE_MAX)
    return text[left:right].strip()


def _group_key(doc: Document, group_by: str) -> str:
    r = doc.region
    if group_by == "province":
        return r.province or "(unknown)"
    if group_by == "city":
        # Province-level issuers and counties of municipalities have no prefecture.
        return r.city or (f"{r.province} (no prefecture)" if r.province else "(unknown)")
    if group_by == "level":
        return r.level or "(unknown)"
    return str(doc.report_year) if doc.report_year else "(unknown)"


def _value_of(doc: Document, name: str, unit: str, group_by: str) -> IndicatorValue | None:
    found = sorted((i for i in doc.indicators if i.name == name), key=lambda i: i.start)
    if not found:
        return None
    first = found[0]
    flags = []
    if first.unit != unit:
        flags.append("unit_mismatch")
    if first.unit == "%" and first.value > 100:
        flags.append("rate_above_100")
    if first.unit in ("件", "项") and not float(first.value).is_integer():
        flags.append("fractional_count")
    by_name = {}
    for ind in sorted(doc.indicators, key=lambda i: -i.start):
        by_name[ind.name] = ind.value  # the first stated value wins
    for part, whole, flag in CONSISTENCY:
        if name in (part, whole) and part in by_name and whole in by_name \
                and by_name[part] > by_name[whole]:
            flags.append(flag)
    if len(found) > 1:
        flags.append("several_values")
    return IndicatorValue(
        document_id=doc.id, url=doc.url, title=doc.title, issuer=doc.issuer,
        issuer_kind=doc.issuer_kind, region=doc.region, report_year=doc.report_year,
        publish_date=doc.publish_date, group=_group_key(doc, group_by), value=first.value,
        unit=first.unit, evidence=evidence_sentence(doc.text, first.start, first.end),
        start=first.start, end=first.end, other_values=[i.value for i in found[1:]], flags=flags,
    )


def _mark_outliers(values: list[IndicatorValue], percent: bool) -> None:
    """Modified z-score (Iglewicz & Hoaglin) on the median absolute deviation: robust to the
    outliers themselves. Counts span orders of magnitude between a county and a province, so
    they are compared on a log scale."""
    scale: Callable[[float], float] = (lambda v: v) if percent else (lambda v: math.log10(1 + max(v, 0)))
    xs = [scale(v.value) for v in values]
    if len(xs) < OUTLIER_MIN_VALUES:
        return
    med = statistics.median(xs)
    mad = statistics.median(abs(x - med) for x in xs)
    if mad == 0:
        return
    for v, x in zip(values, xs, strict=True):
        if abs(0.6745 * (x - med) / mad) > OUTLIER_Z:
            v.flags.append("outlier")


def _stats(group: str, values: list[IndicatorValue], exclude_flagged: bool) -> GroupStats:
    counted = [v for v in values if "repeat" not in v.flags
               and not (exclude_flagged and PROBLEMS & set(v.flags))]
    xs = [v.value for v in counted]
    return GroupStats(
        group=group, count=len(xs), issuers=len({(v.issuer, v.region.adcode) for v in counted}),
        min=min(xs) if xs else None, median=statistics.median(xs) if xs else None,
        max=max(xs) if xs else None, sum=math.fsum(xs) if xs else None,
        flagged=sum(1 for v in values if PROBLEMS & set(v.flags)),
    )


def _order(v: IndicatorValue) -> tuple[str, str, str]:
    return (v.publish_date or "9999", v.url, v.document_id)


def indicator_table(backend: SearchBackend, name: str, request: SearchRequest, *,
                    group_by: str = "province", exclude_flagged: bool = False,
                    progress: Progress | None = None) -> IndicatorTable:
    """`request` carries the filters (as for /v1/search); the indicator filter is added."""
    definition = next((d for d in definitions() if d.name == name), None)
    if definition is None:
        raise UnknownIndicator(f"unknown indicator {name!r}; indicators: {indicator_names()}")
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {list(GROUP_BY)}")
    filters = {**request.filters, "has_indicator": [name]}
    scan = request.model_copy(update={"filters": filters, "collapse": True})
    values = [v for doc in iter_documents(backend, scan, progress)
              if (v := _value_of(doc, name, definition.unit, group_by)) is not None]
    values.sort(key=_order)
    seen: set[tuple[str | None, str | None, int | None]] = set()
    for v in values:
        key = (v.issuer, v.region.adcode, v.report_year)
        if key in seen:
            v.flags.append("repeat")
        seen.add(key)
    groups: dict[str, list[IndicatorValue]] = {}
    for v in values:
        groups.setdefault(v.group, []).append(v)
    # A province states more cases than a county by nature: outliers are judged against
    # the same group's issuers of the same level.
    peers: dict[tuple[str, str | None], list[IndicatorValue]] = {}
    for v in values:
        if "repeat" not in v.flags:
            peers.setdefault((v.group, v.region.level), []).append(v)
    for members in peers.values():
        _mark_outliers(members, definition.unit == "%")
    values.sort(key=lambda v: (v.group, v.region.adcode or "", v.issuer or "", _order(v)))
    return IndicatorTable(
        name=name, label=definition.label, unit=definition.unit, group_by=group_by,
        exclude_flagged=exclude_flagged, documents=len(values), values=values,
        groups=[_stats(k, groups[k], exclude_flagged) for k in sorted(groups)],
        overall=_stats("all", values, exclude_flagged),
    )


INDICATOR_COLUMNS = (
    "indicator", "group", "issuer", "issuer_kind", "province", "city", "county", "adcode",
    "level", "report_year", "publish_date", "value", "unit", "flags", "evidence", "title",
    "url", "document_id",
)


def iter_rows(table: IndicatorTable) -> Iterable[dict[str, object]]:
    """One flat row per value, for CSV."""
    for v in table.values:
        yield {
            "indicator": table.name, "group": v.group, "issuer": v.issuer,
            "issuer_kind": v.issuer_kind, "province": v.region.province, "city": v.region.city,
            "county": v.region.county, "adcode": v.region.adcode, "level": v.region.level,
            "report_year": v.report_year, "publish_date": v.publish_date, "value": v.value,
            "unit": v.unit, "flags": " ".join(v.flags), "evidence": v.evidence,
            "title": v.title, "url": v.url, "document_id": v.document_id,
        }
