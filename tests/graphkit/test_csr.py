"""The vectorised search must give exactly the answers of the reference layered search."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import numpy as np
import pytest

from graphkit.csr import KINDS, ArcIndex, Columns
from graphkit.errors import BoundExceeded
from graphkit.filters import NO_LOWER, NO_UPPER, REL_TYPES, ResolvedFilters
from graphkit.idtable import IdTable
from graphkit.schema import TRAVERSABLE, EntityKind, RelType
from graphkit.store.base import PathMap
from graphkit.traversal import best_paths, path_key

from .test_traversal import Arcs, _brute_force_best

#: Few distinct strengths, so equal-strength ties (and the id tie-break) are everywhere.
STRENGTHS = (1.0, 0.5, 0.25, 0.8, 0.4)
TYPES = (RelType.OWNS, RelType.CONTROLS, RelType.SUBSIDIARY_OF, RelType.AGREEMENT_WITH)


def _random_index(n: int, m: int, seed: int, parts: int = 1) -> ArcIndex:
    rng = random.Random(seed)
    nodes = sorted(f"n{i:02d}" for i in range(n))
    # Relationship ids in random order relative to their creation, numbered in id order.
    rels = sorted(
        (
            f"r{rng.randrange(10**6):06d}-{i}",
            rng.choice(TYPES),
            rng.randrange(n),
            rng.randrange(n),
            rng.choice(STRENGTHS),
            rng.choice((NO_LOWER, 15_000, 19_000)),
            rng.choice((NO_UPPER, NO_UPPER, 17_000)),
        )
        for i in range(m)
    )
    return _index(nodes, rels, parts)


def _index(nodes: list[str], rels: list[tuple[Any, ...]], parts: int) -> ArcIndex:
    """An index over sorted node ids and sorted (id, type, source number, target number,
    strength, since day, until day) relationships."""
    n, m = len(nodes), len(rels)
    code = {t: i for i, t in enumerate(REL_TYPES)}
    return ArcIndex.build(
        Columns(
            node_ids=IdTable.from_sorted(nodes),
            node_kind=np.array([i % len(KINDS) for i in range(n)], dtype=np.int8),
            rel_ids=IdTable.from_sorted([r[0] for r in rels]),
            rel_type=np.array([code[r[1]] for r in rels], dtype=np.int8),
            rel_source=np.array([r[2] for r in rels], dtype=np.int32),
            rel_target=np.array([r[3] for r in rels], dtype=np.int32),
            strength=np.array([r[4] for r in rels]),
            since=np.array([r[5] for r in rels], dtype=np.int32),
            until=np.array([r[6] for r in rels], dtype=np.int32),
            confidence=np.ones(m),
            known=np.full(m, NO_LOWER, dtype=np.int32),
            share=np.full(m, np.nan),
            conf_kind=np.zeros(m, dtype=np.int8),
        ),
        parts=parts,
    )


FILTERS = ResolvedFilters(
    as_of=date(2020, 1, 1), known_by=None, types=TRAVERSABLE, min_confidence=None
)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("inbound", [True, False])
@pytest.mark.parametrize("budget", [20_000, 3, 1])
@pytest.mark.parametrize("parts", [1, 2, 3, 7])
def test_vectorised_search_equals_the_reference_search(
    seed: int, inbound: bool, budget: int, parts: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Also when the search outgrows one compiled call (``COMPILED_LABELS``) and resumes, and
    when every layer, its ranking and the final collection run on ``parts`` threads, each
    owning a range of nodes (7 ranges of 2 nodes on this graph: ranges with no head, no
    arc, or one node are all here); final labels are collected label by label, or (with
    threads) by streaming every node row."""
    wide = parts > 1
    monkeypatch.setattr("graphkit.csr.COMPILED_LABELS", budget)
    monkeypatch.setattr("graphkit.csr.SCAN_SHARE", 10**9 if wide else 0)
    if wide:
        monkeypatch.setattr("graphkit.csr.PARALLEL_FRONTIER", 1)
    index = _random_index(14, 45, seed, parts)
    reference = Arcs(index.arcs(FILTERS))
    for anchor in index.node_ids[:4]:
        for depth in (1, 2, 4):
            for floor in (0.0, 0.2):
                want = best_paths(
                    reference, anchor, inbound=inbound, max_depth=depth, min_strength=floor
                )
                got = index.best_paths(
                    anchor,
                    inbound=inbound,
                    max_depth=depth,
                    min_strength=floor,
                    filters=FILTERS,
                    time_budget=None,
                )
                assert sorted(got.ids()) == sorted(want)
                total, rows = got.ranked(None, 0, 1000)
                assert total == len(want)
                for node, strength, ids in rows:
                    assert (strength, ids) == (want[node].strength, want[node].rel_ids())


