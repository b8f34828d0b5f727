"""Influence arcs as compressed sparse rows, and the best-path search vectorised over them.

Why: a giant answer (most of a million-node graph) has to be found, ranked and paged in
tens of milliseconds, which a walk over Python dicts cannot do. The search is the same
layered Bellman–Ford as :func:`graphkit.traversal.best_paths_layered`, with the same total
order (strongest, then fewest hops, then the smallest relationship-id sequence from the
anchor outward), one compiled pass per layer (:mod:`graphkit.kernels`); answers are
identical by construction and by test.

Nodes and relationships are numbered in id order, so "smaller id" is "smaller number".
"""

from __future__ import annotations

import io
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt

from graphkit.errors import BoundExceeded
from graphkit.filters import REL_TYPES, ResolvedFilters, column_mask
from graphkit.idtable import IdTable
from graphkit.kernels import (
    ARC_OTHER,
    ARC_REL,
    ARC_WEIGHT,
    BEST,
    LABEL,
    collect,
    collect_scan,
    grow,
    new_rows,
    relax,
    reset,
    search_layers,
    settle,
    trace,
)
from graphkit.profiles import Weights
from graphkit.schema import RELATIONSHIPS, Confidence, EntityKind, Flow
from graphkit.settings import SEARCH_THREADS
from graphkit.traversal import STRENGTH_SCALE, Arc

IntArray = npt.NDArray[np.int64]
I32Array = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Codes of the closed vocabularies, in declaration order.
KINDS: tuple[EntityKind, ...] = tuple(EntityKind)
_TYPE_CODE = {t: i for i, t in enumerate(REL_TYPES)}
_KIND_CODE = {k: i for i, k in enumerate(KINDS)}
_FORWARD = np.array(
    [RELATIONSHIPS[t].flow in (Flow.FORWARD, Flow.BOTH) for t in REL_TYPES], dtype=bool
)
_REVERSE = np.array(
    [RELATIONSHIPS[t].flow in (Flow.REVERSE, Flow.BOTH) for t in REL_TYPES], dtype=bool
)
_MASK_CACHE = 8
#: Profiles whose weighed arcs an index keeps (each is a copy of the arcs).
_PROFILE_CACHE = 2
#: Labels a search may find in one compiled call before it returns to check its deadline (a
#: layer of this size takes a few milliseconds).
COMPILED_LABELS = 20_000
#: A layer whose frontier has this many nodes is relaxed by the index's threads, each owning a
#: range of heads (a giant layer is bound by memory misses, which cores take in parallel).
PARALLEL_FRONTIER = 20_000
#: A search with labels for at least one node in SCAN_SHARE collects them by streaming every
#: node row (sequential, ~64 bytes a node) rather than one scattered read per label.
SCAN_SHARE = 4
#: Threads a giant layer uses by default (the usable cores, or GRAPHKIT_SEARCH_THREADS).
_THREADS = SEARCH_THREADS
#: Most pool threads: enough for any index's ranges (idle ones cost nothing).
_POOL = 63
_helper: ThreadPoolExecutor | None = None
_helper_lock = threading.Lock()
#: The anchor's strength, as the first frontier's (read-only: the kernels never write it).
_ONE = np.ones(1, dtype=np.float64)


def day_numbers(values: Sequence[str | None], missing: int) -> I32Array:
    """ISO days (``YYYY-MM-DD``) as day numbers; ``None`` becomes ``missing``.

    >>> day_numbers(["1970-01-02", None], -1).tolist()
    [1, -1]
    """
    distinct = {v for v in values if v is not None}  # few: parse each once
    days = np.array(sorted(distinct), dtype="datetime64[D]").astype(np.int64)
    lookup: dict[str | None, int] = dict(zip(sorted(distinct), days.tolist(), strict=True))
    lookup[None] = missing
    return np.array([lookup[v] for v in values], dtype=np.int32)


@dataclass
class Columns:
    """What traversal needs about every node and relationship, in id order."""

    node_ids: IdTable
    node_kind: npt.NDArray[np.int8]
    rel_ids: IdTable
    rel_type: npt.NDArray[np.int8]
    rel_source: I32Array
    rel_target: I32Array
    strength: FloatArray
    since: I32Array
    until: I32Array
    confidence: FloatArray
    known: I32Array
    #: The recorded share (NaN: unknown) and the confidence level's place in
    #: :class:`Confidence` (-1: a number, held in ``confidence``): what an influence profile
    #: needs to weigh a relationship again without reading its record.
    share: FloatArray
    conf_kind: npt.NDArray[np.int8]


