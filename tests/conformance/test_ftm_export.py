"""FollowTheMoney export: valid FtM for Aleph, and a lossless round trip on every backend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from followthemoney import model

from graphkit.engine import QueryEngine
from graphkit.ftm_export import to_ftm
from graphkit.model import Batch
from graphkit.settings import Settings
from graphkit.store.embedded import EmbeddedStore
from ingest.ftm import read_ftm
from tests.conformance.datasets import ownership, seed


def _canonical(batch: Batch) -> dict[str, list[str]]:
    return {
        section: sorted(o.model_dump_json() for o in getattr(batch, section))
        for section in ("sources", "entities", "relationships")
    }


@pytest.mark.parametrize("dataset", [seed, ownership], ids=["seed", "ownership"])
def test_export_reimports_to_an_identical_graph(
    backend: QueryEngine, tmp_path: Path, dataset: object
) -> None:
    backend.ingest(dataset())  # type: ignore[operator]
    before = backend.dump()
    path = tmp_path / "export.ftm.json"
    path.write_text(
        "\n".join(
            json.dumps(r, ensure_ascii=False) for r in to_ftm(backend.records(), backend.kind_of)
        ),
        encoding="utf-8",
    )
    fresh = QueryEngine(
        EmbeddedStore(tmp_path / "reimport.db"), Settings(store=tmp_path / "reimport.db")
    )
    fresh.ingest(read_ftm(path, restore=True))
    assert _canonical(fresh.dump()) == _canonical(before)
    fresh.store.close()


def test_export_is_native_ftm_for_aleph(engine: QueryEngine) -> None:
    engine.ingest(ownership())
    engine.ingest(seed())
    records = list(to_ftm(engine.records(), engine.kind_of))
    for record in records:
        proxy = model.get_proxy(record)  # the followthemoney schema accepts every record
        assert proxy.schema.name == record["schema"]
    by_id = {r["id"]: r for r in records}
    own = by_id["OWNS:state->hold"]
    assert own["schema"] == "Ownership" and own["properties"]["percentage"] == ["80"]
    assert own["properties"]["owner"] == ["state"] and own["properties"]["asset"] == ["hold"]
    logink = by_id["HAS_ACCESS_TO:logink->rotterdam-port-logistics-data"]
    assert logink["schema"] == "UnknownLink"
    assert logink["properties"]["startDate"] == ["2019"]
    assert logink["properties"]["endDate"] == ["2025-11"]
    hik = by_id["hikvision"]
    assert hik["schema"] == "Company" and hik["properties"]["alias"] == ["海康威视"]
    assert by_id["techcrunch-china-standards-2035"]["schema"] == "Document"
