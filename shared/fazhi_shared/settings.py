"""Settings shared by every service and the CLI.

Every value comes from an environment variable ``FAZHI_<NAME>`` (a ``.env`` file is read too).
Build them with :func:`get_settings`; nothing here is built at import time, so tests and
commands can pass their own environment.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FAZHI_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("./data"), description="Where every piece of state lives.")
    redis_url: str | None = Field(
        None,
        description="Redis for queues and stores. Unset: the embedded Redis server that "
        "`fazhi up` started for this data directory.",
    )
    search_url: str | None = Field(
        None,
        description="Search backend. Unset: `tantivy://<data dir>/index`; an http(s):// URL "
        "selects Elasticsearch.",
    )
    es_index_prefix: str = Field("fazhi", description="Prefix of Elasticsearch index names.")
    api_keys: str | None = Field(
        None,
        description="Comma-separated API keys for write endpoints. Unset: `fazhi up` creates "
        "one and keeps it in the data directory.",
    )
    api_host: str = Field("127.0.0.1", description="Address the API listens on.")
    api_port: int = Field(8000, description="Port the API listens on.")
    redis_port: int = Field(
        0, description="Port of the embedded Redis server (0 picks a free port)."
    )
    process_concurrency: int = Field(2, description="Worker processes on the `process` queue.")
    index_batch_size: int = Field(200, description="Documents per index commit at most.")
    index_commit_interval_ms: int = Field(
        300, description="Longest wait before pending documents are committed."
    )
    task_max_retries: int = Field(5, description="Retries before a task goes to dead letters.")
    task_retry_backoff_max: int = Field(600, description="Cap of the retry backoff, seconds.")
    task_time_limit: int = Field(300, description="Hard time limit of one task, seconds.")
    visibility_timeout: int = Field(
        300,
        description="Seconds before a task taken by a worker that died is handed out again.",
    )
    max_body_bytes: int = Field(
        30_000_000, description="Largest body accepted for processing (bytes)."
    )
    webhook_allow_private: bool = Field(
        False, description="Allow webhook targets on private or loopback addresses."
    )
    log_level: str = Field("INFO", description="Log level of every service.")
    webhook_timeout: float = Field(
        15.0, description="Seconds a webhook receiver has to answer one delivery attempt."
    )
    webhook_retry_delays: str = Field(
        "5,300,1800,7200,18000,36000,36000",
        description="Seconds between webhook delivery attempts (comma-separated; one retry "
        "each, with ±20% jitter); after the last the delivery is marked failed.",
    )
    webhook_max_failures: int = Field(
        5, description="Failed deliveries in a row after which an alert is disabled."
    )
    webhook_max_response_bytes: int = Field(
        65_536, description="Bytes of a webhook receiver's response body read at most."
    )
    alerts_poll_interval: float = Field(
        0.25,
        description="Seconds between the alerts worker's checks for due retries and digests.",
    )
    alerts_concurrency: int = Field(
        8, description="Threads of the alerts worker (matching and webhook deliveries)."
    )
    webhook_host_concurrency: int = Field(
        2,
        description="Webhook attempts in flight per receiving host at most, across all "
        "workers (a slow receiver cannot hold every delivery thread).",
    )
    crawl_sources_file: Path | None = Field(
        None,
        description="YAML registry of watched sources loaded into Redis when the crawler starts "
        "(e.g. `deploy/sources.yaml`). Unset: none; sources come from `/v1/sources`.",
    )
    crawl_user_agent: str = Field(
        "FazhiWatch/0.1 (+https://github.com/fazhi-watch/fazhi-watch; rule-of-law report monitor)",
        description="User-Agent of every crawler request (and the name matched in robots.txt).",
    )
    crawl_rate_per_host: float = Field(
        1.0, gt=0, description="Requests per second per host, shared by all crawler processes "
        "(a robots.txt Crawl-delay that is longer wins)."
    )
    crawl_concurrency_per_host: int = Field(
        1, ge=1, description="Requests in flight per host at most, across all crawler processes."
    )
    crawl_connect_timeout: float = Field(10.0, description="Crawler connect timeout, seconds.")
    crawl_read_timeout: float = Field(30.0, description="Crawler read timeout, seconds.")
    crawl_max_redirects: int = Field(5, description="Redirects followed per request at most.")
    crawl_retries: int = Field(
        3, description="Retries of one request on timeouts, 429 and 5xx before it counts as failed."
    )
    crawl_retry_backoff: float = Field(
        1.0, description="First retry delay of a request, seconds (doubles each retry)."
    )
    crawl_retry_after_max: float = Field(
        120.0, description="Longest Retry-After (seconds) honoured inside one request."
    )
    crawl_robots_ttl: int = Field(86400, description="Seconds a robots.txt stays cached.")
    crawl_max_pages: int = Field(
        10, description="List pages followed per list URL at most (pagination limit)."
    )
    crawl_default_interval: int = Field(
        3600, description="Default poll interval of a source, seconds."
    )
    crawl_failure_backoff_max: int = Field(
        86400, description="Longest wait (seconds) before polling a failing source again."
    )
    crawl_poll_tick: float = Field(
        1.0, description="How often beat looks for sources due for a poll, seconds."
    )
    crawl_poll_lease: int = Field(
        120, description="Seconds a poll holds its source without progress before another "
        "crawler may take it over (a crawler killed mid-poll)."
    )

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @property
    def run_dir(self) -> Path:
        return self.data_dir / "run"

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    def effective_search_url(self) -> str:
        return self.search_url or f"tantivy://{self.index_dir}"

    def effective_redis_url(self) -> str:
        """The configured Redis, else the embedded one recorded by `fazhi up`."""
        if self.redis_url:
            return self.redis_url
        recorded = self.run_dir / "redis.url"
        if recorded.exists():
            return recorded.read_text().strip()
        raise RuntimeError(
            f"No Redis: FAZHI_REDIS_URL is unset and no embedded Redis runs for {self.data_dir} "
            "(start the stack with `fazhi up`)."
        )

    def retry_delays(self) -> list[float]:
        return [float(v) for v in self.webhook_retry_delays.split(",") if v.strip()]

    def api_key_list(self) -> list[str]:
        if self.api_keys:
            return [k.strip() for k in self.api_keys.split(",") if k.strip()]
        stored = self.data_dir / "api_key"
        return [stored.read_text().strip()] if stored.exists() else []


def get_settings(**overrides: object) -> Settings:
    return Settings(**overrides)  # type: ignore[arg-type]


def markdown_table() -> str:
    """The README's configuration table: `python -m fazhi_shared.settings`."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, info in Settings.model_fields.items():
        default = info.default
        shown = "unset" if default is None else f"`{default}`"
        rows.append(f"| `FAZHI_{name.upper()}` | {shown} | {info.description} |")
    return "\n".join(rows)


def update_readme(path: str) -> None:
    """Rewrite the table between the README's settings markers."""
    import re
    from pathlib import Path

    readme = Path(path)
    block = f"<!-- settings:start -->\n{markdown_table()}\n<!-- settings:end -->"
    text = re.sub(r"<!-- settings:start -->.*?<!-- settings:end -->", lambda _: block,
                  readme.read_text("utf-8"), flags=re.S)
    readme.write_text(text, "utf-8")


if __name__ == "__main__":
    import sys

    if len(sys.argv) > 2 and sys.argv[1] == "--readme":
        update_readme(sys.argv[2])
    else:
        print(markdown_table())  # noqa: T201
