"""Issuer, issuer kind and region: who published the report and for which division.

Sources, in order: the title's prefix (黔西南州人民政府关于…, 兰山区2020年度…), the signature
above the closing date, the info table's 发布机构 and meta ContentSource, a 来源 line, the
subject of the opening sentence (2020年，黄石市认真…); 我省/全市/本县 are resolved from the
divisions the text names most.
"""

from __future__ import annotations

import csv
import functools
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources

from fazhi_shared.extract.gazetteer import MUNICIPALITIES, Gazetteer, Place, gazetteer
from fazhi_shared.models import Region

_GOV = r"(?:人民政府|政府|行政公署|行署)"
_DEPT = (
    r"(?:人民政府办公厅|人民政府办公室|政府办公室|政府办|办公厅|办公室|司法厅|司法局|总局|厅|局|部|委员会|委|"
    r"管理委员会|管委会|中心|署|院|处|办)"
)
_ORG_END = re.compile(rf"(?:{_GOV}|{_DEPT})$")
_PLACE_UNIT = r"(?:省|市|县|区|州|盟|旗|自治区|地区)"
_TITLE_ORG = re.compile(rf"^(.{{2,40}}?(?:{_GOV}(?:办公厅|办公室)?|{_DEPT}))(?=关于|(?:19|20)\d\d|二〇|法治|依法行政|年度)")
# Not 关于 (a title that names no place), but 关 and 于 alone are in names: 城关区, 嘉峪关市, 于都县.
_TITLE_PLACE = re.compile(rf"^((?:(?!关于)[^\d《]){{1,24}}?{_PLACE_UNIT})(?=(?:19|20)\d\d|二〇|关于|年度|法治)")
_SIGNATURE = re.compile(rf"^[\u4e00-\u9fff（）()]{{2,22}}(?:{_GOV}|{_DEPT})$")
_SOURCE_LINE = re.compile(r"(?:来源|信息来源|发布机构|发文机关|发布单位)\s*[:：]\s*([^\s|｜:：]{2,40})")
_RELATIVE = re.compile(r"^(?:我|全|本|该)?(省|市|州|盟|县|区|旗)")
_WE = re.compile(r"(?:我|全|本)(省|自治区|市|州|盟|县|区|旗)")


# How much of the body counts as context for 我省/全市 and ambiguous names: the divisions a
# report speaks of are named early (opening, first section, the laws it applies).
CONTEXT_CHARS = 6000


@dataclass
class IssuerResult:
    issuer: str | None = None
    kind: str | None = None
    region: Region | None = None
    span: tuple[int, int] | None = None


def _gov_of(place: Place) -> str:
    """The government of a division: 行政公署 for leagues (盟) and 地区, else 人民政府."""
    return "行政公署" if place.name.endswith(("盟", "地区")) else "人民政府"


# The administrative committee of a development zone or new area governs a territory on
# the city's behalf and reports as its government does, not as a functional department.
_ZONE_COMMITTEE = re.compile(
    r"(?:开发区|高新区|新区|园区|试验区|自贸区|示范区|合作区|保税区)(?:管理委员会|管委会)$"
)


def _kind(org: str) -> str:
    if re.search(rf"{_GOV}$", org) or _ZONE_COMMITTEE.search(org):
        return "government"
    return "department"


def _context_scores(g: Gazetteer, text: str) -> dict[str, float]:
    scores: dict[str, float] = {}
    for m in g.mentions(text):
        share = 1.0 / len(m.places)
        for p in m.places:
            scores[p.adcode] = scores.get(p.adcode, 0.0) + share
            for a in g.chain(p):
                scores[a.adcode] = scores.get(a.adcode, 0.0) + share * 0.5
    return scores


def _best(g: Gazetteer, places: tuple[Place, ...], scores: dict[str, float]) -> Place:
    def score(p: Place) -> tuple[float, float, bool]:
        context = sum(scores.get(a.adcode, 0.0) for a in g.chain(p))
        return (context, scores.get(p.adcode, 0.0), not p.former)

    return max(places, key=score)


