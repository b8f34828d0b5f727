"""Research queries: hand-computed answers on every backend, and identical numbers on both."""

from __future__ import annotations

import pytest

from graphkit.engine import QueryEngine
from graphkit.query import (
    BrokersRequest,
    CentralityRequest,
    ControlRequest,
    DiffRequest,
    OwnersRequest,
)
from tests.backends import pair
from tests.conformance.datasets import ownership, seed

R = "rotterdam-port-logistics-data"


def test_owners_on_a_state_holding_with_diamond_and_cross_holding(backend: QueryEngine) -> None:
    backend.ingest(ownership())
    res = backend.owners(OwnersRequest(entity="t", as_of="2020-01-01", threshold=0.25))
    got = {o.entity.id: o for o in res.owners}
    assert got["hold"].integrated == pytest.approx(0.4)  # 0.5·0.4 + 0.5·0.4
    assert got["state"].integrated == pytest.approx(0.32) and got["state"].ultimate
    assert got["person"].integrated == pytest.approx(0.08)
    assert got["x"].integrated == pytest.approx(0.1 / 0.75)  # cross-held with y
    assert got["x"].excluding_own_cycles == pytest.approx(0.1)
    assert [o.entity.id for o in res.ultimate_owners] == ["state"]
    assert res.state_share == pytest.approx(0.32)
    # The top chains from the state, with their contributions and evidence.
    chains = got["state"].paths
    assert [round(c.contribution, 6) for c in chains] == [0.16, 0.16]
    assert all(h.evidence for c in chains for h in c.path.hops)
    (unknown,) = res.unknown_share_stakes
    assert unknown.relationship_id == "HOLDS_STAKE_IN:person->t"


def test_control_follows_explicit_control_then_majority(backend: QueryEngine) -> None:
    backend.ingest(ownership())
    res = backend.control(ControlRequest(entity="b", as_of="2020-01-01"))
    assert [(s.controller.id, s.basis) for s in res.chain] == [("state", "control")]
    assert res.state_controlled
    hold = backend.control(ControlRequest(entity="hold", as_of="2020-01-01"))
    assert [(s.controller.id, s.basis, s.share) for s in hold.chain] == [("state", "majority", 0.8)]


def test_diff_tells_the_logink_rotterdam_change(backend: QueryEngine) -> None:
    backend.ingest(seed())
    res = backend.diff(DiffRequest(target=R, from_date="2020-01-01", to_date="2026-11-22"))
    items = {i.entity.id: i for i in res.items}
    logink = items["logink"]
    assert logink.change == "changed" and res.unchanged == 1
    assert (round(logink.strength_before, 3), round(logink.strength_after, 3)) == (0.64, 0.256)
    (hop,) = logink.changed_hops
    assert hop.relationship_id == "HAS_ACCESS_TO:logink->rotterdam-port-logistics-data"
    assert not hop.active and hop.valid_to == "2025-11"
    assert {e.stance for e in hop.evidence} == {"supports", "disputes"}
    assert "no longer in force" in logink.explanation


@pytest.mark.neo4j
@pytest.mark.parametrize("dataset", ["seed", "ownership", "cycles", "zala", "bods"])
def test_research_queries_agree_across_backends(
    dataset: str, embedded_engines: dict[str, QueryEngine], neo4j_engine: QueryEngine
) -> None:
    both = pair(dataset, embedded_engines, neo4j_engine)
    anchors = {
        "seed": ("hikvision", "cn-government"),
        "ownership": ("t", "state"),
        "cycles": ("t", "a"),
        "zala": ("NK-abdzbEBkqyT29GyREbiURZ", "NK-aU5ybkbRFJucf8YMwsJvDw"),
        "bods": ("bods:31c55e425764", "bods:1accb8b18b99"),
    }[dataset]
    calls = [
        lambda e: e.owners(OwnersRequest(entity=anchors[0], as_of="2020-01-01")),
        lambda e: e.control(ControlRequest(entity=anchors[0], as_of="2020-01-01")),
        lambda e: e.centrality(CentralityRequest(as_of="2020-01-01", top=50)),
        lambda e: e.brokers(
            BrokersRequest(
                source=anchors[1], as_of="2020-01-01", target_kinds=["Company", "PublicBody"]
            )
        ),
        lambda e: e.timeline(anchors[0]),
        lambda e: e.diff(
            DiffRequest(target=anchors[0], from_date="2000-01-01", to_date="2026-11-22")
        ),
        lambda e: e.diff(
            DiffRequest(
                query="exposure", source=anchors[1], from_date="2000-01-01", to_date="2026-11-22"
            )
        ),
    ]
    for call in calls:
        assert call(both.neo4j) == call(both.embedded)


def _random_stakes(seed: int, n: int = 12) -> tuple[list, list]:
    """A seeded random holding structure (cross-holdings included) as records and stakes."""
    import random

    from graphkit.ownership import Stake
    from graphkit.validate import RawRecord

    rng = random.Random(seed)
    records = [RawRecord("sources", {"id": "reg", "title": "Register", "date": "2000"})]
    records += [
        RawRecord("entities", {"id": f"f{i}", "kind": "Company", "name": f"F{i}"}) for i in range(n)
    ]
    stakes = []
    for owned in range(n):
        budget = 0.9
        for owner in rng.sample([i for i in range(n) if i != owned], rng.randint(0, 3)):
            share = round(rng.uniform(0.05, 1.0) * budget, 4)
            budget -= share
            stakes.append(Stake(f"f{owner}", f"f{owned}", share, f"r{owner}-{owned}"))
            records.append(
                RawRecord(
                    "relationships",
                    {
                        "id": f"r{owner}-{owned}",
                        "type": "OWNS",
                        "source": f"f{owner}",
                        "target": f"f{owned}",
                        "share": share,
                        "confidence": "confirmed",
                        "evidence": [{"source": "reg", "excerpt": f"f{owner} holds {share}"}],
                    },
                )
            )
    return records, stakes


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_integrated_ownership_matches_brute_force_on_random_graphs(
    backend: QueryEngine, seed: int
) -> None:
    from graphkit.ownership import brute_force_integrated

    records, stakes = _random_stakes(seed)
    backend.ingest(records)
    for target in sorted({s.owned for s in stakes}):
        got = {
            o.entity.id: o.integrated
            for o in backend.owners(
                OwnersRequest(entity=target, as_of="2020-01-01", max_paths=0)
            ).owners
        }
        want = {
            k: v
            for k, v in brute_force_integrated(stakes, target, 400).items()
            if k != target and v > 1e-12
        }
        assert got.keys() == want.keys(), target
        for owner, value in want.items():
            assert got[owner] == pytest.approx(value, abs=1e-7)
