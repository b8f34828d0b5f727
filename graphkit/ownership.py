"""Ownership and control arithmetic, pure and backend-free.

Integrated ownership follows Brioschi, Buzzacchi & Colombo (1989) and Vitali, Glattfelder &
Battiston (2011): with ``W[i, j]`` the share of ``j`` that ``i`` holds directly, the share
``i`` holds through every chain — cycles and cross-holdings included — is ``X = (I − W)⁻¹ W``.
It is solved with a sparse LU factorisation, never by enumerating paths, so it scales to
hundreds of thousands of firms.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import splu

#: Tolerance for shares of one firm adding up to more than 100%.
OVER_ALLOCATION_TOLERANCE = 1e-6


@dataclass(frozen=True, slots=True)
class Stake:
    """One direct holding: ``owner`` holds ``share`` (0–1] of ``owned`` via ``rel_id``."""

    owner: str
    owned: str
    share: float
    rel_id: str


class OverAllocated(ValueError):
    """Direct shares of one entity add up to more than 100%."""

    def __init__(self, entity: str, total: float, stakes: Sequence[Stake]) -> None:
        self.entity, self.total, self.stakes = entity, total, list(stakes)
        ids = ", ".join(s.rel_id for s in stakes)
        super().__init__(f"direct shares of {entity!r} add up to {total:.1%} (> 100%): {ids}")


@dataclass
class OwnershipMatrix:
    """Direct shares as a sparse matrix over an index of entity ids."""

    ids: list[str]
    index: dict[str, int]
    direct: sp.csc_matrix
    #: The strongest stake of each (owner, owned) pair, in first-seen order.
    kept: list[Stake] = field(repr=False)
    _factor: Any = field(default=None, repr=False)

    #: Entities whose recorded direct shares add up to more than 100% (non-strict builds).
    over_allocated: list[OverAllocated] = field(default_factory=list)

    @classmethod
    def build(cls, stakes: Iterable[Stake], strict: bool = True) -> OwnershipMatrix:
        """Index the stakes; several records for one pair count once (the largest share), so
        overlapping records of the same holding are not added up.

        Raises:
            OverAllocated: shares of some entity add up to more than 100% (``strict``; else
                they are listed in ``over_allocated`` and the arithmetic goes on).
        """
        listed = list(stakes)
        # Entities are numbered as first met (one dict pass, no sort: at a million firms the
        # sort and a second round of lookups cost more than the arithmetic).
        index: dict[str, int] = {}
        number = index.setdefault
        rows = np.array([number(s.owner, len(index)) for s in listed], dtype=np.int64)
        cols = np.array([number(s.owned, len(index)) for s in listed], dtype=np.int64)
        ids = list(index)
        n = len(ids)
        share = np.fromiter(map(attrgetter("share"), listed), np.float64, len(listed))
        for i in np.flatnonzero(rows == cols)[:1].tolist():
            raise ValueError(f"self-ownership is not a stake: {listed[i].rel_id}")
        # One stake per (owner, owned) pair: the largest share, then the largest record id.
        # Arrays find the pairs at once; only the rare repeated pairs are settled in Python.
        pair = rows * max(n, 1) + cols
        order = np.argsort(pair, kind="stable")
        first = np.ones(len(order), dtype=bool)
        first[1:] = pair[order][1:] != pair[order][:-1]
        seen = order[first]  # each pair's first record (the sort is stable)
        keep = seen.copy()
        bounds = np.append(np.flatnonzero(first), len(order))
        for g in np.flatnonzero(np.diff(bounds) > 1).tolist():
            tied = order[bounds[g] : bounds[g + 1]].tolist()
            keep[g] = max(tied, key=lambda i: (listed[i].share, listed[i].rel_id))
        keep = keep[np.argsort(seen)]  # pairs in first-seen order, as the stakes came
        kept = [listed[i] for i in keep.tolist()]
        direct = sp.csc_matrix((share[keep], (rows[keep], cols[keep])), shape=(n, n), dtype=float)
        totals = np.asarray(direct.sum(axis=0)).ravel()
        over = {
            ids[j]: float(totals[j])
            for j in np.flatnonzero(totals > 1.0 + OVER_ALLOCATION_TOLERANCE)
        }
        into: dict[str, list[Stake]] = {t: [] for t in over}
        for s in kept if over else ():
            if s.owned in into:
                into[s.owned].append(s)
        problems = [OverAllocated(t, total, into[t]) for t, total in over.items()]
        if problems and strict:
            raise problems[0]
        return cls(ids, index, direct, kept, over_allocated=problems)

    @cached_property
    def stakes(self) -> dict[tuple[str, str], Stake]:
        """The strongest stake per (owner, owned) pair, for paths and evidence (built on
        first use: whole-register arithmetic does not need it)."""
        return {(s.owner, s.owned): s for s in self.kept}

    def _lu(self) -> Any:
        if self._factor is None:
            n = len(self.ids)
            self._factor = splu((sp.identity(n, format="csc") - self.direct).tocsc())
        return self._factor

    def self_share(self, entity: str) -> float:
        """The share an entity holds in itself through cycles of cross-holdings."""
        return self.integrated_in(entity).get(entity, 0.0)

    def integrated_in(self, target: str) -> dict[str, float]:
        """Every entity's integrated share of ``target`` (itself included when circular).

        Example:
            >>> m = OwnershipMatrix.build([Stake("a", "b", 0.5, "r1"), Stake("b", "a", 0.5, "r2")])
            >>> round(m.integrated_in("b")["a"], 6)  # 0.5 + 0.5·0.5·0.5 + … = 2/3
            0.666667
        """
        if target not in self.index:
            return {}
        rhs = self.direct[:, self.index[target]].toarray().ravel()
        solution = self._lu().solve(rhs)
        return {
            self.ids[i]: float(v)
            for i in np.flatnonzero(np.abs(solution) > 1e-15)
            for v in [solution[i]]
        }

    def integrated_by(self, holders: Sequence[str]) -> sp.csr_matrix:
        """Rows of ``X`` for the given holders: what each ultimately holds of every entity.

        One solve for all holders answers "how much of every firm does each state body hold,
        through every chain" for the whole register at once (columns follow ``self.ids``;
        unknown holders give empty rows).

        Example:
            >>> m = OwnershipMatrix.build([Stake("s", "a", 0.5, "r1"), Stake("a", "b", 0.5, "r2")])
            >>> x = m.integrated_by(["s"]).toarray()[0]
            >>> {m.ids[j]: float(v) for j, v in enumerate(x) if v}
            {'a': 0.5, 'b': 0.25}
        """
        n = len(self.ids)
        rows = [self.index.get(h) for h in holders]
        rhs = np.zeros((n, len(holders)))
        for col, i in enumerate(rows):
            if i is not None:
                rhs[i, col] = 1.0
        reach = _walks_from(self.direct, rhs) if n else rhs  # column h: (I − W)ᵀ⁻¹ e_h
        out = (self.direct.T @ reach).T
        out[np.abs(out) < 1e-15] = 0.0
        return sp.csr_matrix(out)

    def owners_of(self, entity: str) -> list[Stake]:
        """Direct stakes in ``entity``, largest first."""
        return sorted(
            (s for (o, t), s in self.stakes.items() if t == entity),
            key=lambda s: (-s.share, s.owner),
        )

    def has_owners(self, entity: str) -> bool:
        """Whether any recorded stake is held in ``entity``."""
        j = self.index.get(entity)
        return j is not None and self.direct[:, j].nnz > 0


#: Terms of the walk series tried before falling back to a sparse LU factorisation.
SERIES_TERMS = 500


def _walks_from(direct: sp.csc_matrix, rhs: Any) -> Any:
    """``(I − W)ᵀ⁻¹ rhs``: the sum over walks of every length out of the holders in ``rhs``.

    Why: registers are nearly acyclic and stakes below 100% damp every cycle, so the series
    ``Σ (Wᵀ)ᵏ rhs`` dies out after about as many terms as the longest chain (tens), each one
    sparse product; that beats factorising a million-row matrix. When it has not died out
    after :data:`SERIES_TERMS` terms (a cycle of near-total cross-holdings), the LU solve
    gives the exact answer instead.
    """
    step = direct.T.tocsr()
    total = rhs.copy()
    term = rhs
    for _ in range(SERIES_TERMS):
        term = step @ term
        total += term
        if term.size == 0 or (term.max() <= 1e-17 and term.min() >= -1e-17):
            return total
    n = direct.shape[0]
    return splu((sp.identity(n, format="csc") - direct).T.tocsc()).solve(rhs)


def brute_force_integrated(
    stakes: Sequence[Stake], target: str, max_len: int = 60
) -> dict[str, float]:
    """Sum of share products over every walk into ``target`` up to ``max_len`` hops.

    The series converges geometrically, so for small graphs this approximates the matrix
    answer closely; it exists to check :meth:`OwnershipMatrix.integrated_in`.
    """
    into: dict[str, list[Stake]] = {}
    for s in stakes:
        into.setdefault(s.owned, []).append(s)
    totals: dict[str, float] = {}
    frontier = {target: 1.0}
    for _ in range(max_len):
        nxt: dict[str, float] = {}
        for node, weight in frontier.items():
            for s in into.get(node, ()):
                nxt[s.owner] = nxt.get(s.owner, 0.0) + weight * s.share
        for node, weight in nxt.items():
            totals[node] = totals.get(node, 0.0) + weight
        frontier = nxt
        if not frontier:
            break
    return totals