def _region(g: Gazetteer, place: Place) -> Region:
    chain = [place, *g.chain(place)]
    by_level = {p.level: p for p in chain}
    prov = by_level.get("province")
    pref = by_level.get("prefecture")
    county = by_level.get("county")
    if place.level == "province" or (prov and prov.adcode in MUNICIPALITIES and pref is None):
        city = None
    else:
        city = pref.name if pref else None
    return Region(
        province=prov.name if prov else None,
        city=city,
        county=county.name if county else None,
        adcode=place.adcode,
        level=place.level,  # type: ignore[arg-type]
    )


def _place_in(g: Gazetteer, s: str, scores: dict[str, float]) -> tuple[Place | None, int]:
    """The most specific division named in `s`, and where its name ends."""
    mentions = g.mentions(s)
    if not mentions:
        return None, 0
    chosen: Place | None = None
    end = 0
    for m in mentions:
        if m.start > end + 1 and chosen is not None:
            break
        cands = m.places
        if chosen is not None:
            under = tuple(p for p in cands if chosen in g.chain(p))
            if not under:
                break
            cands = under
        chosen = _best(g, cands, scores)
        end = m.end
    return chosen, end


def _dominant(g: Gazetteer, scores: dict[str, float], level: str, within: Place | None) -> Place | None:
    best, best_score = None, 0.0
    for code, sc in scores.items():
        p = g.by_code.get(code)
        if p is None or p.level != level:
            continue
        if within is not None and within not in g.chain(p):
            continue
        if sc > best_score:
            best, best_score = p, sc
    return best


def _relative_level(s: str) -> str | None:
    m = _RELATIVE.match(s)
    if not m:
        return None
    return {"省": "province", "市": "prefecture", "州": "prefecture", "盟": "prefecture"}.get(
        m.group(1), "county"
    )


def _we_unit(text: str) -> str | None:
    """The unit a report speaks for itself in: 我省/全市/本县 → 省/市/县."""
    counts = Counter(_WE.findall(text[:5000]))
    return counts.most_common(1)[0][0] if counts else None


def _unit_level(unit: str | None) -> str | None:
    if unit is None:
        return None
    if unit in ("省", "自治区"):
        return "province"
    return "prefecture" if unit in ("市", "州", "盟") else "county"


Candidate = tuple[str, tuple[int, int] | None, bool]


def _candidates(title: str, meta: dict[str, str], text: str) -> list[Candidate]:
    """(name, span in text, strong). Strong: title, signature, info table; weak: the page's
    ContentSource and 来源 line, which often name the office that posted the page."""
    out: list[Candidate] = []
    t = re.sub(r"\s+", "", title)
    if "——" in t:  # 以高水平法治护航高质量发展——黄冈市2023年度…报告
        subtitle = t.rsplit("——", 1)[1]
        if _TITLE_ORG.match(subtitle) or _TITLE_PLACE.match(subtitle):
            t = subtitle
    m = _TITLE_ORG.match(t)
    if m:
        out.append((m.group(1), None, True))
    else:
        m = _TITLE_PLACE.match(t)
        if m and not _RELATIVE.match(m.group(1)):
            out.append((m.group(1), None, True))
    pos = len(text)
    tail: list[tuple[str, int]] = []
    for line in reversed(text.rsplit("\n", 10)[-10:]):  # the last ten lines
        pos -= len(line) + 1
        tail.append((line, pos + 1))
    for line, start in tail:
        s = line.strip()
        if _SIGNATURE.match(s) and not s.startswith(("各", "抄送", "附件")):
            off = line.find(s)
            out.append((s, (start + off, start + off + len(s)), True))
            break
    for key in ("发布机构", "发文机关", "ContentSource"):
        v = _site_to_place(re.sub(r"\s+", "", meta.get(key, "")))
        if v and (_ORG_END.search(v) or re.search(rf"{_PLACE_UNIT}$", v)):
            out.append((v, None, key != "ContentSource"))
    for line in text.split("\n", 12)[:12]:
        for sm in _SOURCE_LINE.finditer(line):
            src = _site_to_place(sm.group(1))
            if _ORG_END.search(src) or re.search(rf"{_PLACE_UNIT}$", src):
                off = text.find(sm.group(1))
                out.append((src, (off, off + len(src)) if off >= 0 else None, False))
    return out


