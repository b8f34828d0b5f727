"""Run by a changed copy of graphkit (test_schema_change): open an existing store, then
load a fresh one, and print both answers as JSON.

    python changed_schema_probe.py COPY BACKEND EXISTING FRESH SEED
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def answers(engine: Any) -> list[Any]:
    """Reach on two days, exposure and paths on the seed data."""
    from graphkit.query import ExposureRequest, PathsRequest, ReachRequest

    reach = [
        engine.reach(ReachRequest(target="rotterdam-port-logistics-data", as_of=day))
        for day in ("2020-01-01", "2026-11-30")
    ]
    exposure = engine.exposure(ExposureRequest(source="cn-government"))
    paths = engine.paths(PathsRequest(source="cn-government", target="fedasil", k=5))
    return [r.model_dump(mode="json") for r in (*reach, exposure, paths)]


def main() -> None:
    """Answers from the reopened store and from a fresh load, under the changed schema."""
    import graphkit
    from graphkit.engine import QueryEngine
    from graphkit.schema import RelType, fingerprint
    from graphkit.settings import Settings
    from graphkit.store import open_store
    from ingest import read_path

    copy, backend, existing, fresh, seed = sys.argv[1:]
    assert graphkit.__file__.startswith(copy), graphkit.__file__
    assert list(RelType).index(RelType("LEASES")) == 1

    def settings(path: str) -> Settings:
        if backend == "embedded":
            return Settings(backend="embedded", store=Path(path))
        return Settings(backend="neo4j")

    out: dict[str, Any] = {"fingerprint": fingerprint()}
    with open_store(settings(existing)) as store:
        out["reopened"] = answers(QueryEngine(store, settings(existing)))
    with open_store(settings(fresh)) as store:
        if backend == "neo4j":
            store.wipe()  # type: ignore[attr-defined]
        engine = QueryEngine(store, settings(fresh))
        engine.ingest(read_path(Path(seed)))
        out["fresh"] = answers(engine)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