_ARRAYS = (
    "node_kind",
    "rel_type",
    "rel_source",
    "rel_target",
    "strength",
    "since",
    "until",
    "confidence",
    "known",
    "share",
    "conf_kind",
)
#: Codes of the confidence levels, in declaration order (``conf_kind``).
CONF_LEVELS: tuple[Confidence, ...] = tuple(Confidence)
_SHARE_RULE = np.array([RELATIONSHIPS[t].strength.share for t in REL_TYPES], dtype=bool)
_BY_CONFIDENCE = np.array([RELATIONSHIPS[t].strength.by_confidence for t in REL_TYPES], dtype=bool)


def weighed(cols: Columns, weights: Weights) -> FloatArray:
    """Every relationship's hop strength under a profile: the schema's rule (share when the
    type takes one and it is known, else the type's value; times the confidence factor), as
    :meth:`graphkit.profiles.Weights.weigh` computes it for one relationship."""
    values = np.array(weights.values, dtype=np.float64)
    factors = np.array(weights.factors, dtype=np.float64)
    t = cols.rel_type.astype(np.int64)
    known_share = _SHARE_RULE[t] & ~np.isnan(cols.share)
    base = np.where(known_share, cols.share, values[t])
    factor = np.where(cols.conf_kind >= 0, factors[np.maximum(cols.conf_kind, 0)], cols.confidence)
    out: FloatArray = np.where(_BY_CONFIDENCE[t], base * factor, base)
    return out


def columns_to_blobs(cols: Columns) -> dict[str, bytes]:
    """The columns as named byte strings (the id tables' packed text, the arrays as .npy)."""
    out: dict[str, bytes] = {}
    for name in ("node_ids", "rel_ids"):
        table: IdTable = getattr(cols, name)
        out[name] = table.blob
    for name in _ARRAYS:
        buf = io.BytesIO()
        np.save(buf, getattr(cols, name), allow_pickle=False)
        out[name] = buf.getvalue()
    return out


def columns_from_blobs(blobs: Iterable[tuple[str, bytes]]) -> Columns:
    """Inverse of :func:`columns_to_blobs`, from (name, blob) pairs read one at a time, so
    opening a large store holds one blob beside the columns, not all of them.

    Raises:
        KeyError: a column is missing.
    """
    values: dict[str, Any] = {}
    for name, blob in blobs:
        if name in ("node_ids", "rel_ids"):
            values[name] = IdTable.from_blob(bytes(blob))
        elif name in _ARRAYS:
            values[name] = np.load(io.BytesIO(blob), allow_pickle=False)
    missing = {"node_ids", "rel_ids", *_ARRAYS} - values.keys()
    if missing:
        raise KeyError(f"snapshot lacks {', '.join(sorted(missing))}")
    return Columns(**values)


def _grouped(keys: I32Array, n: int) -> IntArray:
    """Where each key's rows begin once rows are grouped by key (``n + 1`` entries)."""
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n), out=indptr[1:])
    return indptr


@dataclass
class Reached:
    """Best labels of one search, for reached nodes only; ranks and rebuilds paths only for
    the page asked for."""

    index: ArcIndex
    nodes: IntArray
    strength: FloatArray
    key: IntArray
    hops: npt.NDArray[np.int16]
    label: IntArray
    lab_parent: IntArray
    lab_rel: IntArray

    def ids(self) -> list[str]:
        """Ids of every reached node."""
        return self.index.node_ids.take(self.nodes)

    def ranked(
        self, kinds: Iterable[EntityKind] | None, offset: int, limit: int
    ) -> tuple[int, list[tuple[str, float, tuple[str, ...]]]]:
        """How many reached nodes have one of ``kinds``, and the page in canonical order."""
        rows = np.arange(len(self.nodes))
        if kinds is not None:
            wanted = np.zeros(len(KINDS), dtype=bool)
            wanted[[_KIND_CODE[k] for k in kinds]] = True
            rows = rows[wanted[self.index.cols.node_kind[self.nodes]]]
        total = len(rows)
        need = offset + limit
        if need <= 0 or offset >= total:
            return total, []
        neg = -self.key[rows]
        if need < total:  # only the strongest ``need`` (and whatever ties the last) are sorted
            cut = np.partition(neg, need - 1)[need - 1]
            rows, neg = rows[neg <= cut], neg[neg <= cut]
        order = np.lexsort((self.nodes[rows], self.hops[rows], neg))
        page = rows[order[offset:need]]
        flat, offsets = trace(self.label[page], self.lab_parent, self.lab_rel)
        flat_ids = self.index.rel_ids.take(flat.tolist())
        bounds = offsets.tolist()
        return total, [
            (name, strength, tuple(flat_ids[bounds[j] : bounds[j + 1]]))
            for j, (name, strength) in enumerate(
                zip(
                    self.index.node_ids.take(self.nodes[page].tolist()),
                    self.strength[page].tolist(),
                    strict=True,
                )
            )
        ]


