"""Crawl settings that would stop every fetch are refused when the settings are read."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from fazhi_shared.settings import Settings


@pytest.mark.parametrize("name", [
    "crawl_rate_per_host",  # 1 / rate: ZeroDivisionError in every request
    "crawl_concurrency_per_host",  # no slot ever free: every request waits forever
])
def test_a_rate_or_concurrency_of_zero_is_refused(name: str, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=name):
        Settings(data_dir=tmp_path, **{name: 0})
