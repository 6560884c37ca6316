"""Topics from the taxonomy in data/topics.yaml, assigned by keyword counts."""

from __future__ import annotations

import functools
import re
from importlib import resources

import yaml


@functools.cache
def _taxonomy() -> tuple[tuple[str, int, re.Pattern[str]], ...]:
    path = resources.files("fazhi_shared") / "data" / "topics.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for t in data["topics"]:
        words = sorted(t["keywords"], key=len, reverse=True)
        out.append((t["label"], int(t.get("min_hits", 3)), re.compile("|".join(map(re.escape, words)))))
    return tuple(out)


def labels() -> list[str]:
    return [label for label, _, _ in _taxonomy()]


def assign(title: str | None, text: str) -> list[str]:
    body = (title or "") + "\n" + text
    # Long reports touch every theme in passing: the bar rises by one hit per 5,000 characters.
    extra = len(body) // 5000
    found = []
    for label, min_hits, pattern in _taxonomy():
        hits = 0
        needed = max(min_hits, extra)
        for _ in pattern.finditer(body):
            hits += 1
            if hits >= needed:
                found.append(label)
                break
    return found