class _Scratch(threading.local):
    """Per-thread node rows, kept at rest between searches (only touched rows are reset),
    so a small search costs no O(nodes) fill."""

    size = -1

    def ensure(self, n: int) -> None:
        if self.size != n:
            self.rows = new_rows(n)
            self.frows = self.rows.view(np.float64)
            self.size = n


def _packed(keys: I32Array, others: I32Array, rels: I32Array, weight: FloatArray) -> IntArray:
    """Arc rows (other end, relationship, weight bits) side by side for the kernels, grouped
    by ``keys`` (the node whose arcs they are), each node's arcs ascending by their other end
    (then by relationship).

    Why: the threads of a giant layer each own a range of nodes as heads; with a node's
    arcs in head order, each finds the ones into its range by binary search and reads only
    those (see :func:`graphkit.kernels.relax`).
    """
    order = np.lexsort((rels, others, keys))
    rows = np.empty((len(others), 3), dtype=np.int64)
    rows[:, ARC_OTHER] = others[order]
    rows[:, ARC_REL] = rels[order]
    rows.view(np.float64)[:, ARC_WEIGHT] = weight[rows[:, ARC_REL]]
    return rows


def part_bounds(n: int, parts: int) -> IntArray:
    """Where each of ``parts`` ranges of node numbers begins (and the last ends).

    >>> part_bounds(10, 3).tolist()
    [0, 3, 6, 10]
    """
    return (np.arange(parts + 1, dtype=np.int64) * n) // parts


