"""Research queries stay bounded on pathological graphs: a long control chain is cut and
says so; betweenness on a large graph is a stated, reproducible estimate."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit import analysis
from graphkit.engine import QueryEngine
from graphkit.query import CentralityRequest, ControlRequest
from graphkit.store.embedded import EmbeddedStore
from graphkit.validate import RawRecord


def _chain(tmp_path: Path, n: int) -> QueryEngine:
    engine = QueryEngine(EmbeddedStore(tmp_path / "chain.db"))
    records = [RawRecord("sources", {"id": "s", "title": "Register", "date": "2020"})]
    records += [
        RawRecord("entities", {"id": f"c{i:04d}", "kind": "Company", "name": f"C{i}"})
        for i in range(n)
    ]
    records += [
        RawRecord(
            "relationships",
            {
                "type": "CONTROLS",
                "source": f"c{i + 1:04d}",
                "target": f"c{i:04d}",
                "evidence": [{"source": "s", "excerpt": "controls"}],
            },
        )
        for i in range(n - 1)
    ]
    engine.ingest(records)
    return engine


def test_a_long_control_chain_is_cut_and_says_so(tmp_path: Path) -> None:
    engine = _chain(tmp_path, 120)
    res = engine.control(ControlRequest(entity="c0000"))
    assert res.truncated and len(res.chain) == analysis.OWNERSHIP_DEPTH
    short = engine.control(ControlRequest(entity="c0100"))
    assert not short.truncated and short.ultimate_controller is not None
    assert short.ultimate_controller.id == "c0119"


def test_betweenness_on_a_large_graph_is_a_stated_reproducible_estimate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = _chain(tmp_path, 300)
    exact = engine.centrality(CentralityRequest(top=5))
    assert exact.betweenness_method.startswith("exact")
    monkeypatch.setattr(analysis, "EXACT_BETWEENNESS", 100)
    monkeypatch.setattr(analysis, "BETWEENNESS_PIVOTS", 50)
    first = engine.centrality(CentralityRequest(top=5))
    assert first.betweenness_method.startswith("estimated from 50")
    assert engine.centrality(CentralityRequest(top=5)) == first


def test_betweenness_equals_networkx_and_stops_early_past_its_deadline() -> None:
    """Chunked exact betweenness is networkx's; a run that cannot end in time is refused
    as soon as its pace shows it, with an estimate, instead of running on."""
    import random
    import time

    import networkx as nx

    from graphkit import centrality
    from graphkit.errors import BoundExceeded

    rng = random.Random(1)
    graph: nx.DiGraph[str] = nx.DiGraph()
    for u, v in nx.gnp_random_graph(300, 0.02, seed=3, directed=True).edges:
        graph.add_edge(str(u), str(v), distance=rng.choice([0.1, 0.5, 0.2231435513142097, 1.0]))
    reference = nx.betweenness_centrality(graph, weight="distance")
    ours = centrality.betweenness(graph, None, time.monotonic() + 60)
    assert ours.keys() == reference.keys()
    assert all(abs(ours[n] - reference[n]) < 1e-12 for n in ours)

    started = time.monotonic()
    with pytest.raises(BoundExceeded, match=r"needs about \d+ s") as info:
        centrality.betweenness(graph, None, time.monotonic() + 0.001)
    assert info.value.bound == "time"
    assert time.monotonic() - started < 1.0
