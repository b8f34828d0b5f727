"""Fixture strategy.

Everything runs on real components: a real SQLite file per test (``tmp_path``), the real seed
dataset in ``data/seed``, the real CLI in a subprocess. Pure helpers are tested with small
inline records. ``seeded`` is module-scoped because loading the seed is the slow part and the
queries do not write.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graphkit.engine import QueryEngine
from graphkit.settings import Settings
from graphkit.store.embedded import EmbeddedStore
from ingest.curated import read_curated

#: Backend fixtures (embedded and a real Neo4j) for the conformance and API suites.
pytest_plugins = ["tests.backends"]

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "seed"
#: The date every seed test pins "today" to, so answers do not drift with the calendar.
TODAY = "2026-11-22"


@pytest.fixture
def same_first_version(monkeypatch: pytest.MonkeyPatch) -> None:
    """Embedded stores made in the test count their data versions from one start (normally
    the clock), so two files loaded alike compare equal table by table, version included."""
    monkeypatch.setattr("graphkit.store.embedded.first_generation", lambda: 1)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[QueryEngine]:
    """An empty embedded store in a fresh file."""
    settings = Settings(store=tmp_path / "graph.db")
    store = EmbeddedStore(settings.store)
    yield QueryEngine(store, settings)
    store.close()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QueryEngine]:
    """The seed dataset loaded into an embedded store (read-only use)."""
    path = tmp_path_factory.mktemp("seed") / "seed.db"
    store = EmbeddedStore(path)
    eng = QueryEngine(store, Settings(store=path))
    eng.ingest(read_curated(SEED))
    yield eng
    store.close()
