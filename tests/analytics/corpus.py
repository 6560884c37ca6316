"""A corpus with known truth for coverage and indicators: every government of 宁夏 with a
chosen fate for its 2023 report (on time, late, on the deadline day, undated, missing, two
copies), a Zhejiang filler large enough to need several pages, departments, noise, and
planted inconsistencies (a rate above 100 %, more accepted than received, an outlier).

The truth is the plan below; tests compute expected answers from it, never from the code
under test."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field

from fazhi_shared.extract.gazetteer import Place, gazetteer
from fazhi_shared.models import Document, Indicator, Region, Section, Timeliness, document_id

YEAR = 2023
DEADLINE = "2024-04-01"
NINGXIA = "640000"
ZHEJIANG = "330000"
RATE_ABOVE_100 = "640200"      # 石嘴山市 states 120 %
ACCEPTED_GT_RECEIVED = "640300"  # 吴忠市 accepts more than it received
OUTLIER = "640302"             # 利通区 states 250,000 applications
FORMER = "330103"              # 下城区, merged into 拱墅区 in 2021
SECTION_HEADINGS = [
    ("achievements", "一、2023年法治政府建设主要举措和成效"),
    ("problems", "二、存在的不足和原因"),
    ("leadership", "三、党政主要负责人履行推进法治建设第一责任人职责情况"),
    ("plans", "四、2024年法治政府建设工作安排"),
]
TOPIC_SENTENCES = {
    "行政执法": "全面落实行政执法三项制度。",
    "疫情防控": "依法做好疫情防控工作。",
    "基层治理": "深化基层依法治理。",
}


@dataclass
class Planned:
    """One government's reports for YEAR: publish dates (None: undated); empty: missing."""

    place: Place
    dates: list[str | None]
    received: int = 0
    accepted: int = 0
    rate: float = 0.0
    topics: list[str] = field(default_factory=list)


def region_of(place: Place) -> Region:
    g = gazetteer()
    chain = {p.level: p for p in [place, *g.ancestors(place)]}
    prov, pref, county = chain.get("province"), chain.get("prefecture"), chain.get("county")
    return Region(province=prov.name if prov else None,
                  city=pref.name if pref and place.level != "province" else None,
                  county=county.name if county else None, adcode=place.adcode,
                  level=place.level)  # type: ignore[arg-type]


def _plan_ningxia(rng: random.Random) -> list[Planned]:
    g = gazetteer()
    places = sorted((p for p in g.by_code.values() if g.province_of(p).adcode == NINGXIA
                     and not getattr(p, "former", False)), key=lambda p: p.adcode)
    fixed: dict[str, list[str | None]] = {
        "640000": ["2024-03-28"],
        "640100": ["2024-03-30"],
        "640200": ["2024-04-15"],
        "640300": ["2024-04-01"],            # the deadline day itself is on time
        "640400": [],                         # only a 2022 report and a 2023 work plan
        "640500": [None],                     # no date anywhere
        "640104": ["2024-05-01", "2024-03-20"],  # reposted later; the first copy counts
    }
    # The counties cycle through: on time, late, missing, on time, late (one year late).
    cycle: list[list[str | None]] = [["2024-03-15"], ["2024-04-20"], [], ["2024-02-28"],
                                     ["2025-04-02"]]
    out = []
    for n, place in enumerate(places):
        dates = fixed.get(place.adcode, cycle[n % len(cycle)])
        base = {"province": 900, "prefecture": 300}.get(place.level, 150)
        received = base + rng.randint(-40, 40)
        out.append(Planned(place, dates, received=received, accepted=received - rng.randint(1, 20),
                           rate=float(rng.randint(70, 100)),
                           topics=sorted(rng.sample(sorted(TOPIC_SENTENCES), 2))))
    for p in out:
        if p.place.adcode == RATE_ABOVE_100:
            p.rate = 120.0
        if p.place.adcode == ACCEPTED_GT_RECEIVED:
            p.accepted = p.received + 25
        if p.place.adcode == OUTLIER:
            p.received, p.accepted = 250000, 240000
    return out


def _plan_zhejiang(rng: random.Random) -> list[Planned]:
    g = gazetteer()
    places = sorted((p for p in g.by_code.values() if g.province_of(p).adcode == ZHEJIANG
                     and p.level != "province" and not getattr(p, "former", False)),
                    key=lambda p: p.adcode)
    out = []
    for n, place in enumerate(places[:120]):
        date = "2024-03-25" if n % 6 else "2024-04-08"
        received = rng.randint(100, 200)
        out.append(Planned(place, [date], received=received, accepted=received - 3,
                           rate=float(rng.randint(80, 100)), topics=["行政执法"]))
    return out


def plan() -> list[Planned]:
    rng = random.Random(2023)
    return _plan_ningxia(rng) + _plan_zhejiang(rng)


def issuer_of(place: Place) -> str:
    return place.name + "人民政府"


