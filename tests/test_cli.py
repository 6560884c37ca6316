"""`fazhi extract` prints the processed document without any running stack."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import SEEDS


def _fazhi(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fazhi_cli.main", *args],
                          capture_output=True, text=True, timeout=120)


def test_extract_json_prints_one_document_per_line() -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    result = _fazhi("extract", *map(str, seeds[:2]), "--json")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 2
    first = records[0]
    assert first["title"] == "关于2020年度全省法治政府建设工作情况的报告"
    assert first["report_year"] == 2020 and first["doc_type"] == "annual_report"
    assert first["url"] == seeds[0].resolve().as_uri()
    assert "tokens" not in first
    assert "2020年,我省坚持以习近平新时代" in first["text"]
    assert not any(noise in first["text"] for noise in ("字号", "扫一扫在手机打开当前页", "热门搜索排行"))


def test_extract_reports_missing_files_clearly() -> None:
    result = _fazhi("extract", "/nonexistent/report.html", "--json")
    assert result.returncode == 1
    assert "/nonexistent/report.html" in result.stderr
    assert "Traceback" not in result.stderr


def test_discover_refuses_what_is_not_an_http_url() -> None:
    result = _fazhi("discover", "www.example.gov.cn/col/col1/index.html")
    assert result.returncode == 2
    assert "http:// or https://" in result.stderr and "robots.txt" not in result.stderr


def test_up_refuses_a_port_in_use_with_a_clear_message(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "FAZHI_DATA_DIR": str(tmp_path / "data"), "FAZHI_API_PORT": str(port)}
        result = subprocess.run([sys.executable, "-m", "fazhi_cli.main", "up"], env=env,
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"127.0.0.1:{port} is in use" in result.stderr
    assert not (tmp_path / "data" / "run" / "redis.url").exists(), "nothing was started"


def test_ingest_without_a_running_stack_says_so(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("FAZHI_")}
    env["FAZHI_DATA_DIR"] = str(tmp_path / "data")
    result = subprocess.run([sys.executable, "-m", "fazhi_cli.main", "ingest", str(SEEDS)],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "fazhi up" in result.stderr and "Traceback" not in result.stderr
