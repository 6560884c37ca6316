"""What a pipeline task waits for and retries, rather than sending to dead letters."""

from __future__ import annotations

import socket

import elasticsearch
import pytest
import redis

from fazhi_shared.celery_base import PipelineTask


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_elasticsearch_cluster_away_is_retried() -> None:
    client = elasticsearch.Elasticsearch(f"http://127.0.0.1:{_closed_port()}", max_retries=0, request_timeout=2)
    with pytest.raises(Exception) as raised:
        client.info()
    assert isinstance(raised.value, PipelineTask.autoretry_for), type(raised.value)


def test_redis_away_is_retried() -> None:
    with pytest.raises(Exception) as raised:
        redis.Redis(port=_closed_port(), socket_connect_timeout=2).ping()
    assert isinstance(raised.value, PipelineTask.autoretry_for), type(raised.value)
