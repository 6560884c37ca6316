"""A cluster that answers but cannot serve (all shards failed, search queue full) is a 503
problem with Retry-After like a cluster that does not answer; any other error stays a 500."""

from __future__ import annotations

import httpx
import pytest

from fazhi_shared.settings import Settings
from tests.api.conftest import assert_problem, serve
from tests.es_answers import Answer, answering_cluster

# (status, error type) as Elasticsearch answers them.
ANSWERS = {
    503: "search_phase_execution_exception",  # shards unavailable: "all shards failed"
    429: "es_rejected_execution_exception",  # the search thread pool's queue is full
    400: "x_content_parse_exception",  # a request the cluster cannot read: our bug
}


def _searches_answer(status: int) -> Answer:
    def answer(path: str, body: bytes) -> tuple[int, dict] | None:
        if path.endswith("/_search"):
            return status, {"error": {"type": ANSWERS[status], "reason": "busy"}, "status": status}
        return None
    return answer


@pytest.mark.parametrize("status", [503, 429])
def test_a_cluster_that_cannot_serve_answers_503(api_settings: Settings, status: int) -> None:
    with answering_cluster(_searches_answer(status)) as cluster:
        settings = api_settings.model_copy(update={"search_url": cluster})
        with serve(settings, []) as url, httpx.Client(base_url=url, timeout=60) as client:
            answer = client.get("/v1/search", params={"q": "复议"})
            body = assert_problem(answer, 503, "Service unavailable")
            assert answer.headers["retry-after"] == "5"
            assert "ApiError" in body["detail"]


def test_a_request_the_cluster_refuses_is_still_an_internal_error(api_settings: Settings) -> None:
    with answering_cluster(_searches_answer(400)) as cluster:
        settings = api_settings.model_copy(update={"search_url": cluster})
        with serve(settings, []) as url, httpx.Client(base_url=url, timeout=60) as client:
            answer = client.get("/v1/search", params={"q": "复议"})
            body = assert_problem(answer, 500, "Internal error")
            assert "retry-after" not in answer.headers
            assert body["detail"] == "BadRequestError"
