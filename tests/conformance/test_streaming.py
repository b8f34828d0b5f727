"""Streamed ingest: bounded batches, forward references held back, a refused batch reported
with where it stands, and the same graph as one big batch — on every backend."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from graphkit.batching import Batcher
from graphkit.engine import QueryEngine
from graphkit.errors import InvalidData
from graphkit.query import ReachRequest
from graphkit.validate import RawRecord
from tests.conformance.datasets import seed


def _answer(eng: QueryEngine) -> list[tuple[str, float, tuple[str, ...]]]:
    found = eng.reach(ReachRequest(target="port-of-rotterdam", as_of="2024-01-01", limit=200))
    return [
        (i.entity.id, i.strength, tuple(h.relationship_id for h in i.path.hops))
        for i in found.items
    ]


def test_relationships_first_in_small_batches_give_the_one_batch_graph(
    backend: QueryEngine,
) -> None:
    records = seed()
    order = {"relationships": 0, "entities": 1, "sources": 2}  # worst case: uses before defs
    backwards = sorted(records, key=lambda r: order[r.section])
    batches: list[int] = []
    summary = backend.ingest_stream(backwards, batch_size=25, on_batch=lambda s: batches.append(1))
    assert summary.created == {"sources": 5, "entities": 87, "relationships": 119}
    assert len(batches) >= 3
    streamed = _answer(backend)
    assert len(streamed) >= 2
    again = backend.ingest_stream(records, batch_size=7)
    assert again.unchanged == summary.created and sum(again.created.values()) == 0
    assert _answer(backend) == streamed


def test_a_refused_batch_says_which_and_what_was_written(backend: QueryEngine) -> None:
    good = [RawRecord("sources", {"id": "doc", "title": "Register"})] + [
        RawRecord("entities", {"id": f"c{i}", "kind": "Company", "name": f"C{i}"}) for i in range(6)
    ]
    bad = RawRecord("entities", {"id": "bad", "kind": "Spaceship", "name": "B"}, "f.csv", 9)
    with pytest.raises(InvalidData) as info:
        backend.ingest_stream([*good, bad], batch_size=4)
    assert (
        "batch 2 and later were not written; 4 records were written before it "
        "(3 entities, 1 sources)" in str(info.value)
    )
    (issue,) = info.value.issues
    assert (issue.file, issue.line, issue.field) == ("f.csv", 9, "kind")
    assert backend.stats().entities == 3


def test_a_reference_never_defined_is_reported_at_the_end(backend: QueryEngine) -> None:
    records = [
        RawRecord("sources", {"id": "doc", "title": "Register"}),
        RawRecord(
            "relationships",
            {
                "type": "OWNS",
                "source": "ghost",
                "target": "c0",
                "evidence": [{"source": "doc", "excerpt": "x"}],
            },
            "rels.csv",
            2,
        ),
        *(RawRecord("entities", {"id": f"c{i}", "kind": "Company", "name": "C"}) for i in range(5)),
    ]
    with pytest.raises(InvalidData) as info:
        backend.ingest_stream(records, batch_size=2)
    (issue,) = info.value.issues
    assert (issue.file, issue.line, issue.field) == ("rels.csv", 2, "source")
    assert "'ghost'" in issue.message


def test_check_stream_validates_across_batches_and_writes_nothing(backend: QueryEngine) -> None:
    counts = backend.check_stream(list(reversed(seed())), batch_size=10)
    assert counts == {"sources": 5, "entities": 87, "relationships": 119}
    assert backend.stats().entities == 0


def test_batches_are_cut_lazily_from_an_endless_stream() -> None:
    """Only a batch's worth is read ahead: an endless source still yields batches."""

    def endless() -> Iterator[RawRecord]:
        for i in itertools.count():
            yield RawRecord("entities", {"id": f"e{i}", "kind": "Company", "name": "E"})

    batcher = Batcher(1000, lambda ids: set(), lambda ids: set())
    first = list(itertools.islice(batcher.batches(endless()), 3))
    assert [len(b) for b in first] == [1000, 1000, 1000]
    assert first[2][-1].data["id"] == "e2999"
