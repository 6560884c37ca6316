"""The `fazhi` command: every subcommand reads the same FAZHI_* settings as the services."""

from __future__ import annotations

import json
import secrets
import signal
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import httpx
import typer
from celery import Celery
from rich.console import Console
from rich.table import Table

from fazhi_cli import analytics_commands
from fazhi_cli.ingest import file_url, is_url, queue_targets, wait_indexed
from fazhi_cli.supervisor import Supervisor
from fazhi_shared.celery_base import make_celery
from fazhi_shared.pipeline import process
from fazhi_shared.search import open_backend
from fazhi_shared.search.base import SearchRequest
from fazhi_shared.settings import Settings, get_settings

app = typer.Typer(help="Fazhi Watch: 法治政府建设 reports, collected, searchable, alerting.",
                  no_args_is_help=True, add_completion=False)
console = Console(stderr=True)
out = Console(soft_wrap=True)


def ensure_api_key(settings: Settings) -> tuple[str, bool]:
    """The key to print: the configured ones, else one created once and kept in the data dir."""
    if settings.api_keys:
        return settings.api_key_list()[0], False
    path = settings.data_dir / "api_key"
    if path.exists():
        return path.read_text().strip(), False
    path.parent.mkdir(parents=True, exist_ok=True)
    key = "fzk_" + secrets.token_urlsafe(24)
    path.write_text(key)
    path.chmod(0o600)
    return key, True


def _port_free(host: str, port: int) -> bool:
    import socket

    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _stack_celery(settings: Settings) -> Celery:
    """The running stack's queues, or a clear message when none runs for this data dir."""
    try:
        return make_celery("cli", settings)
    except RuntimeError as exc:
        console.print(f"[red]{exc}")
        raise typer.Exit(2) from exc


