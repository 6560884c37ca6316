"""`fazhi coverage` and `fazhi indicators`: the analytics of fazhi_shared.analytics over the
index of this data directory (FAZHI_DATA_DIR / FAZHI_SEARCH_URL), as tables, CSV or JSON."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from fazhi_shared.analytics.coverage import Coverage, ScopeError, coverage
from fazhi_shared.analytics.export import COVERAGE_COLUMNS, coverage_rows, csv_chunks
from fazhi_shared.analytics.indicators import (
    GROUP_BY,
    INDICATOR_COLUMNS,
    PROBLEMS,
    IndicatorTable,
    UnknownIndicator,
    indicator_table,
    iter_rows,
)
from fazhi_shared.search import open_backend
from fazhi_shared.search.base import SearchRequest
from fazhi_shared.settings import get_settings

console = Console(stderr=True)
out = Console(soft_wrap=True)
FORMATS = ("table", "csv", "json")
DOC_TYPES = ("annual_report", "work_plan", "implementation_plan")  # as /v1/coverage takes them
SHOW = ("all", "problems", "on_time", "late", "undated", "missing")
STATUS_STYLE = {"on_time": "green", "late": "yellow", "undated": "magenta", "missing": "red",
                "published": "green"}
# Below this many documents the scan is over before a bar would be worth drawing.
PROGRESS_FROM = 300


@contextmanager
def _progress(what: str) -> Iterator[Callable[[int, int], None]]:
    """A progress callback that draws a bar on stderr once a scan turns out to be long."""
    bar = Progress(TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=console, transient=True)
    task = None

    def update(done: int, total: int) -> None:
        nonlocal task
        if task is None:
            if total < PROGRESS_FROM or not console.is_terminal:
                return
            bar.start()
            task = bar.add_task(what, total=total)
        bar.update(task, completed=done, total=total)

    try:
        yield update
    finally:
        bar.stop()


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        console.print(f"[red]--format must be one of {', '.join(FORMATS)}")
        raise typer.Exit(2)


def _check_choice(option: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        console.print(f"[red]{option} must be one of {', '.join(choices)}")
        raise typer.Exit(2)


def _write(chunks: Iterator[str]) -> None:
    for chunk in chunks:
        sys.stdout.write(chunk)
    sys.stdout.flush()


def _rate(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def _coverage_tables(result: Coverage, show: str) -> None:
    scope = result.city or result.province or "全国"
    regions = Table(title=f"{scope} {result.report_year} {result.doc_type}"
                          + (f" (deadline {result.deadline})" if result.deadline else ""))
    for col in ("region", "level", "governments", "published", "on time", "late", "undated",
                "missing", "published %", "on time %"):
        regions.add_column(col, justify="left" if col in ("region", "level") else "right")
    # A single region is the scope itself: its row would repeat the totals.
    rows = result.regions if len(result.regions) == 1 else [result.totals, *result.regions]
    for r in rows:
        regions.add_row(r.name, r.level, str(r.governments), str(r.published), str(r.on_time),
                        str(r.late), str(r.undated), str(r.missing), _rate(r.publish_rate),
                        _rate(r.on_time_rate))
    out.print(regions)
    shown = [g for g in result.governments if show == "all" or g.status == show
             or (show == "problems" and g.status in ("late", "missing", "undated"))]
    govs = Table(title=f"governments ({show}: {len(shown)} of {len(result.governments)})")
    for col in ("adcode", "government", "status", "published", "days late", "link"):
        govs.add_column(col)
    for g in shown:
        link = g.reports[0].url if g.reports else ""
        style = STATUS_STYLE.get(g.status, "")
        govs.add_row(g.adcode, g.name, f"[{style}]{g.status}[/{style}]", g.publish_date or "",
                     str(g.days_late) if g.days_late and g.days_late > 0 else "", link)
    out.print(govs)
    if result.departments:
        depts = Table(title=f"departments found ({len(result.departments)})")
        for col in ("department", "status", "published", "link"):
            depts.add_column(col)
        for d in result.departments:
            depts.add_row(d.issuer, d.status, d.publish_date or "", d.reports[0].url)
        out.print(depts)
    out.print(result.departments_note, style="dim")
    if result.unplaced:
        out.print(f"{len(result.unplaced)} report(s) could not be placed on a government of "
                  "the gazetteer (see --format json)", style="yellow")


def _indicator_tables(table: IndicatorTable, limit: int) -> None:
    groups = Table(title=f"{table.label} ({table.name}, {table.unit}) by {table.group_by}")
    for col in ("group", "count", "issuers", "min", "median", "max", "sum", "flagged"):
        groups.add_column(col, justify="left" if col == "group" else "right")
    for g in [*table.groups, table.overall]:
        groups.add_row(g.group, str(g.count), str(g.issuers), *(
            "" if x is None else f"{x:g}" for x in (g.min, g.median, g.max, g.sum)),
            str(g.flagged))
    out.print(groups)
    # Doubtful values first: they are what a reader must check before using the numbers.
    ordered = sorted(table.values, key=lambda v: not PROBLEMS & set(v.flags))[:limit]
    values = Table(title=f"values ({len(ordered)} of {len(table.values)}, flagged first)")
    for col in ("group", "issuer", "year", "value", "flags", "evidence"):
        values.add_column(col)
    for v in ordered:
        flags = " ".join(v.flags)
        values.add_row(v.group, v.issuer or "", str(v.report_year or ""), f"{v.value:g}",
                       f"[yellow]{flags}[/yellow]" if flags else "", v.evidence)
    out.print(values)


def register(app: typer.Typer) -> None:
    @app.command(name="coverage")
    def coverage_command(
        year: Annotated[int, typer.Option("--year", "-y", min=1990, max=2100,
                                          help="The year the reports cover")],
        province: Annotated[str | None, typer.Option(help="Name (浙江省, 浙江) or adcode")] = None,
        city: Annotated[str | None, typer.Option(help="A prefecture within the province")] = None,
        level: Annotated[list[str] | None, typer.Option(
            help="province, prefecture or county (repeatable; default all)")] = None,
        doc_type: Annotated[str, typer.Option(help="annual_report, work_plan or "
                                              "implementation_plan")] = "annual_report",
        show: Annotated[str, typer.Option(help="Governments to list: all, problems, on_time, "
                                          "late, undated, missing")] = "all",
        fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
    ) -> None:
        """Who published the report for a year, on time or late, and who is missing."""
        _check_format(fmt)
        _check_choice("--doc-type", doc_type, DOC_TYPES)
        _check_choice("--show", show, SHOW)
        backend = open_backend(get_settings())
        try:
            with _progress("reading reports") as progress:
                result = coverage(backend, year, province=province, city=city,
                                  levels=level or (), doc_type=doc_type, progress=progress)
        except ScopeError as exc:
            console.print(f"[red]{exc}")
            raise typer.Exit(2) from exc
        finally:
            backend.close()
        if fmt == "json":
            _write(iter([result.model_dump_json(indent=2), "\n"]))
        elif fmt == "csv":
            _write(csv_chunks(COVERAGE_COLUMNS, coverage_rows(result)))
        else:
            _coverage_tables(result, show)

    @app.command(name="indicators")
    def indicators_command(
        name: Annotated[str, typer.Argument(help="Indicator, e.g. admin_reconsideration_received")],
        year: Annotated[str | None, typer.Option("--year", "-y", help="YYYY or YYYY..YYYY")] = None,
        group_by: Annotated[str, typer.Option(help=", ".join(GROUP_BY))] = "province",
        province: Annotated[list[str] | None, typer.Option(help="Repeatable")] = None,
        city: Annotated[list[str] | None, typer.Option(help="Repeatable")] = None,
        level: Annotated[list[str] | None, typer.Option(help="Repeatable")] = None,
        issuer_kind: Annotated[str | None, typer.Option(help="government or department")] = None,
        exclude_flagged: Annotated[bool, typer.Option(
            help="Leave doubtful values out of the statistics")] = False,
        limit: Annotated[int, typer.Option(help="Values listed in the table")] = 50,
        fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
    ) -> None:
        """One indicator across issuers: values with evidence, statistics per group, flags."""
        _check_format(fmt)
        if group_by not in GROUP_BY:
            console.print(f"[red]--group-by must be one of {', '.join(GROUP_BY)}")
            raise typer.Exit(2)
        years = _years(year)
        filters = {"province": province or [], "city": city or [], "level": level or [],
                   "issuer_kind": [issuer_kind] if issuer_kind else []}
        request = SearchRequest(filters={k: v for k, v in filters.items() if v}, report_year=years)
        backend = open_backend(get_settings())
        try:
            with _progress("reading reports") as progress:
                table = indicator_table(backend, name, request, group_by=group_by,
                                        exclude_flagged=exclude_flagged, progress=progress)
        except UnknownIndicator as exc:
            console.print(f"[red]{exc}")
            raise typer.Exit(2) from exc
        finally:
            backend.close()
        if fmt == "json":
            _write(iter([table.model_dump_json(indent=2), "\n"]))
        elif fmt == "csv":
            _write(csv_chunks(INDICATOR_COLUMNS, iter_rows(table)))
        else:
            _indicator_tables(table, limit)


def _years(value: str | None) -> tuple[int | None, int | None] | None:
    if not value:
        return None
    lo, sep, hi = value.partition("..")
    try:
        if not sep:
            return int(lo), int(lo)
        return (int(lo) if lo else None, int(hi) if hi else None)
    except ValueError as exc:
        console.print(f"[red]--year must be YYYY or YYYY..YYYY, not {value!r}")
        raise typer.Exit(2) from exc
