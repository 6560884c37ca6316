"""Indicators: the comparable numbers of catalogs/indicators.yaml, with value, unit and offsets."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from re import _constants as _c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

import ahocorasick_rs
import yaml

from fazhi_shared.extract.numbers import CN_NUM, NUM, parse_number
from fazhi_shared.models import Indicator

_ARABIC = r"\d+(?:\.\d+)?"
_SENTENCE = re.compile(r"[^。；;！!？?\n]+")
# A sentence worth trying the catalog on: a number followed by a unit, or 百分之….
# Written to start with one character class, which the regex engine scans for quickly.
_COUNTED = re.compile(r"[\d一二三四五六七八九十百千万](?:[余多]?\s*[件%项起宗份部个]|(?<=百)分之)")
_TARGET = re.compile(r"要求|确保|力争|目标|不低于")
# 保持100% (稳定在95%以上) states a target in a plan, and what was kept up in a report about a
# past year, unless the report says it will keep it (继续保持, 将保持).
_KEEP = re.compile(r"保持|稳定在")
_WILL_KEEP = re.compile(r"(?:继续|将|要|进一步)(?:保持|稳定在)")
# 其中第四季度收到67件: a figure for part of the year is not the year's.
_PART_OF_YEAR = re.compile(
    r"第[一二三四1-4]季度|[上下]半年|前三季度|一季度|\d{1,2}\s*[-—至~]\s*\d{1,2}\s*月|[一二三四五六七八九十]{1,3}月份"
)
# 到2025年，…达到100%: a year still ahead when the document was written makes the sentence a goal.
_BY_YEAR = re.compile(r"到\s*((?:19|20)\d\d)\s*年")
# 出庭应诉率从85%提高到97%: the number before the change is last year's, not this one.
_CHANGED_TO = re.compile(r"\s*(?:提高|提升|上升|增加|增长|下降|降低|减少)(?:到|至|为)")


@dataclass(frozen=True)
class Rule:
    name: str
    unit: str
    domain: str | None
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Catalog:
    rules: tuple[Rule, ...]
    domain_words: re.Pattern[str]
    domain_of: dict[str, str]
    # Words one of which a rule's match must contain, found in a sentence in one pass: a rule
    # none of whose words occur cannot match, so its pattern is not run.
    needles: ahocorasick_rs.AhoCorasick
    rules_of_needle: tuple[frozenset[int], ...]
    always: frozenset[int]  # rules without such words
    # 新收、受理、审结行政复议案件分别为46件、43件、41件: per domain, the indicator of each verb.
    enumerations: dict[str, dict[str, str]]
    enumeration: re.Pattern[str]


_ABOUT = r"(?:近|约|达|逾|超过|合计|共计|共)?\s*"
# 出庭应诉率从2022年的87%提高到100%: a rate is the figure the change reaches.
_CHANGE_FROM = r"(?:从[^，,。；;]{0,16}?(?:提高|提升|上升|增加|增长|下降|降低|减少)(?:到|至)\s*)?"


def _expand(pattern: str) -> str:
    # 2100余件 is stored as 2100, as 逾2100件 and 约2100件 are.
    return pattern.replace("{num}", rf"{_ABOUT}(?P<n>{NUM})(?:余|多)?").replace(
        "{pct}", _CHANGE_FROM + rf"(?:(?P<p>{_ARABIC})\s*%|百分之(?P<cn>{CN_NUM}(?:点[零〇一二三四五六七八九]+)?))"
    )


@functools.cache
def catalog() -> Catalog:
    path = resources.files("fazhi_shared") / "catalogs" / "indicators.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    domain_of = {w: d for d, words in data["domains"].items() for w in words}
    words = sorted(domain_of, key=len, reverse=True)
    rules = tuple(
        Rule(item["name"], item["unit"], item.get("domain"), re.compile(_expand(p)))
        for item in data["indicators"]
        for p in item["patterns"]
    )
    enumerations = {domain: dict(verbs) for domain, verbs in (data.get("enumerations") or {}).items()}
    by_needle: dict[str, set[int]] = {}
    always = set()
    for index, rule in enumerate(rules):
        needed = required_words(rule.pattern)
        if needed is None:
            always.add(index)
        for word in needed or ():
            by_needle.setdefault(word, set()).add(index)
    return Catalog(
        rules, re.compile("|".join(map(re.escape, words))), domain_of,
        ahocorasick_rs.AhoCorasick(list(by_needle), implementation=ahocorasick_rs.Implementation.DFA),
        tuple(frozenset(v) for v in by_needle.values()), frozenset(always),
        enumerations,
        _enumeration_pattern({verb for verbs in enumerations.values() for verb in verbs}),
    )


_EXPANSION_LIMIT = 64


def _expand_literal(items: list[tuple[Any, Any]]) -> list[str] | None:
    """Every string a sequence of literals, literal sets and alternations of those can match;
    None when the sequence holds anything else (repeats, classes, assertions)."""
    out = [""]
    for op, av in items:
        alts: list[str] | None
        if op is _c.LITERAL:
            alts = [chr(av)]
        elif op is _c.IN:
            alts = [chr(a) for o, a in av] if all(o is _c.LITERAL for o, _ in av) else None
        elif op is _c.SUBPATTERN:
            alts = _expand_literal(list(av[-1]))
        elif op is _c.BRANCH:
            alts = []
            for branch in av[1]:
                e = _expand_literal(list(branch))
                if e is None:
                    return None
                alts += e
        else:
            return None
        if alts is None:
            return None
        out = [a + b for a in out for b in alts]
        if len(out) > _EXPANSION_LIMIT:
            return None
    return out


def required_words(pattern: re.Pattern[str]) -> list[str] | None:
    """Words one of which every match of `pattern` contains (the run of literal items at the
    top level whose shortest word is longest), or None when there is no such run."""
    if pattern.flags & re.IGNORECASE:
        return None
    best: list[str] | None = None
    run: list[tuple[Any, Any]] = []

    def consider() -> None:
        nonlocal best
        words = _expand_literal(run) if run else None
        if words and min(map(len, words)) > 0 and (best is None or min(map(len, words)) > min(map(len, best))):
            best = words

    for item in _parser.parse(pattern.pattern):
        if _expand_literal([item]) is not None:
            run.append(item)
        else:
            consider()
            run = []
    consider()
    return best


@dataclass(frozen=True)
class Definition:
    name: str
    label: str
    unit: str
    synonyms: tuple[str, ...]


@functools.cache
def definitions() -> tuple[Definition, ...]:
    """Every indicator of the catalog with its label, unit and synonyms (for the API and docs)."""
    path = resources.files("fazhi_shared") / "catalogs" / "indicators.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(
        Definition(i["name"], i["label"], i["unit"], tuple(i.get("synonyms", ())))
        for i in data["indicators"]
    )


def _value(m: re.Match[str]) -> float | None:
    groups = m.groupdict()
    if groups.get("n"):
        return parse_number(groups["n"])
    if groups.get("p"):
        return float(groups["p"])
    if groups.get("cn"):
        whole, _, frac = groups["cn"].partition("点")
        value = parse_number(whole)
        if value is None:
            return None
        if frac:
            digits = "".join(str(int(parse_number(c) or 0)) for c in frac)
            value = float(f"{int(value)}.{digits}")
        return value
    return None


def _domain_at(cat: Catalog, sentence: str, pos: int, end: int, before: str = "") -> str | None:
    """The subject of the number at `pos`: the last domain word before it, else the last in
    the clauses before this one (`before`: 收到行政复议申请286件；受理261件), else one right
    after the match (共受理187件行政复议案件)."""
    last = None
    for m in cat.domain_words.finditer(sentence, 0, pos):
        last = cat.domain_of[m.group(0)]
    if last is None:
        for m in cat.domain_words.finditer(before):
            last = cat.domain_of[m.group(0)]
    if last is None:
        after = cat.domain_words.search(sentence, pos, end + 8)
        if after:
            last = cat.domain_of[after.group(0)]
    return last


_ENUM_ITEM = r"\d[\d,]*(?:\.\d+)?\s*(?:万|余)?\s*(?:件|起|宗)"


def _enumeration_pattern(verbs: set[str]) -> re.Pattern[str]:
    verb = "(?:" + "|".join(sorted(map(re.escape, verbs), key=len, reverse=True)) + ")"
    return re.compile(
        rf"({verb}(?:[、和及]{verb})+)([^，,。；;\d]{{0,14}}?)分别(?:为|是|达到?)?\s*"
        rf"({_ENUM_ITEM}(?:\s*[、和及，,]\s*{_ENUM_ITEM})+)"
    )
_ENUM_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:万|余)?")


def _enumerated(
    cat: Catalog, sentence: str, sentence_start: int, text: str, taken: list[tuple[int, int]]
) -> list[Indicator]:
    """Counts given in the order of their verbs (新收、受理、审结…分别为46件、43件、41件)."""
    out: list[Indicator] = []
    for m in cat.enumeration.finditer(sentence):
        verbs = re.split(r"[、和及]", m.group(1))
        numbers = list(_ENUM_NUMBER.finditer(sentence, m.start(3), m.end(3)))
        if len(verbs) != len(numbers):
            continue
        domain = _domain_at(cat, sentence, m.end(2), m.end(), _clauses_before(text, sentence_start))
        names = cat.enumerations.get(domain or "", {})
        for verb, number in zip(verbs, numbers, strict=True):
            name = names.get(verb)
            value = parse_number(number.group(0).replace("余", "").strip())
            if name is None or value is None:
                continue
            if any(s < number.end() and number.start() < e for s, e in taken):
                continue  # a rule already read this number
            rule = next(r for r in cat.rules if r.name == name)
            out.append(Indicator(name=name, value=value, unit=rule.unit,
                                 start=sentence_start + number.start(), end=sentence_start + number.end()))
    return out


# 收到行政复议申请19件，均已审结: the same number is the count concluded.
_ALL_CONCLUDED = re.compile(r"(\d[\d,]*)\s*(?:件|起)[，,]\s*(?:均已|已全部|全部|均)(?:依法)?(?:审结|办结)")


def _all_concluded(cat: Catalog, sentence: str, sentence_start: int, text: str) -> list[Indicator]:
    out: list[Indicator] = []
    for m in _ALL_CONCLUDED.finditer(sentence):
        if _domain_at(cat, sentence, m.start(), m.end(), _clauses_before(text, sentence_start)) != "reconsideration":
            continue
        value = parse_number(m.group(1))
        if value is not None:
            out.append(Indicator(name="admin_reconsideration_concluded", value=value, unit="件",
                                 start=sentence_start + m.start(1), end=sentence_start + m.end()))
    return out


# 区法院诉前调解各类纠纷4,862件: a court's mediation before trial, not the people's mediation.
_COURT = re.compile(r"诉前调解|诉调对接|法院|法庭")
_PEOPLES = re.compile(r"人民调解|调委会|调解组织|调解委员会")


def _court_mediation(sentence: str, pos: int) -> bool:
    courts = list(_COURT.finditer(sentence, 0, pos))
    return bool(courts) and _PEOPLES.search(sentence, courts[-1].end(), pos) is None


def _clauses_before(text: str, start: int) -> str:
    """The clauses of the same sentence before `start` (back to 。, ！, ？ or a line break)."""
    stop = max(text.rfind(c, 0, start) for c in "。！!？?\n")
    return text[stop + 1 : start]


def _mixed(cat: Catalog, sentence: str, start: int, end: int) -> bool:
    """A clause listing subjects of several domains before its number counts them together
    (合同协议、重大事项、规范性文件等合法性审查共计57件): no single indicator's value."""
    if "等" not in sentence[start:end]:  # only a list closed by 等 sums up unlike things
        return False
    found = {cat.domain_of[m.group(0)] for m in cat.domain_words.finditer(sentence, start, end)}
    return len(found) > 1


