"""The blake2b digests of a text's anchored shingles, for the SimHash (extract/dedup.py).

A digest costs a Python call, and a report has about a thousand distinct shingles, most of
them shared with other reports (their phrasing and boilerplate). So every shingle becomes a
64-bit integer key with numpy (an anchor's index and four character ids of 14 bits), and the
digests already computed are found with one binary search over a sorted array; only the
shingles never seen are hashed in Python. The values are exactly those of hashing each
shingle's UTF-8 text.

The cache is bounded: past CACHE_LIMIT digests, or once 16,383 distinct characters have ids,
everything is dropped and starts again.
"""

from __future__ import annotations

import hashlib
import threading

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]
CACHE_LIMIT = 1_000_000
RECENT_MIN = 4096
_ID_BITS = 14
_MAX_ID = (1 << _ID_BITS) - 1
_SENTINEL = np.iinfo(np.uint64).max  # keys use 62 bits
_SHIFTS = np.array([3 * _ID_BITS, 2 * _ID_BITS, _ID_BITS, 0], dtype=np.uint64)


class ShingleDigests:
    def __init__(
        self, anchors: str, keep: npt.NDArray[np.bool_], size: int,
        cache_limit: int = CACHE_LIMIT, recent_min: int = RECENT_MIN,
    ) -> None:
        if len(anchors) >= 64 or size != 5:
            raise ValueError("keys hold 6 bits of anchor and four 14-bit character ids")
        self.size = size
        self.cache_limit = cache_limit
        self.recent_min = recent_min
        self._lock = threading.Lock()
        self.keep = keep
        self.anchor_index = np.zeros(0x10000, dtype=np.uint64)
        self.anchor_index[[ord(c) for c in anchors]] = np.arange(1, len(anchors) + 1, dtype=np.uint64)
        self.anchor_char = np.array([0] + [ord(c) for c in anchors], dtype=np.uint16)
        self._reset()

    def _reset(self) -> None:
        self.char_id = np.zeros(0x10000, dtype=np.uint64)
        self.id_char = np.zeros(_MAX_ID + 1, dtype=np.uint16)
        self.next_id = 1
        # Sorted keys ending with a sentinel above every key, and their digests.
        self.keys, self.values = _empty()
        self.recent_keys, self.recent_values = _empty()

    def digests(self, text: str) -> U64 | None:
        """The digests of the distinct shingles of `text`, as little-endian 64-bit integers;
        None when the text needs the general path (characters outside the BMP, lone
        surrogates, no anchored shingle, too many distinct characters)."""
        try:
            encoded = text.encode("utf-16-le")
        except UnicodeEncodeError:  # a lone surrogate
            return None
        if len(encoded) != 2 * len(text):  # characters outside the BMP take two units
            return None
        units = np.frombuffer(encoded, dtype=np.uint16)
        core = units[self.keep[units]]
        if core.size < self.size:
            return None
        starts = np.flatnonzero(self.anchor_index[core[: core.size - self.size + 1]])
        if starts.size == 0:
            return None
        with self._lock:  # the tables are shared by every thread of a worker
            return self._digests(core, starts)

    def _digests(self, core: npt.NDArray[np.uint16], starts: npt.NDArray[np.intp]) -> U64 | None:
        ids = self._ids(core)
        if ids is None:
            return None
        windows = np.lib.stride_tricks.sliding_window_view(ids, self.size)[starts, 1:]
        keys = (windows << _SHIFTS).sum(axis=1, dtype=np.uint64)  # disjoint bit fields
        keys |= self.anchor_index[core[starts]] << np.uint64(4 * _ID_BITS)
        keys.sort()
        if keys.size > 1:
            keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
        return self._lookup(keys)

    def _ids(self, core: npt.NDArray[np.uint16]) -> U64 | None:
        ids = self.char_id[core]
        if not ids.all():
            new = np.unique(core[ids == 0])
            if self.next_id + new.size > _MAX_ID:
                self._reset()
                new = np.unique(core)
                if new.size > _MAX_ID - 1:
                    return None
            assigned = np.arange(self.next_id, self.next_id + new.size, dtype=np.uint64)
            self.char_id[new] = assigned
            self.id_char[assigned] = new
            self.next_id += new.size
            ids = self.char_id[core]
        return ids

    def _lookup(self, keys: U64) -> U64:
        """Digests of sorted distinct keys: from the big array, else from the recent one, else
        hashed now and added to the recent one (merged into the big one once it has grown to
        an eighth of its size, so that each digest is copied a few times at most)."""
        pos = np.searchsorted(self.keys, keys)  # the sentinel keeps every position valid
        hit = self.keys[pos] == keys
        if hit.all():
            return self.values[pos]
        out = np.empty(keys.size, dtype=np.uint64)
        out[hit] = self.values[pos[hit]]
        miss = ~hit
        missing = keys[miss]
        rpos = np.searchsorted(self.recent_keys, missing)
        rhit = self.recent_keys[rpos] == missing
        found = np.empty(missing.size, dtype=np.uint64)
        found[rhit] = self.recent_values[rpos[rhit]]
        if not rhit.all():
            new = ~rhit
            new_keys = missing[new]
            new_values = self._hash(new_keys)
            found[new] = new_values
            self.recent_keys = np.insert(self.recent_keys, rpos[new], new_keys)
            self.recent_values = np.insert(self.recent_values, rpos[new], new_values)
            if self.recent_keys.size > max(self.recent_min, self.keys.size // 8):
                self._merge()
        out[miss] = found
        return out

    def _hash(self, keys: U64) -> U64:
        """blake2b of each shingle's UTF-8 text, rebuilt from its key."""
        chars = np.empty((keys.size, self.size), dtype=np.uint16)
        chars[:, 0] = self.anchor_char[(keys >> np.uint64(4 * _ID_BITS)).astype(np.intp)]
        for k in range(1, self.size):
            shift = np.uint64((self.size - 1 - k) * _ID_BITS)
            chars[:, k] = self.id_char[((keys >> shift) & np.uint64(_MAX_ID)).astype(np.intp)]
        joined = chars.tobytes().decode("utf-16-le")
        blake, size = hashlib.blake2b, self.size
        digests = b"".join([
            blake(joined[i : i + size].encode(), digest_size=8).digest() for i in range(0, len(joined), size)
        ])
        return np.frombuffer(digests, dtype="<u8").astype(np.uint64)

    def _merge(self) -> None:
        recent_keys, recent_values = self.recent_keys[:-1], self.recent_values[:-1]
        if self.keys.size + recent_keys.size > self.cache_limit:
            self._reset()  # ids and digests go together: keys are only valid with their ids
            return
        at = np.searchsorted(self.keys, recent_keys)
        self.keys = np.insert(self.keys, at, recent_keys)
        self.values = np.insert(self.values, at, recent_values)
        self.recent_keys, self.recent_values = _empty()


def _empty() -> tuple[U64, U64]:
    """A sorted key array holding only the sentinel, and its values."""
    return np.array([_SENTINEL], dtype=np.uint64), np.zeros(1, dtype=np.uint64)