@pytest.mark.parametrize("parts", [1, 2])
def test_equal_candidates_from_two_parents_go_to_the_path_first_by_relationship_ids(
    parts: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``h`` is reached as strongly through ``m1`` and through ``m2``; ``m1`` comes first
    among the nodes, but the path through ``m2`` starts with the smaller relationship id,
    so it wins (the candidates' paths are compared only when their keys are equal)."""
    monkeypatch.setattr("graphkit.csr.PARALLEL_FRONTIER", 1)
    a, h, m1, m2 = range(4)
    index = _index(
        ["a", "h", "m1", "m2"],
        [
            ("r1", RelType.OWNS, a, m2, 0.5, NO_LOWER, NO_UPPER),
            ("r2", RelType.OWNS, a, m1, 0.5, NO_LOWER, NO_UPPER),
            ("r3", RelType.OWNS, m1, h, 0.8, NO_LOWER, NO_UPPER),
            ("r4", RelType.OWNS, m2, h, 0.8, NO_LOWER, NO_UPPER),
        ],
        parts,
    )
    got = index.best_paths(
        "a", inbound=False, max_depth=3, min_strength=0.0, filters=FILTERS, time_budget=None
    )
    assert got.ranked(None, 0, 10)[1] == [
        ("m1", 0.5, ("r2",)),
        ("m2", 0.5, ("r1",)),
        ("h", 0.4, ("r1", "r4")),
    ]
    want = best_paths(Arcs(index.arcs(FILTERS)), "a", inbound=False, max_depth=3)
    assert want["h"].rel_ids() == ("r1", "r4")


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("parts", [2, 3, 7])
def test_nodes_with_many_arcs_split_between_ranges_give_the_reference_answer(
    seed: int, parts: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """About 30 arcs a node, many between the same two nodes: a thread finds a node's arcs
    into its range by binary search past 16 arcs (a scan below), and ties between parallel
    relationships are everywhere."""
    monkeypatch.setattr("graphkit.csr.PARALLEL_FRONTIER", 1)
    index = _random_index(14, 420, seed, parts)
    assert int(np.diff(index.out_ptr).max()) > 16 and int(np.diff(index.in_ptr).max()) > 16
    reference = Arcs(index.arcs(FILTERS))
    for anchor in index.node_ids[:5]:
        for inbound in (False, True):
            want = best_paths(reference, anchor, inbound=inbound, max_depth=3, min_strength=0.0)
            got = index.best_paths(
                anchor, inbound=inbound, max_depth=3, min_strength=0.0, filters=FILTERS,
                time_budget=None,
            )  # fmt: skip
            total, rows = got.ranked(None, 0, 1000)
            assert total == len(want)
            for node, strength, ids in rows:
                assert (strength, ids) == (want[node].strength, want[node].rel_ids())


@pytest.mark.parametrize("seed", range(6))
def test_vectorised_search_matches_brute_force(seed: int) -> None:
    index = _random_index(9, 22, seed)
    arcs = index.arcs(FILTERS)
    got = index.best_paths(
        index.node_ids[0],
        inbound=True,
        max_depth=4,
        min_strength=0.0,
        filters=FILTERS,
        time_budget=None,
    )
    _total, rows = got.ranked(None, 0, 100)
    want = _brute_force_best(arcs, index.node_ids[0], 4)
    assert {n: path_key(s, ids) for n, s, ids in rows} == want


@pytest.mark.parametrize("seed", range(4))
def test_paging_and_kind_filter_agree_with_the_plain_ranking(seed: int) -> None:
    index = _random_index(40, 160, seed)
    got = index.best_paths(
        index.node_ids[1],
        inbound=False,
        max_depth=5,
        min_strength=0.0,
        filters=FILTERS,
        time_budget=None,
    )
    _n, everything = got.ranked(None, 0, 10_000)
    plain = PathMap(
        {n: (s, ids) for n, s, ids in everything},
        lambda ids: {i: KINDS[index.node_ids.number(i) % len(KINDS)] for i in ids},
    )
    kinds = [EntityKind.COMPANY, EntityKind.PERSON, EntityKind.STATE_BODY]
    for wanted in (None, kinds):
        for offset, limit in ((0, 3), (2, 5), (0, 10_000), (7, 1)):
            assert got.ranked(wanted, offset, limit) == plain.ranked(wanted, offset, limit)


def test_filters_cut_arcs_by_date() -> None:
    index = _random_index(14, 60, 3)
    later = ResolvedFilters(
        as_of=date(2024, 1, 1), known_by=None, types=TRAVERSABLE, min_confidence=None
    )
    old, new = index.mask(FILTERS), index.mask(later)
    # Relationships ending in 1976 (day 17,000) are in force in neither year; starting
    # in 2022 (day 19,000) only in the later one.
    assert not (old & (index.cols.since == 19_000)).any()
    assert (new & (index.cols.since == 19_000)).any()
    assert not (new & (index.cols.until == 17_000)).any()


def test_time_budget_is_enforced() -> None:
    index = _random_index(14, 45, 1)
    with pytest.raises(BoundExceeded):
        index.best_paths(
            index.node_ids[0],
            inbound=True,
            max_depth=4,
            min_strength=0.0,
            filters=FILTERS,
            time_budget=-1.0,
        )


def test_concurrent_wide_searches_give_the_answers_of_one_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """API threads search at once: each has its own node rows, and their wide layers share
    the helper thread; no answer may change."""
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setattr("graphkit.csr.PARALLEL_FRONTIER", 1)
    index = _random_index(300, 1500, 5, parts=3)

    def answer(anchor: str, inbound: bool) -> tuple[int, list[tuple[str, float, tuple[str, ...]]]]:
        found = index.best_paths(
            anchor, inbound=inbound, max_depth=5, min_strength=0.0, filters=FILTERS,
            time_budget=None,
        )  # fmt: skip
        return found.ranked(None, 0, 10_000)

    jobs = [(a, inbound) for a in index.node_ids[:40] for inbound in (False, True)]
    alone = [answer(a, inbound) for a, inbound in jobs]
    assert sum(total for total, _ in alone) > 2000  # layers wide enough to matter
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda job: answer(*job), jobs * 3))
    assert together == alone * 3


@pytest.mark.parametrize("seed", range(3))
def test_any_number_of_ranges_gives_the_answer_of_one_thread(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A larger graph whose layers are all wide: the ranked answers with 2, 3, 5 and 7
    ranges of heads equal those of a single thread, row for row."""
    monkeypatch.setattr("graphkit.csr.PARALLEL_FRONTIER", 8)

    def answers(parts: int) -> list[tuple[int, list[tuple[str, float, tuple[str, ...]]]]]:
        index = _random_index(600, 3000, seed, parts)
        return [
            index.best_paths(
                anchor, inbound=inbound, max_depth=6, min_strength=0.0, filters=FILTERS,
                time_budget=None,
            ).ranked(None, 0, 10_000)
            for anchor in index.node_ids[:12]
            for inbound in (False, True)
        ]  # fmt: skip

    one = answers(1)
    assert sum(total for total, _ in one) > 3000  # wide enough to split
    for parts in (2, 3, 5, 7):
        assert answers(parts) == one, parts
