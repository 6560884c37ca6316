"""The raw archive: every fetched body, content-addressed, with its headers and fetch time.

Any document can be processed again from here without touching the network.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


class RawArchive:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, sha: str) -> Path:
        if len(sha) != 64 or not all(c in "0123456789abcdef" for c in sha):
            raise ValueError(f"not a sha256: {sha!r}")
        return self.root / sha[:2] / sha[2:4] / sha

    def put(self, body: bytes, meta: dict[str, Any]) -> str:
        """Store `body` (once) and append `meta` (url, headers, fetched_at) to its fetch log."""
        sha = hashlib.sha256(body).hexdigest()
        path = self._path(sha)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            self._atomic_write(path, body)
        with open(path.with_suffix(".fetches.jsonl"), "a", encoding="utf-8") as log:
            log.write(json.dumps(meta, ensure_ascii=False) + "\n")
        return sha

    def get(self, sha: str) -> bytes:
        return self._path(sha).read_bytes()

    def fetches(self, sha: str) -> list[dict[str, Any]]:
        path = self._path(sha).with_suffix(".fetches.jsonl")
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]

    def __contains__(self, sha: str) -> bool:
        return self._path(sha).exists()

    def all(self) -> list[str]:
        """Every archived body's sha256."""
        return sorted(
            p.name for p in self.root.glob("??/??/*") if "." not in p.name and len(p.name) == 64
        )

    @staticmethod
    def _atomic_write(path: Path, data: bytes) -> None:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