def report(place: Place, publish_date: str | None, *, url: str, year: int = YEAR,
           doc_type: str = "annual_report", issuer: str | None = None,
           kind: str = "government", received: int | None = None, accepted: int | None = None,
           rate: float | None = None, topics: tuple[str, ...] = (),
           region: Region | None = None) -> Document:
    """A report built field by field, with sections and indicators at real offsets."""
    issuer = issuer or issuer_of(place)
    title = f"{issuer}关于{year}年度法治政府建设情况的报告"
    parts: list[str] = [title]
    sections: list[Section] = []
    indicators: list[Indicator] = []

    def pos() -> int:
        return sum(len(p) + 1 for p in parts)

    for kind_name, heading in SECTION_HEADINGS:
        start = pos()
        parts.append(heading)
        if kind_name == "achievements":
            for name, value, template in (
                ("admin_reconsideration_received", received, "全年共收到行政复议申请{}件"),
                ("admin_reconsideration_accepted", accepted, "依法受理{}件"),
                ("head_appearance_rate_pct", rate, "行政机关负责人出庭应诉率达到{}%"),
            ):
                if value is None:
                    continue
                shown = f"{value:g}"
                sentence = template.format(shown) + "。"
                at = pos() + sentence.index(shown)
                indicators.append(Indicator(name=name, value=value,
                                            unit="%" if name.endswith("_pct") else "件",
                                            start=at, end=at + len(shown)))
                parts.append(sentence)
            parts.extend(TOPIC_SENTENCES[t] for t in topics)
        else:
            parts.append(f"{heading.split('、', 1)[1]}的具体内容。")
        sections.append(Section(kind=kind_name, heading=heading, level=1, start=start,
                                end=pos() - 1))  # type: ignore[arg-type]
    text = "\n".join(parts)
    timeliness = None
    if doc_type == "annual_report" and publish_date:
        timeliness = Timeliness(deadline=f"{year + 1}-04-01",
                                on_time=publish_date <= f"{year + 1}-04-01", days_late=0)
    return Document(
        id=document_id(url), url=url, fetched_at="2024-06-01T00:00:00Z",
        content_sha256=hashlib.sha256(text.encode()).hexdigest(), is_report=doc_type != "other",
        doc_type=doc_type, title=title, issuer=issuer, issuer_kind=kind,  # type: ignore[arg-type]
        report_year=year, publish_date=publish_date, region=region or region_of(place),
        text=text, sections=sections, indicators=indicators, topics=sorted(topics),
        timeliness=timeliness,
    )


def build_corpus(planned: list[Planned]) -> list[Document]:
    g = gazetteer()
    docs = []
    for p in planned:
        for k, date in enumerate(p.dates):
            docs.append(report(p.place, date, url=f"https://gov.example/{p.place.adcode}/{k}.html",
                               received=p.received, accepted=p.accepted, rate=p.rate,
                               topics=tuple(p.topics)))
    yinchuan, guyuan, ningxia = g.by_code["640100"], g.by_code["640400"], g.by_code[NINGXIA]
    original = next(d for d in docs if d.region.adcode == "640100")
    mirror = "https://mirror.example/640100.html"
    docs.append(original.model_copy(update={"id": document_id(mirror), "url": mirror,
                                            "publish_date": "2024-04-20",
                                            "duplicate_of": original.id}))
    docs += [
        # 固原 published nothing for 2023: a 2022 report and a 2023 work plan do not count.
        report(guyuan, "2023-03-20", url="https://gov.example/640400/2022.html", year=2022,
               received=10, accepted=9),
        report(guyuan, "2023-02-01", url="https://gov.example/640400/plan.html",
               doc_type="work_plan"),
        report(guyuan, "2024-03-01", url="https://gov.example/640400/news.html", doc_type="other"),
        # Departments: listed where found, never counted.
        report(ningxia, "2024-03-01", url="https://gov.example/sft.html",
               issuer="宁夏回族自治区司法厅", kind="department"),
        report(yinchuan, "2024-04-10", url="https://gov.example/scjgj.html",
               issuer="银川市市场监督管理局", kind="department"),
        # A government report whose region could not be placed below the province.
        report(ningxia, "2024-03-05", url="https://gov.example/unknown.html",
               issuer="某县人民政府", region=Region(province="宁夏回族自治区")),
    ]
    # A division abolished since (下城区 merged in 2021), when the gazetteer keeps such ones.
    former = g.by_code.get(FORMER)
    if former is not None and getattr(former, "former", False):
        docs.append(report(former, "2024-03-10", url=f"https://gov.example/{FORMER}/0.html"))
    return docs


def earliest(dates: list[str | None]) -> str | None:
    dated = [d for d in dates if d]
    return min(dated) if dated else None


def expected_status(p: Planned) -> str:
    if not p.dates:
        return "missing"
    first = earliest(p.dates)
    if first is None:
        return "undated"
    return "on_time" if first <= DEADLINE else "late"
