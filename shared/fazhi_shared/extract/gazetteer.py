"""Every province, prefecture and county-level division with its official code, and the names
people write for them (黔西南州, 锡林郭勒, 鄂温克旗, 广西), loaded once from catalogs/gazetteer.csv.

The CSV was built at development time from the adcode table shipped in the `cpca` wheel
(PyPI); see catalogs/README.md. Nothing is downloaded at run time.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple

import ahocorasick_rs

MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
_UNIT = re.compile(r"(自治区|特别行政区|自治州|自治县|自治旗|地区|省|市|县|区|州|盟|旗)$")


@dataclass(frozen=True)
class Place:
    adcode: str
    name: str
    level: str  # province · prefecture · county
    parent: str | None
    former: bool = False  # abolished or renamed since (射洪县 → 射洪市): kept for older reports


class Mention(NamedTuple):  # a tuple: a text has dozens, made in a loop
    start: int
    end: int
    alias: str
    places: tuple[Place, ...]


class Gazetteer:
    def __init__(self, rows: list[Place], ethnic: list[str], short: dict[str, str] | None = None) -> None:
        self.by_code = {p.adcode: p for p in rows}
        names = "|".join(sorted((e.removesuffix("族") for e in ethnic), key=len, reverse=True))
        self._autonomous = re.compile(rf"(.+?)(?:(?:{names})族?)+自治(州|县|旗)")
        self._ethnic_only = re.compile(rf"({names})族自治(州|县|旗)")
        aliases: dict[str, list[Place]] = {}
        for place in rows:
            for alias in self._aliases(place):
                aliases.setdefault(alias, []).append(place)
        # Short names in use that no rule derives (巴州, 达茂旗, 锡盟), from catalogs/short_names.csv.
        for alias, code in (short or {}).items():
            if code in self.by_code and self.by_code[code] not in aliases.get(alias, []):
                aliases.setdefault(alias, []).append(self.by_code[code])
        self.aliases = {a: tuple(ps) for a, ps in aliases.items()}
        # Every alias in one automaton: a text is scanned once whatever the number of names.
        self._automaton = ahocorasick_rs.AhoCorasick(
            list(self.aliases), implementation=ahocorasick_rs.Implementation.DFA
        )
        self._chains: dict[str, tuple[Place, ...]] = {}

    def _aliases(self, place: Place) -> set[str]:
        name = place.name
        out = {name}
        if place.level == "province":
            short = re.sub(r"(?:壮族|回族|维吾尔)?(?:自治区|特别行政区|省|市)$", "", name)
            if len(short) >= 2:
                out.add(short)
            return out
        wing = re.fullmatch(r"(.{2,4}?)(左|右)翼(前|中|后)旗", name)
        if wing:  # 科尔沁右翼前旗 → 科右前旗
            out.add(wing.group(1)[0] + wing.group(2) + wing.group(3) + "旗")
        m = self._autonomous.fullmatch(name) or self._ethnic_only.fullmatch(name)
        if m:
            base = m.group(1)
            out.add(base + m.group(2))
            if place.level == "prefecture" and len(base) >= 2:
                out.add(base)
        elif place.level == "prefecture":
            short = _UNIT.sub("", name)
            if len(short) >= 2 and name.endswith(("市", "盟", "地区")):
                out.add(short)
                if name.endswith("地区"):
                    out.add(short + "地区")
        return out

    def parent(self, place: Place) -> Place | None:
        return self.by_code.get(place.parent) if place.parent else None

    def ancestors(self, place: Place) -> list[Place]:
        return list(self.chain(place))

    def chain(self, place: Place) -> tuple[Place, ...]:
        """The ancestors of `place`, nearest first (computed once per division)."""
        found = self._chains.get(place.adcode)
        if found is None:
            chain, cur = [], self.parent(place)
            while cur is not None:
                chain.append(cur)
                cur = self.parent(cur)
            found = self._chains[place.adcode] = tuple(chain)
        return found

    def province_of(self, place: Place) -> Place:
        return ([place, *self.chain(place)])[-1]

    def mentions(self, text: str) -> list[Mention]:
        """Longest non-overlapping matches of every known name, left to right."""
        longest: dict[int, int] = {}  # start → length of the longest name starting there
        for _, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True):
            if end - start > longest.get(start, 0):
                longest[start] = end - start
        out: list[Mention] = []
        aliases = self.aliases
        i = 0
        for start in sorted(longest):
            if start < i:
                continue
            length = longest[start]
            alias = text[start : start + length]
            if length > 2 or not self._inside_word(text, start, alias, out):
                out.append(Mention(start, start + length, alias, aliases[alias]))
                i = start + length
        return out

    def _inside_word(self, text: str, i: int, alias: str, before: list[Mention]) -> bool:
        """A two-character county name (和县, 芒市) glued to the word before it is not one."""
        if any(p.level != "county" for p in self.aliases[alias]):
            return False
        if i == 0 or not _CJK.match(text[i - 1]):
            return False
        return not (before and before[-1].end == i)


_CJK = re.compile(r"[\u4e00-\u9fff]")


@functools.cache
def gazetteer() -> Gazetteer:
    data = resources.files("fazhi_shared") / "catalogs"
    with (data / "gazetteer.csv").open(encoding="utf-8") as f:
        rows = [
            Place(r["adcode"], r["name"], r["level"], r["parent"] or None, r.get("former") == "1")
            for r in csv.DictReader(f)
        ]
    ethnic = [
        line.strip()
        for line in (data / "ethnic_groups.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and line.strip() != "汉族"
    ]
    with (data / "short_names.csv").open(encoding="utf-8") as f:
        short = {r["alias"]: r["adcode"] for r in csv.DictReader(f)}
    return Gazetteer(rows, ethnic, short)