@dataclass
class ArcIndex:
    """Influence arcs in both directions over numbered nodes, with per-relationship facts."""

    cols: Columns
    #: Where each node's rows begin in ``out_arcs`` (arcs from it) and ``in_arcs`` (into it).
    out_ptr: IntArray
    in_ptr: IntArray
    out_arcs: IntArray
    in_arcs: IntArray
    #: Threads a giant layer is split over, each owning one range of heads.
    parts: int
    _masks: OrderedDict[ResolvedFilters, BoolArray] = field(default_factory=OrderedDict)
    _arc_masks: OrderedDict[tuple[ResolvedFilters, bool], BoolArray] = field(
        default_factory=OrderedDict
    )
    _scratch: _Scratch = field(default_factory=_Scratch)
    #: Per profile: its strengths and both directions' arcs packed with them.
    _weighed: OrderedDict[Weights, tuple[FloatArray, IntArray, IntArray]] = field(
        default_factory=OrderedDict
    )

    @classmethod
    def build(cls, cols: Columns, parts: int | None = None) -> ArcIndex:
        """Arcs from the flow table: forward ones tail→head, reverse ones head→tail; giant
        layers run on ``parts`` threads (default: the usable cores, see
        :data:`graphkit.settings.SEARCH_THREADS`)."""
        n = len(cols.node_ids)
        rel = np.arange(len(cols.rel_ids), dtype=np.int32)
        fwd, rev = _FORWARD[cols.rel_type], _REVERSE[cols.rel_type]
        tails = np.concatenate([cols.rel_source[fwd], cols.rel_target[rev]])
        heads = np.concatenate([cols.rel_target[fwd], cols.rel_source[rev]])
        rels = np.concatenate([rel[fwd], rel[rev]])
        return cls(
            cols,
            _grouped(tails, n),
            _grouped(heads, n),
            _packed(tails, heads, rels, cols.strength),
            _packed(heads, tails, rels, cols.strength),
            max(1, parts if parts is not None else _THREADS),
        )

    @property
    def node_ids(self) -> IdTable:
        return self.cols.node_ids

    @property
    def rel_ids(self) -> IdTable:
        return self.cols.rel_ids

    # ------------------------------------------------------------------ profiles
    def _profile(self, weights: Weights | None) -> tuple[FloatArray, IntArray, IntArray]:
        """Strengths and packed arcs under a profile (``None``: the stored strengths). Each
        profile costs one copy of the arcs, kept for the few a session uses."""
        if weights is None:
            return self.cols.strength, self.out_arcs, self.in_arcs
        hit = self._weighed.get(weights)
        if hit is None:
            strength = weighed(self.cols, weights)
            arcs = []
            for packed in (self.out_arcs, self.in_arcs):
                copy = packed.copy()
                copy.view(np.float64)[:, ARC_WEIGHT] = strength[packed[:, ARC_REL]]
                arcs.append(copy)
            hit = (strength, arcs[0], arcs[1])
            self._weighed[weights] = hit
            while len(self._weighed) > _PROFILE_CACHE:
                self._weighed.popitem(last=False)
        else:
            self._weighed.move_to_end(weights)
        return hit

    # ------------------------------------------------------------------ filters
    def mask(self, f: ResolvedFilters) -> BoolArray:
        """Relationships usable under the filters (cached: a session asks the same few)."""
        if f.weights is not None:  # a profile weighs arcs; it does not change which pass
            f = replace(f, weights=None)
        hit = self._masks.get(f)
        if hit is not None:
            self._masks.move_to_end(f)
            return hit
        ok = column_mask(self.cols, f)
        self._masks[f] = ok
        while len(self._masks) > _MASK_CACHE:
            self._masks.popitem(last=False)
        return ok

    def arc_mask(self, f: ResolvedFilters, inbound: bool) -> BoolArray:
        """The filter mask laid out like one direction's packed arcs (the search reads it in
        row order instead of jumping to each relationship)."""
        if f.weights is not None:
            f = replace(f, weights=None)
        hit = self._arc_masks.get((f, inbound))
        if hit is None:
            hit = self.mask(f)[(self.in_arcs if inbound else self.out_arcs)[:, ARC_REL]]
            self._arc_masks[(f, inbound)] = hit
            while len(self._arc_masks) > _MASK_CACHE:
                self._arc_masks.popitem(last=False)
        return hit

    def arcs(self, f: ResolvedFilters) -> list[Arc]:
        """Every usable arc, ordered by relationship id then tail."""
        ok = self.mask(f)
        tails = np.repeat(np.arange(len(self.node_ids)), np.diff(self.out_ptr))
        heads, rels = self.out_arcs[:, ARC_OTHER], self.out_arcs[:, ARC_REL]
        keep = ok[rels]
        tails, heads, rels = tails[keep], heads[keep], rels[keep]
        order = np.lexsort((tails, rels))
        s = self._profile(f.weights)[0]
        tails, heads, rels = tails[order], heads[order], rels[order]
        return [
            Arc(t, h, r, w)
            for t, h, r, w in zip(
                self.node_ids.take(tails),
                self.node_ids.take(heads),
                self.rel_ids.take(rels),
                s[rels].tolist(),
                strict=True,
            )
        ]

    def view(self, f: ResolvedFilters) -> FilteredArcs:
        """The usable arcs as an :class:`graphkit.traversal.ArcSource` (for path search)."""
        return FilteredArcs(self, self.mask(f), self._profile(f.weights)[0])

    # ------------------------------------------------------------------ search
    def best_paths(
        self,
        anchor: str,
        *,
        inbound: bool,
        max_depth: int,
        min_strength: float,
        filters: ResolvedFilters,
        time_budget: float | None,
    ) -> Reached:
        """Best path between ``anchor`` and every node within ``max_depth`` hops.

        Each layer gathers the frontier's usable arcs, keeps candidates stronger than what the
        head already has, and picks per head the strongest, then the one whose path comes
        first by relationship ids (compared only between equal candidates, by walking up
        their labels). Labels are never overwritten, so a path is rebuilt exactly as found.
        """
        deadline = None if time_budget is None else time.monotonic() + time_budget
        _check(deadline, time_budget)  # the compiled first layers are bounded by label count
        _s, out_arcs, in_arcs = self._profile(filters.weights)
        ptr, arcs = (self.in_ptr, in_arcs) if inbound else (self.out_ptr, out_arcs)
        farcs = arcs.view(np.float64)
        arc_ok = self.arc_mask(filters, inbound)
        n = len(self.node_ids)
        wide = PARALLEL_FRONTIER if self.parts > 1 else n + 1  # a frontier this big: threads
        bounds = part_bounds(n, self.parts)
        root = self.node_ids.number(anchor)
        if root is None:
            raise KeyError(anchor)
        sc = self._scratch
        sc.ensure(n)
        sc.frows[root, BEST], sc.rows[root, LABEL] = 1.0, 0
        labelled: list[IntArray] = [np.array([root], dtype=np.int64)]
        lab_parent = np.full(64, -1, dtype=np.int64)  # label 0, the anchor, has none
        lab_rel = np.full(64, -1, dtype=np.int64)
        n_labels, depth, first_parent = 1, 0, 0
        frontier, frontier_s = labelled[0], _ONE
        try:
            while depth < max_depth:  # a small search is one call; a large one, one per layer
                _check(deadline, time_budget)
                if len(frontier) >= wide:
                    frontier, frontier_s, lab_parent, lab_rel = _wide_layer(
                        ptr, bounds, arcs, farcs, arc_ok, frontier, frontier_s, first_parent,
                        lab_parent, lab_rel, min_strength, depth, n_labels, sc,
                    )  # fmt: skip
                    found, first_parent = frontier, n_labels
                    depth = depth + 1 if len(frontier) else max_depth
                else:
                    depth, found, frontier, frontier_s, first_parent, lab_parent, lab_rel = (
                        search_layers(
                            ptr, arcs, farcs, arc_ok, depth, max_depth, frontier, frontier_s,
                            first_parent, lab_parent, lab_rel, n_labels,
                            n_labels + COMPILED_LABELS, wide, min_strength, STRENGTH_SCALE,
                            sc.rows, sc.frows,
                        )
                    )  # fmt: skip
                labelled.append(found)
                n_labels += len(found)
        except BaseException:
            reset(np.concatenate(labelled), sc.rows, sc.frows)
            raise
        nodes, strength, key, hops, label = _collect(np.concatenate(labelled), sc, self.parts)
        return Reached(
            self, nodes, strength, key, hops, label, lab_parent[:n_labels], lab_rel[:n_labels]
        )


