"""`fazhi coverage` and `fazhi indicators` reading the index of FAZHI_DATA_DIR: once as a
real process through the `fazhi` entry point, the other runs in-process (click's runner, the
same command objects) to keep the suite fast."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from fazhi_cli.main import app
from fazhi_shared.models import Document
from fazhi_shared.search import open_backend
from fazhi_shared.settings import Settings

from .corpus import NINGXIA, OUTLIER, Planned, expected_status, issuer_of


@pytest.fixture(scope="module")
def data_dir(corpus: list[Document], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("analytics-cli") / "data"
    backend = open_backend(Settings(data_dir=path))
    backend.upsert(corpus)
    backend.close()
    return path


def fazhi_process(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAZHI_")}
    env.update({"FAZHI_DATA_DIR": str(data_dir), "COLUMNS": "250", "PYTHONIOENCODING": "utf-8"})
    return subprocess.run([sys.executable, "-m", "fazhi_cli.main", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def fazhi(data_dir: Path, *args: str) -> Result:
    env = {k: None for k in os.environ if k.startswith("FAZHI_")}
    env.update({"FAZHI_DATA_DIR": str(data_dir), "COLUMNS": "250"})
    return CliRunner().invoke(app, list(args), env=env)


def test_coverage_csv_and_tables(data_dir: Path, planned: list[Planned]) -> None:
    truth = {p.place.adcode: expected_status(p) for p in planned
             if p.place.adcode.startswith(NINGXIA[:2])}
    run = fazhi_process(data_dir, "coverage", "--year", "2023", "--province", "宁夏",
                        "--format", "csv")
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout.lstrip("\ufeff"))))
    assert {r["adcode"]: r["status"] for r in rows if r["kind"] == "government"} == truth
    missing = {p.place.name for p in planned if p.place.adcode in truth and not p.dates}
    shown = fazhi(data_dir, "coverage", "-y", "2023", "--province", "宁夏", "--show", "missing")
    assert shown.exit_code == 0, shown.stderr
    for name in missing:
        assert name in shown.stdout
    assert "石嘴山市" in shown.stdout, "the region table names every prefecture"
    assert "惠农区" not in shown.stdout, "惠农区 published on time: not listed under missing"
    assert "No complete list of government departments" in shown.stdout
    bad = fazhi(data_dir, "coverage", "--year", "2023", "--province", "火星")
    assert bad.exit_code == 2 and "火星" in bad.stderr
    for args in (["--year", "99999"], ["--year", "2023", "--show", "lat"],
                 ["--year", "2023", "--doc-type", "annual"]):
        refused = fazhi(data_dir, "coverage", *args)  # not a traceback, not an empty table
        assert refused.exit_code == 2 and args[-2] in refused.stderr, (args, refused.output)


def test_indicators_json_and_table(data_dir: Path, planned: list[Planned]) -> None:
    run = fazhi(data_dir, "indicators", "admin_reconsideration_received", "--year", "2023",
                "--province", "宁夏回族自治区", "--format", "json")
    assert run.exit_code == 0, run.stderr
    table = json.loads(run.stdout)
    outlier = issuer_of(next(p.place for p in planned if p.place.adcode == OUTLIER))
    assert [v["issuer"] for v in table["values"] if "outlier" in v["flags"]] == [outlier]
    assert {g["group"] for g in table["groups"]} == {"宁夏回族自治区"}
    shown = fazhi(data_dir, "indicators", "admin_reconsideration_received", "-y", "2023",
                  "--group-by", "level")
    assert shown.exit_code == 0, shown.stderr
    assert "outlier" in shown.stdout and "prefecture" in shown.stdout
    bad = fazhi(data_dir, "indicators", "cats")
    assert bad.exit_code == 2 and "admin_reconsideration_received" in bad.stderr
