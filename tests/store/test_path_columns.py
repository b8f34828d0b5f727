"""A server-side answer ranked on the client (PathColumns) pages exactly as a PathMap does:
same order (strength at 1e-12 half to even, hops, id in code-point order), same kind
filter, same totals, on random answers full of ties."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping

import pytest

from graphkit.schema import EntityKind
from graphkit.store.base import PathColumns, PathMap

KINDS = list(EntityKind)


def _answer(seed: int, n: int) -> tuple[PathColumns, PathMap]:
    rng = random.Random(seed)
    # Few distinct strengths (ties), some differing only past the 12th digit, ids with
    # letters from several planes so code-point order matters.
    levels = [0.5, 0.25, 0.5 * 0.5, 0.1 * 0.2, 0.02, 1e-13, 0.3 + 1e-14, 0.3]
    alphabet = ["a", "B", "z", "é", "中", "😀", "\uffff", "0"]
    ids = list({"".join(rng.choices(alphabet, k=rng.randint(1, 4))) for _ in range(n)})
    kinds = {node: rng.choice(KINDS) for node in ids}
    paths = {
        node: (rng.choice(levels), tuple(f"r{rng.randint(0, 9)}" for _ in range(rng.randint(1, 4))))
        for node in ids
    }
    order = list(ids)
    rng.shuffle(order)  # the server's order is no order

    def kinds_of(wanted: Iterable[str]) -> Mapping[str, EntityKind]:
        return {w: kinds[w] for w in wanted}

    columns = PathColumns(
        order,
        [kinds[i].value for i in order],
        [paths[i][0] for i in order],
        [paths[i][1] for i in order],
    )
    return columns, PathMap(paths, kinds_of)


@pytest.mark.parametrize("seed", range(8))
def test_pages_equal_a_path_map(seed: int) -> None:
    columns, reference = _answer(seed, 400)
    assert sorted(columns.ids()) == sorted(reference.ids())
    rng = random.Random(seed)
    for _ in range(20):
        kinds = None if rng.random() < 0.4 else rng.sample(KINDS, rng.randint(1, 4))
        offset, limit = rng.randint(0, 300), rng.randint(1, 120)
        assert columns.ranked(kinds, offset, limit) == reference.ranked(kinds, offset, limit)


def test_an_empty_answer_pages_to_nothing() -> None:
    assert PathColumns([], [], [], []).ranked(None, 0, 50) == (0, [])
    assert PathColumns([], [], [], []).ranked([EntityKind.COMPANY], 10, 5) == (0, [])
