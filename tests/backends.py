"""Backend fixtures shared by the conformance and API suites: every backend, same datasets.

The Neo4j backend is a real server. Tests connect to ``GRAPHKIT_TEST_NEO4J_URI`` (set by
``scripts/test``, which starts a throwaway server with ``scripts/neo4j-local``) and never to
``NEO4J_URI``, because they wipe the database. Without a reachable server the Neo4j cases
are skipped with the reason on a developer machine, and fail in CI (``CI=true``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from graphkit.engine import QueryEngine
from graphkit.errors import BackendUnavailable
from graphkit.settings import Settings
from graphkit.store.embedded import EmbeddedStore
from graphkit.store.neo4j import Neo4jStore
from tests.conformance.datasets import DATASETS

BACKENDS = ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)]


def neo4j_settings() -> Settings:
    uri = os.environ.get("GRAPHKIT_TEST_NEO4J_URI")
    if not uri:
        reason = "GRAPHKIT_TEST_NEO4J_URI is not set (scripts/test starts a local Neo4j)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"Neo4j tests must run in CI: {reason}")
        pytest.skip(reason)
    return Settings(backend="neo4j", neo4j_uri=uri)  # the password: NEO4J_PASSWORD or its file


NEO4J_LOCAL = Path(__file__).resolve().parents[1] / "scripts" / "neo4j-local"


class LocalNeo4j:
    """A second throwaway server run by ``scripts/neo4j-local`` on a free port and its own
    data folder (for tests that stop it, e.g. to bulk-import into it)."""

    def __init__(self, tmp: Path, tx_memory: str = "0", tx_pool: str = "0") -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        self.uri = f"bolt://127.0.0.1:{port}"
        self.env = {
            **os.environ,
            "NEO4J_PORT": str(port),
            "NEO4J_DATA_DIR": str(tmp / "neo4j-data"),
            "NEO4J_HEAP": "512m",
            "NEO4J_PAGECACHE": "128m",
            "NEO4J_TX_MEMORY": tx_memory,  # what one transaction may use
            "NEO4J_TX_POOL": tx_pool,  # what all transactions together may use, as on Aura
            "PYTHON": sys.executable,
        }
        self.env.pop("NEO4J_URI", None)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``scripts/neo4j-local ARGS`` for this server; fails the test when it fails."""
        done = subprocess.run(
            [str(NEO4J_LOCAL), *args], env=self.env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        return done


@contextmanager
def local_neo4j(tmp: Path, tx_memory: str = "0", tx_pool: str = "0") -> Iterator[LocalNeo4j]:
    """A :class:`LocalNeo4j`, stopped afterwards; skips (or fails in CI) as Neo4j tests do."""
    neo4j_settings()
    server = LocalNeo4j(tmp, tx_memory, tx_pool)
    try:
        yield server
    finally:
        # Its data folder is the test's own: no checkpoint is worth waiting for.
        subprocess.run(
            [str(NEO4J_LOCAL), "discard"], env=server.env, capture_output=True, timeout=60
        )


def open_backend(name: str, tmp: Path) -> QueryEngine:
    """A fresh, empty store of the named backend."""
    if name == "embedded":
        settings = Settings(store=tmp / "conformance.db")
        return QueryEngine(EmbeddedStore(settings.store), settings)
    settings = neo4j_settings()
    try:
        store = Neo4jStore(settings)
    except BackendUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Neo4j tests must run in CI: {exc}")
        pytest.skip(str(exc))
    store.wipe()
    # The shared server no longer holds any dataset: pair() must load its next one again
    # (a test through this fixture may have left the seed plus its own records).
    _current.pop("neo4j", None)
    return QueryEngine(store, settings)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[QueryEngine]:
    """An empty store of each backend in turn."""
    eng = open_backend(request.param, tmp_path)
    yield eng
    eng.store.close()


class Pair:
    """The same dataset in the embedded store and in Neo4j."""

    def __init__(self, embedded: QueryEngine, neo4j: QueryEngine) -> None:
        self.embedded = embedded
        self.neo4j = neo4j


_current: dict[str, str] = {}


@pytest.fixture(scope="session")
def neo4j_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QueryEngine]:
    """One Neo4j connection for the whole session."""
    eng = open_backend("neo4j", tmp_path_factory.mktemp("neo"))
    yield eng
    eng.store.close()


class LazyEngines(dict[str, QueryEngine]):
    """One embedded store per dataset, loaded on first use (a dataset whose data is missing
    skips only the tests that use it), and loaded again into a new file when a test wrote
    to it: the next test compares against the dataset, not against what was left."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root
        self._versions: dict[str, str | None] = {}
        self._loads = 0

    def __getitem__(self, name: str) -> QueryEngine:
        eng = super().__getitem__(name)  # __missing__ loads it the first time
        if eng.store.data_version() != self._versions[name]:
            eng.store.close()
            del self[name]
            eng = super().__getitem__(name)
        return eng

    def __missing__(self, name: str) -> QueryEngine:
        self._loads += 1
        settings = Settings(store=self.root / f"{name}-{self._loads}.db")
        eng = QueryEngine(EmbeddedStore(settings.store), settings)
        try:
            eng.ingest(DATASETS[name]())
        except BaseException:
            eng.store.close()
            raise
        self[name] = eng
        self._versions[name] = eng.store.data_version()
        return eng


@pytest.fixture(scope="session")
def embedded_engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LazyEngines]:
    """Embedded stores per dataset, loaded once each, on demand."""
    engines = LazyEngines(tmp_path_factory.mktemp("emb"))
    yield engines
    for eng in engines.values():
        eng.store.close()


def pair(dataset: str, embedded_engines: dict[str, QueryEngine], neo4j_engine: QueryEngine) -> Pair:
    """Both backends holding ``dataset``: Neo4j is reloaded when the dataset changes, or
    when a test wrote to it since it was loaded (its data version moved)."""
    store = neo4j_engine.store
    assert isinstance(store, Neo4jStore)
    if _current.get("neo4j") != f"{dataset}@{store.data_version()}":
        store.wipe()
        neo4j_engine.ingest(DATASETS[dataset]())
        _current["neo4j"] = f"{dataset}@{store.data_version()}"
    return Pair(embedded_engines[dataset], neo4j_engine)
