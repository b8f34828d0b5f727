"""API fixtures: the real app over the seed dataset, on each backend.

``client`` is parametrised over ``embedded`` and ``neo4j`` and reuses the conformance suite's
loaded stores (the Neo4j one is reloaded with the seed when needed). Requests go through
FastAPI's test client: real routing, validation, dependencies and error handlers.
"""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

warnings.filterwarnings("ignore", message=".*httpx2.*")

import uvicorn  # noqa: E402
from fastapi import FastAPI  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from api.app import create_app  # noqa: E402
from graphkit.engine import QueryEngine  # noqa: E402
from graphkit.settings import Settings  # noqa: E402
from tests.api.proxy import free_port  # noqa: E402
from tests.backends import BACKENDS, pair  # noqa: E402

KEY = "test-key-1"


@pytest.fixture(params=BACKENDS)
def seed_engine(
    request: pytest.FixtureRequest, embedded_engines: dict[str, QueryEngine]
) -> QueryEngine:
    """The seed dataset on each backend."""
    if request.param == "embedded":
        return embedded_engines["seed"]
    neo = request.getfixturevalue("neo4j_engine")
    return pair("seed", embedded_engines, neo).neo4j


@pytest.fixture
def client(seed_engine: QueryEngine) -> Iterator[TestClient]:
    """The app on each backend, with one write key."""
    settings = seed_engine.settings.model_copy(update={"api_keys": [KEY]})
    with TestClient(create_app(settings, engine=seed_engine)) as c:
        yield c


def app_client(engine: QueryEngine, **settings: object) -> TestClient:
    """A client for an app with particular settings."""
    return TestClient(create_app(Settings(**settings), engine=engine))  # type: ignore[arg-type]


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """``app`` served by a real uvicorn on a loopback port, for as long as the block runs."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def live_server(seed_engine: QueryEngine) -> Iterator[str]:
    """The app served by a real uvicorn on a loopback port."""
    with serving(create_app(seed_engine.settings, engine=seed_engine)) as url:
        yield url