def extract(text: str, written: int | None = None, report: bool = False) -> list[Indicator]:
    """Catalog values in `text`; `written` (the publish year, when known) tells goals set
    for later years (到2025年…) from measured values; `report` says the text reports on a
    past year (an annual report), where 保持 tells what was kept up."""
    found = _extract(text, written, report)
    if "\n" in text and _TABLE_ROW.search(text):
        found = _unique(sorted([*found, *_table_values(text, written, report)], key=lambda i: i.start))
    if "直接纠错率" in text and "综合纠错率" in text:
        found = [i for i in found if not _direct_rate(text, i)]
    return found


def _direct_rate(text: str, ind: Indicator) -> bool:
    """The 直接纠错率 of a report that also gives its 综合纠错率, the rate the catalog means
    (直接纠错率 alone is the only rate given, and kept)."""
    return ind.name == "admin_reconsideration_correction_rate_pct" and text.startswith("直接", ind.start - 2)


# A table row as the text stage renders it: label cells, then the year's figure (further
# columns, such as last year's, are left): 行政复议 收到申请（件） 184 | 2020年 …; a PDF's
# text layer puts each cell on a line of its own.
_TABLE_ROW = re.compile(
    r"^(?P<label>[\u4e00-\u9fff][^\d\n。；，,：:]{1,40}?)(?:[ \t\u3000]+|\n)(?P<n>\d[\d,]*(?:\.\d+)?)[ \t\u3000]*"
    r"(?P<u>%|件|项|个|份)?(?:(?:[ \t\u3000]+|\n)[-+]?\d[\d,.]*[ \t\u3000]*(?:%|件|项|个|份)?)*[ \t\u3000]*$",
    re.M,
)
_UNIT_CELL = re.compile(r"[（(]\s*(%|件|项|个|份)\s*[）)]")


