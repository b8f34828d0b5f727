"""Outages and load: 503 while Neo4j is away, recovery without a restart, concurrent reads."""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graphkit.engine import QueryEngine
from graphkit.settings import Settings
from tests.api.proxy import Proxy, free_port
from tests.backends import pair

R = "rotterdam-port-logistics-data"


@pytest.mark.neo4j
def test_backend_outage_gives_503_and_the_service_recovers(
    embedded_engines: dict[str, QueryEngine], neo4j_engine: QueryEngine
) -> None:
    pair("seed", embedded_engines, neo4j_engine)  # the seed is what Neo4j holds
    upstream = urlparse(os.environ["GRAPHKIT_TEST_NEO4J_URI"]).port or 7687
    port = free_port()
    proxy = Proxy(port, upstream)
    settings = Settings(
        backend="neo4j", neo4j_uri=f"bolt://127.0.0.1:{port}", neo4j_retry_seconds=1.0
    )
    with TestClient(create_app(settings)) as client:  # starts while Neo4j is unreachable
        down = client.get("/readyz")
        assert down.status_code == 503
        assert down.headers["content-type"].startswith("application/problem+json")
        assert client.get("/reach", params={"target": R}).status_code == 503
        assert client.get("/healthz").status_code == 200

        proxy.start()
        assert client.get("/readyz").status_code == 200
        assert client.get("/reach", params={"target": R}).json()["items"]

        proxy.stop()
        assert client.get("/reach", params={"target": R}).status_code == 503
        # Right after an outage is found, requests are answered at once, not each after
        # the driver's retries.
        started = time.monotonic()
        assert client.get("/reach", params={"target": R}).status_code == 503
        assert time.monotonic() - started < 0.5

        proxy.start()
        deadline = time.monotonic() + 20
        status = 0
        while time.monotonic() < deadline and status != 200:
            status = client.get("/reach", params={"target": R}).status_code
        assert status == 200
    proxy.stop()


def test_fifty_concurrent_reach_requests(live_server: str) -> None:
    def ask(i: int) -> tuple[int, bytes]:
        as_of = "2020-01-01" if i % 2 else "2026-11-22"
        r = httpx.get(f"{live_server}/reach", params={"target": R, "as_of": as_of}, timeout=60)
        return r.status_code, r.content

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(ask, range(50)))
    assert [s for s, _ in results] == [200] * 50
    assert len({body for s, body in results}) == 2  # one answer per date, every time
