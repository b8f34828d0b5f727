"""Best-path semantics: product strength, tie order, exact depth bound, cycles, budgets."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence

import pytest

from graphkit.errors import BoundExceeded
from graphkit.traversal import Arc, best_paths, k_best_paths, path_key


class Arcs:
    """A tiny in-memory arc source."""

    def __init__(self, arcs: list[Arc]) -> None:
        self.out: dict[str, list[Arc]] = defaultdict(list)
        self.into: dict[str, list[Arc]] = defaultdict(list)
        for a in arcs:
            self.out[a.tail].append(a)
            self.into[a.head].append(a)

    def arcs_from(self, node: str) -> Sequence[Arc]:
        return self.out.get(node, [])

    def arcs_into(self, node: str) -> Sequence[Arc]:
        return self.into.get(node, [])


def test_strongest_path_wins_over_shorter() -> None:
    g = Arcs([Arc("a", "t", "direct", 0.3), Arc("a", "m", "r1", 0.9), Arc("m", "t", "r2", 0.9)])
    best = best_paths(g, "t", inbound=True, max_depth=5)
    assert best["a"].rel_ids() == ("r2", "r1")
    assert best["a"].strength == pytest.approx(0.81)


def test_equal_strength_goes_to_fewer_hops_then_relationship_ids() -> None:
    g = Arcs(
        [
            Arc("a", "t", "z-direct", 0.5),
            Arc("a", "m", "r1", 1.0),
            Arc("m", "t", "r2", 0.5),
            Arc("b", "t", "y", 0.4),
            Arc("b", "t", "x", 0.4),
        ]
    )
    best = best_paths(g, "t", inbound=True, max_depth=5)
    assert best["a"].rel_ids() == ("z-direct",)
    assert best["b"].rel_ids() == ("x",)


def test_depth_bound_is_exact_not_greedy() -> None:
    # The strongest route to x is 4 hops; with max_depth 3 the weaker 2-hop route must be used.
    g = Arcs(
        [
            Arc("x", "p1", "s1", 1.0),
            Arc("p1", "p2", "s2", 1.0),
            Arc("p2", "p3", "s3", 1.0),
            Arc("p3", "t", "s4", 1.0),
            Arc("x", "q", "w1", 0.2),
            Arc("q", "t", "w2", 0.2),
        ]
    )
    assert best_paths(g, "t", inbound=True, max_depth=4)["x"].hops == 4
    shallow = best_paths(g, "t", inbound=True, max_depth=3)
    assert shallow["x"].rel_ids() == ("w2", "w1")
    assert best_paths(g, "t", inbound=True, max_depth=1).keys() == {"p3", "q"}


def test_cycles_and_cross_holdings_terminate_with_simple_best_paths() -> None:
    g = Arcs(
        [
            Arc("a", "b", "ab", 0.6),
            Arc("b", "a", "ba", 0.6),
            Arc("b", "t", "bt", 0.5),
            Arc("t", "a", "ta", 0.9),
        ]
    )
    best = best_paths(g, "t", inbound=True, max_depth=10)
    assert best["a"].rel_ids() == ("bt", "ab")
    assert "t" not in best


def test_min_strength_prunes() -> None:
    g = Arcs([Arc("a", "m", "r1", 0.5), Arc("m", "t", "r2", 0.5)])
    assert set(best_paths(g, "t", inbound=True, max_depth=5, min_strength=0.3)) == {"m"}


def test_exposure_walks_forward() -> None:
    g = Arcs([Arc("s", "a", "r1", 0.5), Arc("a", "b", "r2", 0.5), Arc("c", "s", "r3", 1.0)])
    best = best_paths(g, "s", inbound=False, max_depth=5)
    assert set(best) == {"a", "b"}
    assert best["b"].rel_ids() == ("r1", "r2")


def test_filter_is_applied_per_arc() -> None:
    g = Arcs([Arc("a", "t", "bad", 0.9), Arc("a", "t", "ok", 0.1)])
    best = best_paths(g, "t", inbound=True, max_depth=2, allowed=lambda a: a.rel_id != "bad")
    assert best["a"].rel_ids() == ("ok",)


def test_k_best_paths_are_distinct_simple_and_ordered() -> None:
    g = Arcs(
        [
            Arc("s", "t", "d", 0.3),
            Arc("s", "a", "sa", 0.8),
            Arc("a", "t", "at", 0.8),
            Arc("s", "b", "sb", 0.6),
            Arc("b", "t", "bt", 0.6),
            Arc("a", "s", "as", 1.0),
        ]
    )
    found = k_best_paths(g, "s", "t", k=5, max_depth=4)
    ids = [[a.rel_id for a in p] for _s, p in found]
    assert ids == [["sa", "at"], ["sb", "bt"], ["d"]]
    keys = [path_key(s, [a.rel_id for a in p]) for s, p in found]
    assert keys == sorted(keys)
    assert [[a.rel_id for a in p] for _s, p in k_best_paths(g, "s", "t", k=1, max_depth=4)] == [
        ["sa", "at"]
    ]


def _random_graph(n: int, m: int, seed: int) -> list[Arc]:
    rng = random.Random(seed)
    return [
        Arc(
            f"n{rng.randrange(n)}",
            f"n{rng.randrange(n)}",
            f"r{i}",
            round(rng.uniform(0.05, 1.0), 3),
        )
        for i in range(m)
    ]


def _brute_force_best(arcs: list[Arc], target: str, depth: int) -> dict[str, tuple]:
    """Enumerate every walk up to ``depth`` and keep the canonical best per start node."""
    into: dict[str, list[Arc]] = defaultdict(list)
    for a in arcs:
        into[a.head].append(a)
    best: dict[str, tuple] = {}
    stack: list[tuple[str, float, tuple[str, ...]]] = [(target, 1.0, ())]
    while stack:
        node, s, ids = stack.pop()
        if len(ids) == depth:
            continue
        for a in into[node]:
            key = path_key(s * a.strength, (*ids, a.rel_id))
            if a.tail != target and (a.tail not in best or key < best[a.tail]):
                best[a.tail] = key
            stack.append((a.tail, s * a.strength, (*ids, a.rel_id)))
    return best


@pytest.mark.parametrize("seed", range(6))
def test_layered_search_matches_brute_force_on_random_graphs(seed: int) -> None:
    arcs = _random_graph(9, 22, seed)
    got = best_paths(Arcs(arcs), "n0", inbound=True, max_depth=4)
    want = _brute_force_best(arcs, "n0", 4)
    assert {n: path_key(lab.strength, lab.rel_ids()) for n, lab in got.items()} == want


def test_time_budget_stops_a_runaway_search() -> None:
    arcs = _random_graph(300, 6000, 1)
    with pytest.raises(BoundExceeded) as info:
        k_best_paths(Arcs(arcs), "n1", "n2", k=50, max_depth=10, time_budget=1e-9)
    assert info.value.bound == "time"