def _with_place(
    g: Gazetteer, scores: dict[str, float], cand: str, span: tuple[int, int] | None
) -> IssuerResult | None:
    """The issuer a candidate names when it starts with a division (or is one)."""
    place, end = _place_in(g, cand, scores)
    if place is None or not (end >= len(cand) - 12 or _ORG_END.search(cand)):
        return None
    if not _ORG_END.search(cand):
        return IssuerResult(cand + _gov_of(place), "government", _region(g, place), span)
    return IssuerResult(cand, _kind(cand), _region(g, place), span)


def _other_org(
    g: Gazetteer, scores: dict[str, float], org: str, span: tuple[int, int] | None
) -> IssuerResult:
    """An issuer that names no division: a central department (司法部) has no region; a
    township (柳林镇人民政府), a street office or a zone's committee (建水工业园区管理委员会) lies
    in the county the text names most."""
    region_: Region | None = None
    if re.search(r"(?:镇|乡|街道)", org) or _ZONE_COMMITTEE.search(org):  # a zone too
        county = _dominant(g, scores, "county", _dominant(g, scores, "province", None))
        region_ = _region(g, county) if county is not None else None
    return IssuerResult(org, _kind(org), region_, span)


def _site_to_place(source: str) -> str:
    """黄石市政府网 / 某县人民政府门户网站 name a site: the place is what they tell."""
    if re.search(r"(?:网站|网)$", source):
        return re.sub(r"(?:(?:人民)?政府)?(?:门户)?(?:网站|网)$", "", source)
    return source


# Townships and subdistricts lie below the gazetteer's divisions: a title naming one
# (横店镇2023年度…, 小营街道办事处关于…) gives the issuer, and the rest of the page (the
# signature 东阳市横店镇人民政府, the context) gives the county it lies in.
_SUB_COUNTY = re.compile(
    r"^([\u4e00-\u9fff]{1,10}?(?:街道办事处|街道|镇|乡))(?:人民政府)?(?=关于|(?:19|20)\d\d|二〇|年度|法治)"
)


def _sub_county(title: str | None) -> str | None:
    m = _SUB_COUNTY.match(re.sub(r"\s+", "", title or ""))
    if m is None or gazetteer().aliases.get(m.group(1)):
        return None  # a county-level name that happens to end so (a division we know)
    name = m.group(1)
    if name.endswith("街道"):
        return name + "办事处"
    return name if name.endswith("办事处") else name + "人民政府"


# 新疆生产建设兵团 and its divisions (师) govern land outside the gazetteer's divisions. A
# division and its city are one administration (师市合一: 第八师 is 石河子市), so a division
# takes its city's region; the corps, and the divisions without a city, take Xinjiang's.
_CORPS = re.compile(
    rf"^((?:新疆生产建设)?兵团(?:第[一二三四五六七八九十]{{1,3}}师)?)((?:{_GOV}|{_DEPT})?)"
    r"(?=关于|(?:19|20)\d\d|二〇|年度|法治|$)"
)
_XINJIANG = "650000"


@functools.cache
def _corps_divisions() -> dict[str, str]:
    data = resources.files("fazhi_shared") / "catalogs" / "corps_divisions.csv"
    with data.open(encoding="utf-8") as f:
        return {r["division"]: r["adcode"] or _XINJIANG for r in csv.DictReader(f)}


def _corps(title: str | None, text: str) -> IssuerResult | None:
    """The corps or one of its divisions, named by the title or signing the report."""
    heading = re.sub(r"\s+", "", title or "")
    signatures = [line.strip() for line in reversed(text.rsplit("\n", 10)[-10:])]
    for line in [heading, *signatures]:
        m = _CORPS.match(line)
        # Below the body only a whole line signs (兵团法治宣传… in a closing line does not).
        if m is None or (line is not heading and m.end() != len(line)):
            continue
        corps, office = m.groups()
        division = re.search(r"第[一二三四五六七八九十]{1,3}师$", corps)
        code = _corps_divisions().get(division.group(0), _XINJIANG) if division else _XINJIANG
        g = gazetteer()
        place = g.by_code[code]
        name = corps if corps.startswith("新疆") else "新疆生产建设" + corps
        return IssuerResult(name + office, _kind(office) if office else "government", _region(g, place))
    return None


