"""Property-based requests generated from our own OpenAPI: no input may cause a 5xx."""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from api.app import create_app
from graphkit.engine import QueryEngine
from graphkit.settings import Settings
from graphkit.store.embedded import EmbeddedStore
from ingest.curated import read_curated
from tests.conftest import SEED

warnings.filterwarnings("ignore", message=".*httpx2.*")
KEY = "fuzz-key"


def _app():  # type: ignore[no-untyped-def]
    path = Path(tempfile.mkdtemp(prefix="graphkit-fuzz-")) / "fuzz.db"
    cfg = Settings(store=path, api_keys=[KEY], time_budget=5.0)
    engine = QueryEngine(EmbeddedStore(path), cfg)
    engine.ingest(read_curated(SEED))
    return create_app(cfg, engine=engine)


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:
    case.call_and_validate(headers={"X-API-Key": KEY}, checks=[not_a_server_error])
