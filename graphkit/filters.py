"""Which relationships a traversal may use, declared once as a table of clauses.

Why: the same filter runs in three forms — a test on one :class:`Relationship` (analyses
that read records), a vectorised mask over the embedded engine's columns, and a Cypher
predicate inside the Neo4j backend's queries. Each clause below holds all three side by
side, so they cannot drift apart; a property test checks that they agree on random data.
The relationship-type test belongs to the table too, but its Cypher form is the direction
block each query writes from the schema's flows (``$forward``/``$reverse``/``$both``).

This module sits below the stores: it imports only the model, the schema and profiles.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

from graphkit.model import Relationship, date_floor
from graphkit.profiles import Weights
from graphkit.schema import TRAVERSABLE, RelType, confidence_factor

if TYPE_CHECKING:
    from graphkit.query import Filters

BoolArray = npt.NDArray[np.bool_]
#: Day numbers standing in for "no bound" (dates are days since 1970-01-01).
NO_LOWER = int(np.iinfo(np.int32).min)
NO_UPPER = int(np.iinfo(np.int32).max)
#: Relationship types in code order (the embedded columns store a type as its place here).
REL_TYPES: tuple[RelType, ...] = tuple(RelType)
_TYPE_CODE = {t: i for i, t in enumerate(REL_TYPES)}


def epoch_day(d: date) -> int:
    """A date as its day number.

    >>> epoch_day(date(1970, 1, 2))
    1
    """
    return (d - date(1970, 1, 1)).days


@dataclass(frozen=True, slots=True)
class ResolvedFilters:
    """Filters with defaults filled in (today's date, the traversable types)."""

    as_of: date
    known_by: date | None
    types: frozenset[RelType]
    min_confidence: float | None
    #: With ``known_by``: whether evidence from undated sources counts.
    include_undated: bool = False
    #: An influence profile's strengths (``None``: the strengths stored with the data).
    weights: Weights | None = None

    @classmethod
    def from_request(
        cls, req: Filters, today: date | None = None, weights: Weights | None = None
    ) -> ResolvedFilters:
        """Fill defaults: ``as_of`` today, all influence-carrying types."""
        types = frozenset(req.types) & TRAVERSABLE if req.types else TRAVERSABLE
        min_conf = None if req.min_confidence is None else confidence_factor(req.min_confidence)
        return cls(
            as_of=req.as_of or today or date.today(),
            known_by=req.known_by,
            types=types,
            min_confidence=min_conf,
            include_undated=req.include_undated,
            weights=weights,
        )

    def strength(self, rel: Relationship) -> float:
        """A relationship's hop strength under these filters' profile."""
        if self.weights is None:
            return rel.strength
        return self.weights.weigh(rel.type, rel.share, rel.confidence)


class FilterColumns(Protocol):
    """The per-relationship arrays a mask reads (the embedded engine's columns): type codes
    in :data:`REL_TYPES` order, validity and first-known days as day numbers (open ends
    :data:`NO_LOWER`/:data:`NO_UPPER`; ``known`` is :data:`NO_LOWER` when no source is
    dated), and the confidence factor."""

    rel_type: npt.NDArray[np.int8]
    since: npt.NDArray[np.int32]
    until: npt.NDArray[np.int32]
    confidence: npt.NDArray[np.float64]
    known: npt.NDArray[np.int32]


@dataclass(frozen=True)
class Facts:
    """What the filters read about one relationship: the record and the day its first
    supporting source is dated (``known``; None when no source carries a date)."""

    rel: Relationship
    known: str | None


@dataclass(frozen=True)
class Clause:
    """One condition a relationship must meet, in its three forms."""

    name: str
    #: On one relationship.
    test: Callable[[Facts, ResolvedFilters], bool]
    #: On every relationship at once.
    mask: Callable[[FilterColumns, ResolvedFilters], BoolArray]
    #: Cypher on the relationship variable ``{r}`` with the parameters of
    #: :func:`cypher_parameters` (None: the query's direction block checks it).
    cypher: str | None


def _types_mask(c: FilterColumns, f: ResolvedFilters) -> BoolArray:
    allowed = np.zeros(len(REL_TYPES), dtype=bool)
    allowed[[_TYPE_CODE[t] for t in f.types]] = True
    return allowed[c.rel_type]


def _valid_mask(c: FilterColumns, f: ResolvedFilters) -> BoolArray:
    day = epoch_day(f.as_of)
    return (c.since <= day) & (c.until >= day)


def _confidence_test(x: Facts, f: ResolvedFilters) -> bool:
    return f.min_confidence is None or confidence_factor(x.rel.confidence) >= f.min_confidence


def _confidence_mask(c: FilterColumns, f: ResolvedFilters) -> BoolArray:
    if f.min_confidence is None:
        return np.ones(len(c.rel_type), dtype=bool)
    return c.confidence >= f.min_confidence


def _known_test(x: Facts, f: ResolvedFilters) -> bool:
    return known_passes(x.known, f)


def _known_mask(c: FilterColumns, f: ResolvedFilters) -> BoolArray:
    if f.known_by is None:
        return np.ones(len(c.rel_type), dtype=bool)
    dated = c.known <= epoch_day(f.known_by)
    # NO_LOWER marks relationships whose sources carry no date: kept only when asked for.
    return dated if f.include_undated else dated & (c.known != NO_LOWER)


#: The filter, clause by clause. Undated relationships pass ``as_of`` (results flag them).
CLAUSES: tuple[Clause, ...] = (
    Clause("types", lambda x, f: x.rel.type in f.types, _types_mask, None),
    Clause(
        "as_of",
        lambda x, f: x.rel.valid_on(f.as_of),
        _valid_mask,
        "({r}.since IS NULL OR {r}.since <= $as_of) AND ({r}.until IS NULL OR {r}.until >= $as_of)",
    ),
    Clause(
        "min_confidence",
        _confidence_test,
        _confidence_mask,
        "($min_confidence IS NULL OR {r}.confidence >= $min_confidence)",
    ),
    Clause(
        "known_by",
        _known_test,
        _known_mask,
        "($known_by IS NULL OR {r}.known <= $known_by OR ({r}.known IS NULL AND $include_undated))",
    ),
)


def known_passes(known: str | None, f: ResolvedFilters) -> bool:
    """Whether a relationship first known on ``known`` (None: its sources are undated) was
    known by the filters' ``known_by`` day."""
    if f.known_by is None:
        return True
    if known is None:
        return f.include_undated
    return date_floor(known) <= f.known_by


def rel_passes(rel: Relationship, f: ResolvedFilters, known: str | None) -> bool:
    """Whether a relationship may be used under the filters (every clause holds).

    Under ``known_by`` a relationship needs a supporting source dated by then (``known`` is
    the earliest such date); one whose sources carry no date passes only with
    ``include_undated``.
    """
    facts = Facts(rel, known)
    return all(clause.test(facts, f) for clause in CLAUSES)


def column_mask(cols: FilterColumns, f: ResolvedFilters) -> BoolArray:
    """Every relationship's verdict at once, in column order."""
    ok = np.ones(len(cols.rel_type), dtype=bool)
    for clause in CLAUSES:
        ok &= clause.mask(cols, f)
    return ok


@dataclass(frozen=True)
class CypherPredicate:
    """The filter's Cypher on one relationship variable; only this type may fill a query's
    ``{{filter}}`` placeholder (see :func:`graphkit.cypher.render`)."""

    text: str


def cypher_predicate(var: str = "r") -> CypherPredicate:
    """The clauses' Cypher joined with AND, on relationship variable ``var``.

    >>> "r.until >= $as_of" in cypher_predicate().text
    True
    """
    if not var.isidentifier():
        raise ValueError(f"not a Cypher variable: {var!r}")
    parts: Sequence[str] = [c.cypher.format(r=var) for c in CLAUSES if c.cypher is not None]
    return CypherPredicate("\n  AND ".join(parts))


def cypher_parameters(f: ResolvedFilters) -> dict[str, Any]:
    """The values :func:`cypher_predicate` reads (ISO dates compare in date order)."""
    return {
        "as_of": f.as_of.isoformat(),
        "known_by": f.known_by.isoformat() if f.known_by else None,
        "include_undated": f.include_undated,
        "min_confidence": f.min_confidence,
    }


@dataclass(frozen=True, slots=True)
class Traversal:
    """How far a search may go and what it may use: one value the store's three searches
    (best paths, k paths, pattern paths) take instead of the same four keywords each."""

    filters: ResolvedFilters
    max_depth: int
    min_strength: float = 0.0
    #: Seconds before the search gives up with :class:`graphkit.errors.BoundExceeded`.
    time_budget: float = 10.0
