"""Hand-computed answers on the synthetic datasets, asserted on every backend."""

from __future__ import annotations

import pytest

from graphkit.engine import QueryEngine
from graphkit.query import PathsRequest, ReachRequest
from tests.conformance.datasets import cycles, ties, time_travel


def _reach(eng: QueryEngine, target: str, as_of: str, **kw: object) -> dict[str, tuple]:
    res = eng.reach(ReachRequest(target=target, as_of=as_of, kinds=["Company"], **kw))  # type: ignore[arg-type]
    return {
        i.entity.id: (round(i.strength, 6), i.hops, tuple(h.relationship_id for h in i.path.hops))
        for i in res.items
    }


@pytest.mark.parametrize(
    ("as_of", "known_by", "expected"),
    [
        ("2008-01-01", None, {"old", "mid", "undated", "late"}),
        ("2026-01-01", None, {"mid", "undated", "late"}),
        ("2035-01-01", None, {"new", "mid", "undated", "late"}),
        ("2026-01-01", "2010-01-01", {"mid", "undated"}),
        ("2004-01-01", None, {"old", "late"}),
    ],
)
def test_validity_knowledge_and_ended(
    backend: QueryEngine, as_of: str, known_by: str | None, expected: set[str]
) -> None:
    backend.ingest(time_travel())
    assert set(_reach(backend, "t", as_of, known_by=known_by)) == expected


def test_cycles_and_cross_holdings(backend: QueryEngine) -> None:
    backend.ingest(cycles())
    got = _reach(backend, "t", "2020-01-01")
    assert got["c"] == (0.9, 1, ("OWNS:c->t",))
    assert got["b"] == (0.63, 2, ("OWNS:b->c", "OWNS:c->t"))
    assert got["a"] == (0.378, 3, ("OWNS:a->b", "OWNS:b->c", "OWNS:c->t"))
    # d: its agreement (0.5 × 0.8) beats the cross-holding route (0.3 × 0.8 × 0.63).
    assert got["d"] == (0.4, 1, ("AGREEMENT_WITH:d->t",))


def test_ties_prefer_fewer_hops_then_smaller_ids(backend: QueryEngine) -> None:
    backend.ingest(ties())
    got = _reach(backend, "t", "2020-01-01")
    # s: the direct hop and s→p→t are both exactly 0.5; the one with fewer hops wins.
    assert got["s"] == (0.5, 1, ("CONTROLS:s->t#z",))
    # n: two parallel hops of exactly 0.5: the smaller relationship id wins.
    assert got["n"] == (0.5, 1, ("CONTROLS:n->t#a",))
    paths = backend.paths(PathsRequest(source="s", target="t", as_of="2020-01-01", k=10))
    order = [tuple(h.relationship_id for h in p.hops) for p in paths.paths]
    assert order == [
        ("CONTROLS:s->t#z",),
        ("OWNS:s->p", "CONTROLS:p->t"),
        ("CONTROLS:s->m", "OWNS:m->t"),
        ("OWNS:s->n", "CONTROLS:n->t#a"),
        ("OWNS:s->n", "OWNS:n->t"),
    ]
    assert [round(p.strength, 6) for p in paths.paths] == [0.5, 0.5, 0.45, 0.25, 0.25]