def _wait_http(url: str, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own API
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _wait_healthy(api: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _wait_http(f"{api}/healthz", timeout) == 200:
            return True
        time.sleep(0.5)
    return False


@app.command()
def up(
    ingest: Annotated[list[str] | None, typer.Option(help="Files, folders or URLs to ingest once up")] = None,
    api_port: Annotated[int | None, typer.Option(help="Port of the API (default FAZHI_API_PORT)")] = None,
) -> None:
    """Start the whole stack on this machine: Redis, workers, beat and the API."""
    overrides = {"api_port": api_port} if api_port else {}
    settings = get_settings(**overrides)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if not _port_free(settings.api_host, settings.api_port):
        console.print(f"[red]{settings.api_host}:{settings.api_port} is in use (another `fazhi up`?); "
                      "set FAZHI_API_PORT or use --api-port")
        raise typer.Exit(1)
    key, created = ensure_api_key(settings)
    supervisor = Supervisor(settings)
    stop_requested = False

    def _request_stop(signum: int, frame: object) -> None:
        nonlocal stop_requested
        stop_requested = True

    signal.signal(signal.SIGINT, _request_stop)
    signal.signal(signal.SIGTERM, _request_stop)
    try:
        redis_url = supervisor.start_redis()
        open_backend(settings).close()  # creates the index before readers and the writer race
        supervisor.start_children()
        api = f"http://{settings.api_host}:{settings.api_port}"
        console.print(f"Redis {redis_url}; data in {settings.data_dir}")
        if not _wait_healthy(api, 90):
            console.print(f"[yellow]the stack is not healthy yet; see {settings.data_dir / 'logs'}")
        if ingest and not stop_requested:
            _ingest_and_report(settings, ingest, lambda: stop_requested)
        out.print(f"Fazhi Watch is running: API {api} (OpenAPI {api}/docs)")
        out.print(f"API key{' (new)' if created else ''}: {key}")
        out.print("Ctrl-C stops every process.", highlight=False)
        sys.stdout.flush()
        while not stop_requested:
            for name in supervisor.watch_once():
                console.print(f"[yellow]{name} exited; restarted")
            time.sleep(0.5)
    finally:
        console.print("stopping…")
        supervisor.stop()
        console.print("stopped.")


def _ingest_and_report(
    settings: Settings, targets: list[str], should_stop: Callable[[], bool]
) -> None:
    celery = make_celery("cli", settings)
    queued = queue_targets(settings, celery, targets)
    backend = open_backend(settings)
    missing = wait_indexed(backend, queued, 120, should_stop)
    table = Table(title=f"Ingested {len(queued) - len(missing)} of {len(queued)}")
    for col in ("file", "title", "year", "type", "id"):
        table.add_column(col, overflow="fold")
    for item in queued:
        doc = backend.get(item.doc_id)
        if doc:
            table.add_row(Path(item.target).name, doc.title or "", str(doc.report_year or ""),
                          doc.doc_type, doc.id)
    out.print(table)
    for item in missing:
        console.print(f"[red]not indexed within 120 s: {item.target}")


@app.command()
def ingest(
    targets: Annotated[list[str], typer.Argument(help="Files, folders or http(s) URLs")],
    wait: Annotated[bool, typer.Option(help="Wait until they are searchable")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds to wait with --wait")] = 120,
) -> None:
    """Queue files or pages into the running stack."""
    settings = get_settings()
    celery = _stack_celery(settings)
    try:
        queued = queue_targets(settings, celery, targets)
    except OSError as exc:  # a missing file stops before anything is queued
        console.print(f"[red]{exc}")
        raise typer.Exit(2) from exc
    out.print(f"queued {len(queued)}")
    if wait:
        missing = wait_indexed(open_backend(settings), queued, timeout)
        if missing:
            console.print(f"[red]{len(missing)} not indexed within {timeout:.0f} s")
            raise typer.Exit(1)
        out.print(f"indexed {len(queued)}")


def _read_target(target: str) -> tuple[bytes, str, str | None]:
    if is_url(target):
        response = httpx.get(target, timeout=30, follow_redirects=True)
        response.raise_for_status()
        return response.content, str(response.url), response.headers.get("content-type")
    path = Path(target)
    return path.read_bytes(), file_url(path), None


@app.command()
def extract(
    targets: Annotated[list[str], typer.Argument(help="Files or http(s) URLs")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document per line")] = False,
) -> None:
    """Process documents without indexing them and print the result."""
    import datetime as dt
    import hashlib

    failed = False
    for target in targets:
        try:
            body, url, content_type = _read_target(target)
        except (OSError, httpx.HTTPError) as exc:
            console.print(f"[red]{target}: {exc}")
            failed = True
            continue
        doc = process(
            body, url=url, content_sha256=hashlib.sha256(body).hexdigest(),
            fetched_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            content_type=content_type,
        )
        record = doc.model_dump(mode="json", exclude={"tokens", "sub_tokens"})
        if as_json:
            out.print(json.dumps(record, ensure_ascii=False), highlight=False, markup=False)
        else:
            table = Table(title=target, show_header=False)
            for name in ("title", "doc_type", "report_year", "publish_date", "issuer", "status"):
                table.add_row(name, str(record.get(name)))
            table.add_row("region", json.dumps(record["region"], ensure_ascii=False))
            out.print(table)
    if failed:
        raise typer.Exit(1)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Query (see docs/search.md)")] = "",
    size: Annotated[int, typer.Option(min=1, max=100)] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="The API's response as JSON")] = False,
) -> None:
    """Search the index of this data directory."""
    from fazhi_shared.search.query import QuerySyntaxError

    settings = get_settings()
    try:
        result = open_backend(settings).search(SearchRequest(q=query, size=size))
    except QuerySyntaxError as exc:
        console.print(f"[red]malformed query: {exc}")
        raise typer.Exit(2) from exc
    if as_json:
        out.print(result.model_dump_json(), highlight=False, markup=False)
        return
    table = Table(title=f"{result.total} documents")
    for col in ("year", "title", "issuer", "snippet"):
        table.add_column(col)
    for hit in result.hits:
        snippet = (hit.snippets[0] if hit.snippets else "").replace("<em>", "[bold]").replace("</em>", "[/bold]")
        table.add_row(str(hit.report_year or ""), hit.title or "", hit.issuer or "", snippet)
    out.print(table)


analytics_commands.register(app)

@app.command()
def discover(
    list_url: Annotated[str, typer.Argument(help="A list page (HTML, JSON API, JSONP or script)")],
    as_json: Annotated[bool, typer.Option("--json", help="One {url, title, date} per line")] = False,
    max_pages: Annotated[int | None, typer.Option(help="Pagination limit")] = None,
) -> None:
    """Find report links on a list page, following pagination, without fetching them."""
    from fazhi_crawler.discovery import discover as run_discovery
    from fazhi_crawler.fetcher import FetchError

    if not is_url(list_url):  # else discovery reports robots.txt as unreachable for it
        console.print(f"[red]{list_url}: a list page is an http:// or https:// URL")
        raise typer.Exit(2)
    settings = get_settings()
    table = Table(title=list_url)
    for col in ("date", "title", "url"):
        table.add_column(col)
    try:
        for link in run_discovery(list_url, settings, max_pages=max_pages):
            if as_json:
                out.print(json.dumps(link, ensure_ascii=False), highlight=False, markup=False)
            else:
                table.add_row(link.get("date") or "", link.get("title") or "", link.get("url") or "")
    except FetchError as exc:
        console.print(f"[red]{exc}")
        raise typer.Exit(1) from exc
    if not as_json:
        out.print(table)


@app.command()
def reprocess() -> None:
    """Process every archived document again (no network), through the running stack."""
    from fazhi_crawler.reprocess import reprocess_all

    settings = get_settings()
    count = reprocess_all(settings, _stack_celery(settings))
    out.print(f"queued {count} archived documents for processing")


@app.command()
def reindex() -> None:
    """Rebuild the index from the raw archive into a new version, then switch to it."""
    from rich.progress import Progress

    from fazhi_crawler.reprocess import archived_documents
    from fazhi_shared.archive import RawArchive
    from fazhi_shared.models import Document
    from fazhi_shared.stores.fingerprints import FingerprintIndex
    from fazhi_shared.stores.redis import redis_client

    settings = get_settings()
    archive = RawArchive(settings.archive_dir)
    payloads = list(archived_documents(settings))
    backend = open_backend(settings)
    with Progress(console=console) as progress:
        task = progress.add_task("processing the archive", total=len(payloads))

        def documents() -> Iterator[Document]:
            fingerprints = FingerprintIndex(redis_client(settings))
            for payload in payloads:
                progress.advance(task)
                doc = process(
                    archive.get(payload.content_sha256), url=payload.url,
                    content_sha256=payload.content_sha256, fetched_at=payload.fetched_at,
                    content_type=payload.content_type, source_id=payload.source_id,
                    max_bytes=settings.max_body_bytes,
                )
                if doc.simhash and doc.status == "ok":  # as the worker does
                    doc.duplicate_of = fingerprints.register(doc.id, doc.simhash)
                yield doc

        version = backend.rebuild(documents())
    out.print(f"index rebuilt from {len(payloads)} archived documents: now {version}")


if __name__ == "__main__":
    app()