def resolve(title: str | None, meta: dict[str, str], text: str) -> IssuerResult:
    found = _resolve(title, meta, text)
    if found.issuer is None or _CORPS.match(re.sub(r"\s+", "", title or "")):
        found = _corps(title, text) or found
    local = _sub_county(title)
    if local is not None and found.issuer is not None and found.issuer != local and (
            found.issuer.endswith(local) or found.region is not None):
        return IssuerResult(local, "government", found.region, None)
    return found


def _resolve(title: str | None, meta: dict[str, str], text: str) -> IssuerResult:
    g = gazetteer()
    # The site's name (北京市朝阳区人民政府) settles names shared by several places (朝阳区, 鼓楼区).
    site = meta.get("SiteName", "")
    scores = _context_scores(g, (title or "") + "\n" + site + "\n" + text[:CONTEXT_CHARS])
    relative_org: str | None = None
    relative_level: str | None = None
    relative_span: tuple[int, int] | None = None
    other_org: tuple[str, tuple[int, int] | None] | None = None  # 司法部, 柳林镇人民政府
    candidates = _candidates(title or "", meta, text)
    for cand, span, strong in candidates:
        if not strong:
            continue
        found = _with_place(g, scores, cand, span)
        if found is not None:
            return found
        if relative_org is None and _ORG_END.search(cand):
            level = _relative_level(cand)
            if level:
                relative_org, relative_level, relative_span = cand, level, span
            elif other_org is None:
                other_org = (cand, span)
    # The subject of the opening sentence: "2023年，黄石市认真贯彻…".
    body = text[:400]
    opening = re.search(r"(?:^|\n)[^\n]{0,30}?(?:19|20)\d\d年(?:度|以来)?[,，]\s*(?:在[^,，]{0,30}[,，])?([^\n]{0,40})", body)
    unit = None if relative_level else _we_unit(text)
    level = relative_level or _unit_level(unit)
    if opening and relative_org is None and other_org is None:
        place, end = _place_in(g, opening.group(1), scores)
        if place is not None and opening.group(1).find(place.name[:2]) <= 2:
            seg = opening.group(1)
            name = seg[:end]
            org_m = re.match(rf"{re.escape(name)}((?:{_GOV}|{_DEPT}))", seg)
            issuer = name + (org_m.group(1) if org_m else _gov_of(place))
            return IssuerResult(issuer, _kind(issuer), _region(g, place), None)
    if relative_org is None and other_org is None:
        for cand, span, strong in candidates:
            found = None if strong else _with_place(g, scores, cand, span)
            if found is not None:
                return found
    if other_org is not None and relative_org is None:
        return _other_org(g, scores, *other_org)
    if level is None:
        return IssuerResult(relative_org, _kind(relative_org) if relative_org else None, None, relative_span)
    province = _dominant(g, scores, "province", None)
    if unit == "区" and province is not None and province.name.endswith("自治区"):
        # 全区 in an autonomous region's report is the region, unless a district is named often.
        district = _dominant(g, scores, "county", None)
        if district is None or scores.get(district.adcode, 0.0) < 2:
            level = "province"
    place = province
    if level in ("prefecture", "county") and province is not None:
        place = _dominant(g, scores, "prefecture", province) or province
        if level == "county":
            place = _dominant(g, scores, "county", place) or place
    if place is None:
        return IssuerResult(relative_org, _kind(relative_org) if relative_org else None, None, relative_span)
    full = place.name
    if relative_org:
        issuer = full + relative_org[1:] if _RELATIVE.match(relative_org) else relative_org
        return IssuerResult(issuer, _kind(relative_org), _region(g, place), relative_span)
    return IssuerResult(full + _gov_of(place), "government", _region(g, place), None)
