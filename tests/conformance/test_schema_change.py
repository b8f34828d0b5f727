"""A store written under one schema table answers like a fresh load under a changed one.

The change is made as a developer makes it: in a copy of the package, a relationship type
and an entity kind are inserted in the middle of their enums (so every later one moves) and
an influence strength is edited. Opened by the changed code, an existing store notices the
new schema fingerprint and re-derives what it stored; its answers must equal a fresh load.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graphkit.engine import QueryEngine
from graphkit.schema import fingerprint
from graphkit.store.embedded import EmbeddedStore
from graphkit.store.neo4j import Neo4jStore
from ingest import read_path
from tests import backends
from tests.conftest import ROOT

SEED = ROOT / "data" / "seed"

PROBE = Path(__file__).with_name("changed_schema_probe.py")


def _changed_copy(tmp: Path) -> Path:
    """The package with LEASES and Vessel (and its style) inserted mid-enum and
    AGREEMENT_WITH at 0.9."""
    copy = tmp / "changed"
    shutil.copytree(
        ROOT / "graphkit", copy / "graphkit", ignore=shutil.ignore_patterns("*.nb*", "__pycache__")
    )
    shutil.copytree(ROOT / "cypher", copy / "cypher")
    schema = copy / "graphkit" / "schema.py"
    text = schema.read_text(encoding="utf-8")
    edits = [
        ('    OWNS = "OWNS"\n', '    OWNS = "OWNS"\n    LEASES = "LEASES"\n'),
        ('    LAW = "Law"\n', '    VESSEL = "Vessel"\n    LAW = "Law"\n'),
        (
            "        RelSpec(\n            RelType.OWNS,\n",
            "        RelSpec(\n            RelType.LEASES,\n            ORGS,\n"
            "            ASSETS,\n            _F,\n            Strength(0.3),\n"
            '            "{source} leases {target}",\n            "A lease.",\n        ),\n'
            "        RelSpec(\n            RelType.OWNS,\n",
        ),
        (
            "    Role.OPERATION: (_T.OPERATES,),\n",
            "    Role.OPERATION: (_T.OPERATES, _T.LEASES),\n",
        ),
        # A new kind needs its drawing style (the table refuses to load without one).
        (
            '    EntityKind.LOCATION: KindStyle("#8C6D31", "dot"),\n',
            '    EntityKind.LOCATION: KindStyle("#8C6D31", "dot"),\n'
            '    EntityKind.VESSEL: KindStyle("#44AA99", "dot"),\n',
        ),
        (
            '            _B,\n            Strength(0.5),\n            "{source} has an agreement',
            '            _B,\n            Strength(0.9),\n            "{source} has an agreement',
        ),
    ]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    schema.write_text(text, encoding="utf-8")
    return copy


def _run_changed(copy: Path, backend: str, existing: str, fresh: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": f"{copy}{os.pathsep}{ROOT}"}
    if backend == "neo4j":
        env["NEO4J_URI"] = os.environ["GRAPHKIT_TEST_NEO4J_URI"]
    done = subprocess.run(
        [sys.executable, str(PROBE), str(copy), backend, existing, fresh, str(SEED)],
        env=env,
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _current_answers(engine: QueryEngine) -> list[dict[str, object]]:
    from graphkit.query import ExposureRequest, PathsRequest, ReachRequest

    return [
        engine.reach(
            ReachRequest(target="rotterdam-port-logistics-data", as_of=day)  # type: ignore[arg-type]
        ).model_dump(mode="json")
        for day in ("2020-01-01", "2026-11-30")
    ] + [
        engine.exposure(ExposureRequest(source="cn-government")).model_dump(mode="json"),
        engine.paths(PathsRequest(source="cn-government", target="fedasil", k=5)).model_dump(
            mode="json"
        ),
    ]


def test_embedded_store_follows_a_schema_change(tmp_path: Path) -> None:
    existing = tmp_path / "existing.db"
    engine = QueryEngine(EmbeddedStore(existing))
    engine.ingest(read_path(SEED))
    before = _current_answers(engine)
    engine.store.close()

    out = _run_changed(_changed_copy(tmp_path), "embedded", str(existing), str(tmp_path / "f.db"))
    assert out["fingerprint"] != fingerprint()
    assert out["reopened"] == out["fresh"]
    assert out["fresh"] != before  # the changed strength changes the ranking: a real test


@pytest.mark.neo4j
def test_neo4j_store_follows_a_schema_change(tmp_path: Path, neo4j_engine: QueryEngine) -> None:
    store = neo4j_engine.store
    assert isinstance(store, Neo4jStore)
    store.wipe()
    backends._current.pop("neo4j", None)  # noqa: SLF001 - the shared server is reloaded next
    try:
        neo4j_engine.ingest(read_path(SEED))
        before = _current_answers(neo4j_engine)
        out = _run_changed(_changed_copy(tmp_path), "neo4j", "-", "-")
    finally:
        store.wipe()  # leave the shared server empty, under this code's fingerprint
    assert out["reopened"] == out["fresh"]
    assert out["fresh"] != before