def _table_values(text: str, written: int | None, report: bool) -> list[Indicator]:
    """Each row read as the sentence it stands for (行政复议收到申请184件), its evidence the
    figure in the row."""
    out: list[Indicator] = []
    above, above_end = "", -1
    for m in _TABLE_ROW.finditer(text):
        label = m.group("label")
        unit_cell = _UNIT_CELL.search(label)
        unit = m.group("u") or (unit_cell.group(1) if unit_cell else ("%" if "率" in label else "件"))
        # A column header's 受理数 / 调解成功数 reads as the sentence's 受理 / 调解成功.
        label = re.sub(r"(?:数|数量)$", "", re.sub(r"\s+", "", _UNIT_CELL.sub("", label)))
        # The row above names the subject a row leaves out (人民调解纠纷 | 调解成功).
        context = f"{above}，" if above and not text[above_end:m.start()].strip() else ""
        above, above_end = label, m.end()
        for ind in _extract(f"{context}{label}{m.group('n')}{unit}", written, report):
            out.append(Indicator(name=ind.name, value=ind.value, unit=ind.unit, start=m.start("n"), end=m.end("n")))
    return out


def _extract(text: str, written: int | None, report: bool) -> list[Indicator]:
    cat = catalog()
    out: list[Indicator] = []
    cursor = 0
    for sentence in filter(_COUNTED.search, _SENTENCE.findall(text)):
        # The first occurrence after the previous counted sentence is this one: an earlier
        # copy would lie inside a sentence that holds a counted number too.
        sentence_start = text.find(sentence, cursor)
        cursor = sentence_start + len(sentence)
        taken: list[tuple[int, int]] = []
        present = set(cat.always)
        for needle, _, _ in cat.needles.find_matches_as_indexes(sentence, overlapping=True):
            present |= cat.rules_of_needle[needle]
        for index in sorted(present):  # in catalog order: earlier rules take a number first
            rule = cat.rules[index]
            for m in rule.pattern.finditer(sentence):
                num_start = m.start("n") if m.groupdict().get("n") else m.start()
                if any(s < m.end() and num_start < e for s, e in taken):
                    continue
                if rule.domain and _domain_at(
                        cat, sentence, num_start, m.end(), _clauses_before(text, sentence_start)) != rule.domain:
                    continue
                clause_start = max(sentence.rfind(c, 0, num_start) for c in "，,：:") + 1
                if _TARGET.search(sentence, clause_start, m.end() + 3):
                    continue
                if _PART_OF_YEAR.search(sentence, clause_start, num_start):
                    continue
                if rule.domain == "mediation" and _court_mediation(sentence, num_start):
                    continue
                if _KEEP.search(sentence, clause_start, m.end() + 3) and (
                        not report or _WILL_KEEP.search(sentence, clause_start, m.end() + 3)):
                    continue
                if rule.domain and _mixed(cat, sentence, clause_start, num_start):
                    continue
                if written is not None and any(
                    int(y) > written for y in _BY_YEAR.findall(sentence, 0, num_start)
                ):
                    continue
                if _CHANGED_TO.match(sentence, m.end()):
                    continue
                value = _value(m)
                if value is None:
                    continue
                taken.append((num_start, m.end()))
                out.append(
                    Indicator(
                        name=rule.name,
                        value=value,
                        unit=rule.unit,
                        start=sentence_start + m.start(),
                        end=sentence_start + m.end(),
                    )
                )
        if "分别" in sentence:
            out.extend(_enumerated(cat, sentence, sentence_start, text, taken))
        if "均已审结" in sentence or "均已办结" in sentence or "全部审结" in sentence:
            out.extend(_all_concluded(cat, sentence, sentence_start, text))
    out.sort(key=lambda i: i.start)
    return _unique(out)


def _unique(found: list[Indicator]) -> list[Indicator]:
    seen: set[tuple[str, float]] = set()
    unique = []
    for ind in found:  # the same number quoted again later is one indicator
        if (ind.name, ind.value) not in seen:
            seen.add((ind.name, ind.value))
            unique.append(ind)
    return unique