def _wide_layer(
    ptr: IntArray,
    bounds: IntArray,
    arcs: IntArray,
    farcs: FloatArray,
    arc_ok: BoolArray,
    frontier: IntArray,
    frontier_s: FloatArray,
    first_parent: int,
    lab_parent: IntArray,
    lab_rel: IntArray,
    min_strength: float,
    depth: int,
    first_label: int,
    sc: _Scratch,
) -> tuple[IntArray, FloatArray, IntArray, IntArray]:
    """One giant layer (what :func:`graphkit.kernels.expand_layer` returns), split over one
    thread per range of heads in ``bounds``: the kernels release the GIL, and the ranges
    share no node row and read disjoint arcs. Heads come back ascending, as from one
    thread, so the answer is the same for any number of ranges."""
    parts = len(bounds) - 1
    pool = _pool()
    try:
        args = (arcs, farcs, arc_ok, frontier, frontier_s, first_parent, lab_parent, lab_rel,
                min_strength, STRENGTH_SCALE, sc.rows, sc.frows)  # fmt: skip
        found = _each(
            pool, [partial(relax, ptr, *args, bounds[p], bounds[p + 1]) for p in range(parts)]
        )
        offsets = np.concatenate(([0], np.cumsum([len(h) for h in found])))
        t = int(offsets[-1])
        lab_parent = grow(lab_parent, first_label + t)
        lab_rel = grow(lab_rel, first_label + t)
        new_s = np.empty(t, dtype=np.float64)
        common = (arcs, first_parent, depth, first_label, sc.rows, sc.frows, lab_parent,
                  lab_rel, new_s)  # fmt: skip
        _each(
            pool,
            [partial(settle, h, int(o), *common) for h, o in zip(found, offsets, strict=False)],
        )
    except BaseException:
        sc.size = -1  # candidate rows may be half-written: the next search starts afresh
        raise
    return np.concatenate(found), new_s, lab_parent, lab_rel


