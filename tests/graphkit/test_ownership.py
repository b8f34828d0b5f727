"""Integrated ownership: hand-computed cases and a property test against brute force."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.ownership import OverAllocated, OwnershipMatrix, Stake, brute_force_integrated


def _m(*stakes: tuple[str, str, float]) -> OwnershipMatrix:
    return OwnershipMatrix.build(Stake(o, t, s, f"{o}->{t}") for o, t, s in stakes)


def test_chain_multiplies() -> None:
    got = _m(("a", "b", 0.6), ("b", "c", 0.5)).integrated_in("c")
    assert got == pytest.approx({"b": 0.5, "a": 0.3})


def test_diamond_adds_both_routes() -> None:
    m = _m(("a", "b", 0.5), ("a", "c", 0.5), ("b", "d", 0.4), ("c", "d", 0.4))
    assert m.integrated_in("d")["a"] == pytest.approx(0.4)


def test_cross_holdings_are_solved_exactly() -> None:
    # a and b hold 50% of each other; a also holds 30% of t, b 20% of t.
    m = _m(("a", "b", 0.5), ("b", "a", 0.5), ("a", "t", 0.3), ("b", "t", 0.2))
    got = m.integrated_in("t")
    # a: (0.3 + 0.5·0.2) / (1 − 0.25); b: (0.2 + 0.5·0.3) / (1 − 0.25)
    assert got["a"] == pytest.approx(0.4 / 0.75)
    assert got["b"] == pytest.approx(0.35 / 0.75)
    assert m.integrated_in("b")["a"] == pytest.approx(0.5 / 0.75)
    assert m.self_share("a") == pytest.approx(0.25 / 0.75)


def test_self_loops_and_over_allocation_are_refused() -> None:
    with pytest.raises(ValueError, match="self-ownership"):
        _m(("a", "a", 0.5))
    with pytest.raises(OverAllocated) as info:
        _m(("a", "t", 0.7), ("b", "t", 0.6))
    assert info.value.entity == "t" and info.value.total == pytest.approx(1.3)


def test_duplicate_records_of_one_holding_count_once() -> None:
    m = OwnershipMatrix.build([Stake("a", "t", 0.4, "r1"), Stake("a", "t", 0.4, "r2")])
    assert m.integrated_in("t")["a"] == pytest.approx(0.4)


@st.composite
def stake_graphs(draw: st.DrawFn) -> list[Stake]:
    """Random holdings among up to 7 firms, each firm at most 90% held (so series converge)."""
    n = draw(st.integers(2, 7))
    stakes: list[Stake] = []
    for owned in range(n):
        owners = draw(
            st.lists(
                st.integers(0, n - 1).filter(lambda o, t=owned: o != t), max_size=3, unique=True
            )
        )
        budget = 0.9
        for owner in owners:
            share = draw(st.floats(0.01, 1.0)) * budget
            budget -= share
            stakes.append(Stake(f"f{owner}", f"f{owned}", share, f"r{owner}-{owned}"))
    return stakes


@settings(max_examples=120, deadline=None)
@given(stake_graphs())
def test_matrix_answer_equals_brute_force_path_sum(stakes: list[Stake]) -> None:
    if not stakes:
        return
    m = OwnershipMatrix.build(stakes)
    for target in {s.owned for s in stakes}:
        got = m.integrated_in(target)
        want = brute_force_integrated(stakes, target, max_len=400)
        assert {k for k, v in want.items() if v > 1e-9} <= set(got)
        for owner, value in want.items():
            assert got.get(owner, 0.0) == pytest.approx(value, abs=1e-7)


@settings(max_examples=60, deadline=None)
@given(stake_graphs())
def test_rows_for_holders_equal_the_per_firm_columns(stakes: list[Stake]) -> None:
    """The whole-register answer (rows per holder) agrees with per-firm solves."""
    if not stakes:
        return
    m = OwnershipMatrix.build(stakes)
    holders = sorted({s.owner for s in stakes})
    rows = m.integrated_by([*holders, "nobody"]).toarray()
    assert not rows[-1].any()
    for j, firm in enumerate(m.ids):
        column = m.integrated_in(firm)
        for h, holder in enumerate(holders):
            assert rows[h, j] == pytest.approx(column.get(holder, 0.0), abs=1e-9)


def test_near_total_cross_holdings_fall_back_to_the_exact_solve() -> None:
    """A cycle that damps too slowly for the walk series still gets the exact answer."""
    m = _m(("s", "a", 0.001), ("b", "a", 0.999), ("a", "b", 0.9999))
    row = dict(zip(m.ids, m.integrated_by(["s"]).toarray()[0].tolist(), strict=True))
    cycle = 1 / (1 - 0.999 * 0.9999)  # the series would need ~70,000 terms
    assert row["a"] == pytest.approx(0.001 * cycle, rel=1e-9)
    assert row["b"] == pytest.approx(0.001 * 0.9999 * cycle, rel=1e-9)


def test_the_largest_of_repeated_records_wins_whatever_the_order() -> None:
    stakes = [Stake("a", "t", 0.2, "r3"), Stake("b", "t", 0.1, "r1"), Stake("a", "t", 0.4, "r2")]
    m = OwnershipMatrix.build(stakes)
    assert m.stakes[("a", "t")].rel_id == "r2"
    assert list(m.stakes) == [("a", "t"), ("b", "t")]
    assert m.integrated_in("t") == pytest.approx({"a": 0.4, "b": 0.1})
