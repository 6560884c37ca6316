"""Two to five reports side by side: the parts the rules ask for (achievements, problems,
leadership, plans), the indicators and the topics, one column per report."""

from __future__ import annotations

from pydantic import BaseModel, Field

from fazhi_shared.extract.indicators import definitions
from fazhi_shared.models import Document, Region, Section, Timeliness
from fazhi_shared.search.base import SearchBackend

KINDS = ("achievements", "problems", "leadership", "plans")
MIN_DOCUMENTS, MAX_DOCUMENTS = 2, 5
_EXCERPT = 160


class CompareError(ValueError):
    pass


class MissingDocuments(LookupError):
    def __init__(self, ids: list[str]) -> None:
        super().__init__(f"no document with id {', '.join(ids)}")
        self.ids = ids


class Column(BaseModel):
    id: str
    title: str | None
    issuer: str | None
    issuer_kind: str | None
    region: Region
    doc_type: str
    report_year: int | None
    publish_date: str | None
    timeliness: Timeliness | None
    url: str
    chars: int


class SectionCell(BaseModel):
    headings: list[str]
    chars: int = Field(description="Characters of text under these headings")
    excerpt: str = Field(description="The opening of the first section")


class SectionRow(BaseModel):
    kind: str
    cells: list[SectionCell | None] = Field(description="One per report; null: no such part")


class IndicatorRow(BaseModel):
    name: str
    label: str
    unit: str
    values: list[float | None]


class TopicRow(BaseModel):
    topic: str
    present: list[bool]


class Comparison(BaseModel):
    documents: list[Column]
    sections: list[SectionRow]
    indicators: list[IndicatorRow]
    topics: list[TopicRow]
    shared_topics: list[str]
    shared_citations: list[str]


def _outermost(sections: list[Section]) -> list[Section]:
    """Sections of one kind not inside another of the same kind (sub-sections are counted
    once, through their parent)."""
    out: list[Section] = []
    for s in sorted(sections, key=lambda s: (s.start, s.level)):
        if not any(o.start <= s.start and s.end <= o.end for o in out):
            out.append(s)
    return out


def _cell(doc: Document, kind: str) -> SectionCell | None:
    top = _outermost([s for s in doc.sections if s.kind == kind])
    if not top:
        return None
    first = top[0]
    body = doc.text[first.start:first.end]
    if body.startswith(first.heading):
        body = body[len(first.heading):]
    excerpt = " ".join(body.split())[:_EXCERPT]
    return SectionCell(headings=[s.heading for s in top], chars=sum(s.end - s.start for s in top),
                       excerpt=excerpt)


def _first_values(doc: Document) -> dict[str, float]:
    out: dict[str, float] = {}
    for ind in sorted(doc.indicators, key=lambda i: i.start):
        out.setdefault(ind.name, ind.value)
    return out


def compare_documents(docs: list[Document]) -> Comparison:
    columns = [Column(id=d.id, title=d.title, issuer=d.issuer, issuer_kind=d.issuer_kind,
                      region=d.region, doc_type=d.doc_type, report_year=d.report_year,
                      publish_date=d.publish_date, timeliness=d.timeliness, url=d.url,
                      chars=len(d.text)) for d in docs]
    sections = [SectionRow(kind=k, cells=[_cell(d, k) for d in docs]) for k in KINDS]
    values = [_first_values(d) for d in docs]
    named = {v for vs in values for v in vs}
    catalog = {d.name: d for d in definitions()}
    # Catalog order first, so the same indicators line up in the same order every time.
    order = [n for n in catalog if n in named] + sorted(named - set(catalog))
    indicators = [
        IndicatorRow(name=n, label=catalog[n].label if n in catalog else n,
                     unit=catalog[n].unit if n in catalog else "",
                     values=[vs.get(n) for vs in values])
        for n in order
    ]
    all_topics = sorted({t for d in docs for t in d.topics})
    topics = [TopicRow(topic=t, present=[t in d.topics for d in docs]) for t in all_topics]
    shared = [t.topic for t in topics if all(t.present)]
    cited = set(docs[0].cited).intersection(*(d.cited for d in docs[1:]))
    return Comparison(documents=columns, sections=sections, indicators=indicators,
                      topics=topics, shared_topics=shared, shared_citations=sorted(cited))


def parse_ids(values: list[str]) -> list[str]:
    """Repeatable or comma-separated ids, in the order given, without repeats."""
    ids = list(dict.fromkeys(i.strip() for v in values for i in v.split(",") if i.strip()))
    if not MIN_DOCUMENTS <= len(ids) <= MAX_DOCUMENTS:
        raise CompareError(f"compare takes {MIN_DOCUMENTS} to {MAX_DOCUMENTS} distinct ids, "
                           f"not {len(ids)}")
    return ids


def compare(backend: SearchBackend, ids: list[str]) -> Comparison:
    docs = {i: backend.get(i) for i in ids}
    missing = [i for i, d in docs.items() if d is None]
    if missing:
        raise MissingDocuments(missing)
    return compare_documents([d for d in docs.values() if d is not None])
