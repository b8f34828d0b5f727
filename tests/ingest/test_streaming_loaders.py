"""Loaders stream: a big register file is read record by record, never held whole."""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphkit.engine import QueryEngine
from graphkit.errors import InvalidData
from ingest import read_path
from ingest.gleif import read_gleif
from tests.conformance.datasets import shared

N = 10_000


def _lei(i: int) -> str:
    return f"{i:018d}XX"


def _gleif_file(folder: Path) -> Path:
    """N relationship records shaped like the published golden copy, chained LEI to LEI."""
    (sample,) = json.loads(shared("gleif-golden-copy-sample", "rr-data.json").read_text())[:1]
    path = folder / "rr-big.json"
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for i in range(N):
            rec = json.loads(json.dumps(sample))
            rec["Relationship"]["StartNode"]["NodeID"] = _lei(i + 1)
            rec["Relationship"]["EndNode"]["NodeID"] = _lei(i)
            rec["Relationship"]["RelationshipType"] = "IS_DIRECTLY_CONSOLIDATED_BY"
            out.write(("," if i else "") + json.dumps(rec))
        out.write("]")
    return path


def _peak(records: Iterator[object]) -> tuple[int, int]:
    """(records read, peak bytes allocated while reading them one by one)."""
    tracemalloc.start()
    try:
        count = sum(1 for _ in records)
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_big_gleif_file_is_read_in_a_fraction_of_its_size(tmp_path: Path) -> None:
    path = _gleif_file(tmp_path)
    count, peak = _peak(read_gleif(path))
    assert count == 1 + (N + 1) + N  # the source, every LEI (placeholders), every relationship
    size = path.stat().st_size
    assert size > 7_000_000
    # What stays is the set of LEIs given placeholders (ids only): a fraction of the file,
    # where json.load would build a parsed tree several times its size.
    assert peak < size / 3, (peak, size)


def test_a_big_gleif_file_streams_into_the_store_in_batches(
    tmp_path: Path, engine: QueryEngine
) -> None:
    path = _gleif_file(tmp_path)
    batches: list[int] = []
    summary = engine.ingest_stream(
        read_path(path, "gleif"), batch_size=2_500, on_batch=lambda s: batches.append(1)
    )
    assert summary.created == {"sources": 1, "entities": N + 1, "relationships": N}
    assert len(batches) >= 8


def test_a_bad_record_deep_in_a_big_file_writes_nothing(
    tmp_path: Path, engine: QueryEngine
) -> None:
    path = _gleif_file(tmp_path)
    text = path.read_text()
    cut = text.index('"StartNode"', len(text) * 9 // 10)
    path.write_text(text[:cut] + '"StartNod"' + text[cut + len('"StartNode"') :])
    with pytest.raises(InvalidData) as info:
        engine.ingest_stream(read_path(path, "gleif"), batch_size=2_500)
    (issue,) = info.value.issues
    assert issue.field == "StartNode" and issue.line is not None and issue.line > N * 8 // 10
    assert engine.stats().entities == 0
