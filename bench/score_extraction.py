"""Score extraction against labelled documents: per-field accuracy, indicator precision/recall.

    uv run python bench/score_extraction.py [FOLDER…] [--verbose] [--distances]

A labelled document is a JSON file (see tests/fixtures/labelled/README.md) naming its
`source` file (relative to the JSON file), the `url` it was fetched from and the expected
values. Issuer, issuer kind, region, report year and timeliness are scored on reports only
(for noise pages they are not defined). `duplicate_of` names another labelled document.
Documents are processed in name order, so the first copy of a report comes first.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from fazhi_shared.extract.dedup import distance, find_first_copy, from_hex
from fazhi_shared.models import Document
from fazhi_shared.pipeline import process

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "tests" / "fixtures" / "labelled"
FIELDS = ("is_report", "doc_type", "title", "publish_date", "report_year", "report_year_inferred",
          "issuer", "issuer_kind", "region", "timeliness", "duplicate_of", "traditional_source")
REPORT_ONLY = {"issuer", "issuer_kind", "region", "report_year", "report_year_inferred", "timeliness"}


class MemoryFingerprints:
    """The FingerprintStore protocol over a list, in processing order (for scoring only)."""

    def __init__(self) -> None:
        self.items: list[tuple[str, int, float]] = []

    def candidates(self, value: int) -> list[tuple[str, int, float]]:
        return list(self.items)

    def register(self, doc_id: str, value: int) -> str | None:
        if all(i != doc_id for i, _, _ in self.items):
            self.items.append((doc_id, value, float(len(self.items))))
        return find_first_copy(doc_id, value, self)


@dataclass
class Result:
    field_ok: Counter[str] = field(default_factory=Counter)
    field_n: Counter[str] = field(default_factory=Counter)
    ind_tp: int = 0
    ind_fp: int = 0
    ind_fn: int = 0
    by_indicator: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    cited_found: int = 0
    cited_expected: int = 0
    cited_extra: int = 0
    topics_found: int = 0
    topics_expected: int = 0
    seconds: float = 0.0
    docs: int = 0
    errors: list[str] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        return self.field_ok[name] / self.field_n[name] if self.field_n[name] else float("nan")

    @property
    def precision(self) -> float:
        return self.ind_tp / (self.ind_tp + self.ind_fp) if self.ind_tp + self.ind_fp else 1.0

    @property
    def recall(self) -> float:
        return self.ind_tp / (self.ind_tp + self.ind_fn) if self.ind_tp + self.ind_fn else 1.0


def load(folders: list[Path]) -> list[tuple[Path, dict]]:
    labels = []
    for folder in folders:
        for path in sorted(folder.rglob("*.json")):
            labels.append((path, json.loads(path.read_text(encoding="utf-8"))))
    return sorted(labels, key=lambda item: item[0].stem)


def run(label_path: Path, label: dict) -> Document:
    body = (label_path.parent / label["source"]).read_bytes()
    return process(body, url=label["url"], content_sha256="-", fetched_at="2024-01-01T00:00:00Z",
                   content_type=label.get("content_type"))


def _actual(doc: Document, name: str, ids: dict[str, str]) -> object:
    if name == "region":
        return doc.region.model_dump()
    if name == "timeliness":
        return doc.timeliness.model_dump() if doc.timeliness else None
    if name == "duplicate_of":
        return ids.get(doc.duplicate_of or "", doc.duplicate_of)
    return getattr(doc, name)


def score(folders: list[Path], verbose: bool = False, out=sys.stdout) -> Result:
    res = Result()
    fingerprints = MemoryFingerprints()
    ids: dict[str, str] = {}
    for path, label in load(folders):
        started = time.perf_counter()
        doc = run(path, label)
        res.seconds += time.perf_counter() - started
        res.docs += 1
        ids[doc.id] = path.stem
        doc.duplicate_of = fingerprints.register(doc.id, from_hex(doc.simhash)) if doc.simhash else None
        for name in FIELDS:
            if name not in label or (name in REPORT_ONLY and not label.get("is_report")):
                continue
            expected, actual = label[name], _actual(doc, name, ids)
            res.field_n[name] += 1
            if expected == actual:
                res.field_ok[name] += 1
            else:
                res.errors.append(f"{path.stem}: {name}: expected {expected!r}, got {actual!r}")
        if "indicators" in label:
            want = Counter((i["name"], round(float(i["value"]), 4)) for i in label["indicators"])
            got = Counter((i.name, round(i.value, 4)) for i in doc.indicators)
            for key in (want | got):
                tp = min(want[key], got[key])
                res.ind_tp += tp
                res.ind_fp += got[key] - tp
                res.ind_fn += want[key] - tp
                res.by_indicator[key[0]]["tp"] += tp
                res.by_indicator[key[0]]["fp"] += got[key] - tp
                res.by_indicator[key[0]]["fn"] += want[key] - tp
                if got[key] != want[key]:
                    res.errors.append(f"{path.stem}: indicator {key}: expected {want[key]}, got {got[key]}")
        expected_cited = label.get("cited", label.get("cited_contains"))
        if expected_cited is not None:
            found = [c for c in expected_cited if c in doc.cited]
            res.cited_found += len(found)
            res.cited_expected += len(expected_cited)
            for c in expected_cited:
                if c not in doc.cited:
                    res.errors.append(f"{path.stem}: cited missing {c!r}")
            if "cited" in label:
                extra = [c for c in doc.cited if c not in expected_cited]
                res.cited_extra += len(extra)
                res.errors.extend(f"{path.stem}: cited extra {c!r}" for c in extra)
        expected_topics = label.get("topics", label.get("topics_contains"))
        if expected_topics is not None:
            res.topics_found += sum(1 for t in expected_topics if t in doc.topics)
            res.topics_expected += len(expected_topics)
    report(res, verbose, out)
    return res


def report(res: Result, verbose: bool, out) -> None:
    print(f"{res.docs} documents, extraction {1000 * res.seconds / max(1, res.docs):.1f} ms/doc "
          "(whole process stage)", file=out)
    print(f"{'field':<22}{'accuracy':>9}{'n':>5}", file=out)
    for name in FIELDS:
        if res.field_n[name]:
            print(f"{name:<22}{res.accuracy(name):>9.3f}{res.field_n[name]:>5}", file=out)
    print(f"indicators: precision {res.precision:.3f} recall {res.recall:.3f} "
          f"(tp {res.ind_tp}, fp {res.ind_fp}, fn {res.ind_fn})", file=out)
    for name, c in sorted(res.by_indicator.items()):
        print(f"  {name:<44} tp {c['tp']:>3} fp {c['fp']:>3} fn {c['fn']:>3}", file=out)
    if res.cited_expected:
        print(f"cited: recall {res.cited_found / res.cited_expected:.3f} "
              f"({res.cited_found}/{res.cited_expected}), unexpected {res.cited_extra}", file=out)
    if res.topics_expected:
        print(f"topics: recall {res.topics_found / res.topics_expected:.3f}", file=out)
    if verbose:
        for line in res.errors:
            print("  ✗", line, file=out)


def distances(folders: list[Path]) -> None:
    hashes = []
    for path, label in load(folders):
        doc = run(path, label)
        if doc.simhash:
            hashes.append((path.stem, from_hex(doc.simhash), label.get("duplicate_of")))
    dup, other = [], []
    for i, (a, ha, da) in enumerate(hashes):
        for b, hb, db in hashes[i + 1:]:
            (dup if da == b or db == a else other).append(distance(ha, hb))
    print(f"near-duplicate pairs: {sorted(dup)}")
    print(f"other pairs: min {min(other)}, 1st percentile {sorted(other)[len(other) // 100]}, "
          f"median {sorted(other)[len(other) // 2]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[DEFAULT])
    parser.add_argument("--verbose", "-v", action="store_true", help="list every mismatch")
    parser.add_argument("--distances", action="store_true", help="SimHash distances of pairs")
    args = parser.parse_args()
    if args.distances:
        distances(args.folders)
        return
    score(args.folders, args.verbose)


if __name__ == "__main__":
    main()