def _each(pool: ThreadPoolExecutor, calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls, all but the first on the pool and the first on this thread; their
    results in order (an error in any is raised once all have finished)."""
    later = [pool.submit(call) for call in calls[1:]]
    try:
        first = calls[0]()
    finally:
        wait(later)  # every range has finished before anything is read or raised
    return [first, *(f.result() for f in later)]


def _collect(
    labelled: IntArray, sc: _Scratch, parts: int
) -> tuple[IntArray, FloatArray, IntArray, npt.NDArray[np.int16], IntArray]:
    """Final labels of a search (:func:`graphkit.kernels.collect`, or
    :func:`graphkit.kernels.collect_scan` when labels cover a large share of the nodes), a
    large one in ``parts`` ranges of nodes."""
    n, m = sc.rows.shape[0], len(labelled)
    if m * SCAN_SHARE >= n:  # many rows hold a label: stream them all
        part: Callable[..., Any] = partial(collect_scan, sc.rows, sc.frows, STRENGTH_SCALE, m)
    else:
        part = partial(collect, labelled, sc.rows, sc.frows, STRENGTH_SCALE)
    if m < PARALLEL_FRONTIER or parts == 1:
        return part(0, n)  # type: ignore[no-any-return]
    bounds = part_bounds(n, parts)
    try:
        pieces = _each(
            _pool(), [partial(part, int(bounds[p]), int(bounds[p + 1])) for p in range(parts)]
        )
    except BaseException:
        sc.size = -1
        raise
    return tuple(np.concatenate(column) for column in zip(*pieces, strict=True))  # type: ignore[return-value]


def _pool() -> ThreadPoolExecutor:
    """The threads that take the other ranges of giant layers (started on first use; a
    thread is only made when a range needs it)."""
    global _helper
    with _helper_lock:
        if _helper is None:
            _helper = ThreadPoolExecutor(max_workers=_POOL, thread_name_prefix="graphkit")
        return _helper


def _check(deadline: float | None, time_budget: float | None) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise BoundExceeded(
            f"traversal ran past its time budget of {time_budget:g} s; narrow "
            "the query (smaller max_depth, fewer types, a higher min_strength).",
            bound="time",
        )


@dataclass
class FilteredArcs:
    """Usable arcs of one node at a time, as :class:`graphkit.traversal.Arc` objects."""

    index: ArcIndex
    ok: BoolArray
    strength: FloatArray
    #: Numbers of the nodes and relationships this view has named (a search asks again for
    #: what it was handed; only the first lookup is a binary search).
    _nodes: dict[str, int] = field(default_factory=dict)
    _rels: dict[str, int] = field(default_factory=dict)

    def number(self, node: str) -> int | None:
        """The node's number (None: not in the index)."""
        i = self._nodes.get(node)
        if i is None:
            i = self.index.node_ids.number(node)
            if i is not None:
                self._nodes[node] = i
        return i

    def rel_number(self, rel_id: str) -> int:
        """A relationship's number.

        Raises:
            KeyError: not in the index.
        """
        i = self._rels.get(rel_id)
        if i is None:
            i = self.index.rel_ids.number(rel_id)
            if i is None:
                raise KeyError(rel_id)
            self._rels[rel_id] = i
        return i

    def _arcs(self, node: str, ptr: IntArray, arcs: IntArray, inbound: bool) -> list[Arc]:
        """The node's usable arcs in relationship order."""
        i = self.number(node)
        if i is None:
            return []
        lo, hi = int(ptr[i]), int(ptr[i + 1])
        if lo == hi:
            return []
        rows = arcs[lo:hi]
        ok = self.ok
        # Plain lists: most nodes have a handful of arcs, where numpy's per-call cost rules.
        kept = sorted(
            (r, o)
            for o, r in zip(rows[:, ARC_OTHER].tolist(), rows[:, ARC_REL].tolist(), strict=True)
            if ok[r]
        )
        if not kept:
            return []
        rels, others = [r for r, _ in kept], [o for _, o in kept]
        names, ids = self.index.node_ids.take(others), self.index.rel_ids.take(rels)
        self._nodes.update(zip(names, others, strict=True))
        self._rels.update(zip(ids, rels, strict=True))
        s = self.strength
        out = []
        for name, rid, r in zip(names, ids, rels, strict=True):
            tail, head = (name, node) if inbound else (node, name)
            out.append(Arc(tail, head, rid, float(s[r])))
        return out

    def arcs_from(self, node: str) -> Sequence[Arc]:
        ix = self.index
        return self._arcs(node, ix.out_ptr, ix.out_arcs, False)

    def arcs_into(self, node: str) -> Sequence[Arc]:
        ix = self.index
        return self._arcs(node, ix.in_ptr, ix.in_arcs, True)
