"""Near-duplicates: a 64-bit SimHash over character shingles of the body text.

The same report republished on another site differs in template noise, a heading or a
sentence; its SimHash then differs in a few bits, while two different reports (even on the
same template, with the same boilerplate openings) differ in ~20–32. Tuned on
tests/fixtures/labelled (`uv run python bench/score_extraction.py --distances`): the
near-duplicate pairs are 2, 4 and 8 bits apart (8: a paragraph of a short page dropped and
the copy in traditional characters), distinct documents at least 15 (1st percentile 20,
median 30), so `MAX_DISTANCE` = 10 sits in the gap. A one-sentence change in a full-length report moves
2–3 bits. Lookups against earlier documents live in fazhi_shared.stores.fingerprints:
8 bands of 8 bits find every copy within 7 bits, and 96–99% of those 8–10 bits away.
"""

from __future__ import annotations

import hashlib
import re
from typing import Protocol

BITS = 64
SHINGLE = 4
MAX_DISTANCE = 10
BANDS = 8
_DROP = re.compile(r"[\s\d,，。、；;：:“”\"'‘’（）()《》!！?？\-—·.|｜【】\[\]]+")
# For each bit position inside a byte, a table mapping a byte to 1 when that bit is set:
# counting a bit over all shingle hashes then runs in C (bytes.translate + count).
_BIT_TABLES = [bytes((b >> k) & 1 for b in range(256)) for k in range(8)]


def simhash(text: str) -> int:
    """SimHash of `text` (digits, spaces and punctuation ignored; shingles counted once)."""
    core = _DROP.sub("", text)
    if len(core) < SHINGLE:
        core = core.ljust(SHINGLE, "_")
    raw = core.encode("utf-32-le")  # four bytes a character: a shingle is a fixed slice
    width = 4 * SHINGLE
    shingles = {raw[i : i + width] for i in range(0, len(raw) - width + 4, 4)}
    blake = hashlib.blake2b
    digests = b"".join([blake(s, digest_size=8).digest() for s in shingles])
    n = len(shingles)
    value = 0
    for byte_index in range(8):
        column = digests[byte_index::8]
        for k in range(8):
            ones = column.translate(_BIT_TABLES[k]).count(1)
            if ones * 2 > n:
                value |= 1 << (byte_index * 8 + k)
    return value


def to_hex(value: int) -> str:
    return f"{value:016x}"


def from_hex(value: str) -> int:
    return int(value, 16)


def distance(a: int, b: int) -> int:
    return (a ^ b).bit_count()


class FingerprintStore(Protocol):
    """What find_first_copy needs: earlier fingerprints that share a band with `value`."""

    def candidates(self, value: int) -> list[tuple[str, int, float]]:
        """(doc_id, simhash, first_seen) of every stored document sharing a band."""
        ...


def find_first_copy(
    doc_id: str, value: int, store: FingerprintStore, max_distance: int = MAX_DISTANCE
) -> str | None:
    """The id of the earliest other document within `max_distance` bits, if any.

    A document that was itself stored first is never a duplicate of a later one: its own
    first_seen bounds the search once it is stored.
    """
    cands = store.candidates(value)
    own = [seen for other, _, seen in cands if other == doc_id]
    own_seen = own[0] if own else float("inf")
    best: tuple[float, str] | None = None
    for other, other_value, seen in cands:
        if other == doc_id or seen > own_seen:
            continue
        if seen == own_seen and other > doc_id:
            continue
        if distance(value, other_value) <= max_distance and (best is None or (seen, other) < best):
            best = (seen, other)
    return best[1] if best else None
