"""Packed id tables number ids exactly as a sorted list and a dict did."""

from __future__ import annotations

import random

import numpy as np
import pytest

from graphkit.idtable import _ASKED, _GATHER, IdTable


def _ids(rng: random.Random, n: int, alphabet: str) -> list[str]:
    return sorted({"".join(rng.choices(alphabet, k=rng.randint(1, 9))) for _ in range(n)})


@pytest.mark.parametrize("alphabet", ["ab:-1", "abcdefgh0123456789:/>#.", "aé海😀-"])
@pytest.mark.parametrize("seed", range(4))
def test_numbers_and_ids_agree_with_a_list_and_a_dict(alphabet: str, seed: int) -> None:
    rng = random.Random(seed)
    ids = _ids(rng, 400, alphabet)
    table = IdTable.from_sorted(ids)
    number = {x: i for i, x in enumerate(ids)}
    assert len(table) == len(ids) and list(table) == ids and table[:] == ids
    assert [table[i] for i in range(len(ids))] == ids and table[-1] == ids[-1]
    assert table.take(np.array([3, 0, 3], dtype=np.int32)) == [ids[3], ids[0], ids[3]]
    assert table[5:9] == ids[5:9] and table[::-7] == ids[::-7]
    probes = ids + _ids(rng, 400, alphabet) + ["", "\x00", "~~~~", "a" * 40]
    for probe in probes:
        assert table.number(probe) == number.get(probe), probe
        assert (probe in table) == (probe in number)
    again = IdTable.from_blob(bytes(bytearray(table.blob)))  # a snapshot's round trip
    assert again == table and list(again) == ids


def test_the_empty_table_and_one_id() -> None:
    empty = IdTable.from_sorted([])
    assert len(empty) == 0 and list(empty) == [] and empty.number("a") is None
    assert empty == IdTable.from_blob(b"")
    one = IdTable.from_sorted(["x"])
    assert one[0] == "x" and one.number("x") == 0 and one.number("w") is None
    with pytest.raises(IndexError):
        one[1]
    with pytest.raises(IndexError):
        one[-2]


@pytest.mark.parametrize(
    "ids",
    [["b", "a"], ["a", "a"], ["a", "", "b"], [""], ["a", "b\x00c"], ["a", "c", "b", "d"]],
)
def test_ids_out_of_order_repeated_empty_or_holding_nul_are_refused(ids: list[str]) -> None:
    with pytest.raises(ValueError):
        IdTable.from_sorted(ids)


def test_order_is_checked_across_chunks() -> None:
    ids = [f"n{i:07d}" for i in range(70_000)]
    ids[65_536], ids[65_535] = ids[65_535], ids[65_536]
    with pytest.raises(ValueError, match="out of order"):
        IdTable.from_sorted(ids)
    assert IdTable.from_sorted(sorted(ids)).number("n0065536") == 65_536


@pytest.mark.parametrize("size", [0, 1, _GATHER - 1, _GATHER, _GATHER + 1, 70_001])
def test_many_ids_are_gathered_as_one_by_one(size: int) -> None:
    """The gathered path (from _GATHER ids on, in chunks) equals slicing id by id, the
    table's last id (no NUL after it) included, in any order and with repeats."""
    ids = [f"e{i:06d}" + "é" * (i % 3) for i in range(1000)]
    table = IdTable.from_sorted(ids)
    rng = np.random.default_rng(size)
    numbers = rng.integers(0, len(ids), size)
    numbers[: min(size, 3)] = len(ids) - 1
    assert table.take(numbers) == [ids[i] for i in numbers.tolist()]
    assert table.take(numbers.astype(np.int32).tolist()) == [ids[i] for i in numbers.tolist()]
    for wrong in (np.full(60, len(ids)), np.full(_GATHER, -1), [len(ids)], [-1]):
        with pytest.raises(IndexError):
            table.take(wrong)


def test_remembered_lookups_stay_right_when_the_memo_fills() -> None:
    ids = [f"n{i:05d}" for i in range(_ASKED * 2)]
    table = IdTable.from_sorted(ids)
    for _ in range(2):
        for i in range(0, len(ids), 3):
            assert table.number(ids[i]) == i
            assert table.number(ids[i] + "x") is None
