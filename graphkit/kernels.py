"""Compiled inner loops of the array search (numba), one call per layer.

Why: a layer of a giant answer touches millions of arcs; numpy needs a dozen passes over
them, a compiled loop needs one. On a graph of millions the cost is memory misses, not
arithmetic, so everything an arc reads or writes about its head sits in one 32-byte node
row (two to a cache line): the strength the head holds (its label's, raised in place to
the best candidate's while a layer is relaxed), the candidate's order, the label number
and hops. An arc is one 24-byte row. Only touched rows are reset, so a small answer costs
time in proportion to its size, not the graph's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

#: Columns of the per-node rows (int64; BEST is read through a float64 view). BEST is the
#: strength of the node's label (-1 at rest: none), raised while a layer is relaxed to its
#: best candidate's; ORDER is that candidate's order (parent rank times relationships, plus
#: the relationship number), -1 when the node has no candidate in the layer. A node's key,
#: its strength at ``scale`` rounded half to even, is computed from BEST where needed.
BEST, ORDER, LABEL, HOPS = range(4)
ROW_COLUMNS = 4
#: Columns of the per-arc rows (int64; WEIGHT through a float64 view).
ARC_OTHER, ARC_REL, ARC_WEIGHT = range(3)
#: A node's arcs into a range of heads are found by a linear scan up to this many arcs, by
#: binary search beyond (most nodes have a handful; the search's branches cost more there).
_LINEAR_ARCS = 16


def new_rows(n: int) -> Any:
    """Per-node rows at rest: no label, no candidate."""
    rows = np.zeros((n, ROW_COLUMNS), dtype=np.int64)
    rows.view(np.float64)[:, BEST] = -1.0
    rows[:, ORDER] = -1
    rows[:, LABEL] = -1
    return rows


@njit(cache=True, nogil=True)
def expand_layer(
    ptr: Any,
    arcs: Any,
    farcs: Any,
    arc_ok: Any,
    n_rels: int,
    frontier: Any,
    frontier_rank: Any,
    label_by_rank: Any,
    strength_by_rank: Any,
    min_strength: float,
    scale: float,
    depth: int,
    first_label: int,
    rows: Any,
    frows: Any,
    last: bool,
) -> tuple[Any, Any, Any, Any, Any, Any]:
    """One layer of the search: the winning arc per improved head, applied to the labels.

    Returns the new frontier (ascending node numbers) with each one's parent label,
    relationship number and rank, and the new labels and strengths by rank (empty for the
    ``last`` layer: no layer follows to break ties by them). The three steps are separate
    kernels so a giant layer can run each on several threads, one per range of heads.
    """
    heads = relax(
        ptr, arcs, farcs, arc_ok, n_rels, frontier, frontier_rank, strength_by_rank,
        min_strength, scale, rows, frows, 0, rows.shape[0],
    )  # fmt: skip
    t = heads.shape[0]
    parents = np.empty(t, np.int64)
    rels = np.empty(t, np.int64)
    parent_rank = np.empty(t, np.int64)
    new_s = np.empty(t, np.float64)
    settle(
        heads, 0, n_rels, label_by_rank, depth, first_label, rows, frows, parents, rels,
        parent_rank, new_s,
    )  # fmt: skip
    if not last:
        rank_of, labels_out, strengths_out = rank_layer(
            frontier.shape[0], parent_rank, rels, new_s, first_label
        )
        return heads, parents, rels, rank_of, labels_out, strengths_out
    none = np.empty(0, np.int64)  # no layer follows: nothing to rank for
    return heads, parents, rels, none, none, np.empty(0, np.float64)


@njit(cache=True, nogil=True, inline="always")
def _first_head_from(arcs: Any, lo: int, hi: int, head: int) -> int:
    """The first arc in ``lo..hi`` (one node's arcs, ascending by head) to a head at or
    above ``head``."""
    if hi - lo <= _LINEAR_ARCS:
        while lo < hi and arcs[lo, ARC_OTHER] < head:
            lo += 1
        return lo
    while lo < hi:
        m = (lo + hi) >> 1
        if arcs[m, ARC_OTHER] < head:
            lo = m + 1
        else:
            hi = m
    return lo


@njit(cache=True, nogil=True)
def relax(
    ptr: Any,
    arcs: Any,
    farcs: Any,
    arc_ok: Any,
    n_rels: int,
    frontier: Any,
    frontier_rank: Any,
    strength_by_rank: Any,
    min_strength: float,
    scale: float,
    rows: Any,
    frows: Any,
    low: int,
    high: int,
) -> Any:
    """Each head in ``low <= head < high`` gets the best candidate the frontier offers it.
    A node's arcs sit in ``ptr[node]..ptr[node + 1]`` ascending by head, so the ones into
    the range are found by a short scan or a binary search (none for the whole range):
    threads given disjoint ranges read disjoint arcs and never write the same row.

    A candidate wins its head when it is stronger (at ``scale``) than the head's label and
    than every other candidate, then when its parent path ranks first (``frontier_rank``,
    aligned with ``frontier``), then when its relationship number is smaller. The head's
    BEST is raised to the winning candidate's strength as it goes (a candidate always
    becomes the head's label in :func:`settle`), so one row read tells an arc whether it
    can win at all; ORDER says whether that strength is a candidate's, which an equal key
    may still beat by order, or the label's, which wins ties. The frontier's strengths are
    read by rank from a compact array, never from node rows: on a giant layer those rows
    are scattered over the whole table.

    Returns the heads that got a candidate, in ascending order.
    """
    touched = np.empty(64, np.int64)
    t = 0
    whole = low == 0 and high == rows.shape[0]
    for i in range(frontier.shape[0]):
        node = frontier[i]
        rank = frontier_rank[i]
        here = strength_by_rank[rank]
        parent_order = rank * n_rels
        begin, end = ptr[node], ptr[node + 1]
        if not whole:
            begin = _first_head_from(arcs, begin, end, low)
            end = _first_head_from(arcs, begin, end, high)
        for p in range(begin, end):
            if not arc_ok[p]:
                continue
            head = arcs[p, ARC_OTHER]
            s = here * farcs[p, ARC_WEIGHT]
            if s <= 0.0 or s < min_strength:
                continue
            k = np.rint(s * scale)
            top = np.rint(frows[head, BEST] * scale)
            if k < top:
                continue
            order = parent_order + arcs[p, ARC_REL]
            held = rows[head, ORDER]
            if held < 0:
                if k == top:
                    continue  # the label's own key: the older path wins the tie
                if t == touched.shape[0]:
                    touched = _grow(touched, 2 * t)
                touched[t] = head
                t += 1
            elif k == top and order >= held:
                continue
            frows[head, BEST] = s
            rows[head, ORDER] = order
    if t * 16 <= high - low:
        return np.sort(touched[:t])
    heads = np.empty(t, np.int64)  # many: a scan of the rows beats a sort
    w = 0
    for node in range(low, high):
        if rows[node, ORDER] >= 0:
            heads[w] = node
            w += 1
    return heads


@njit(cache=True, nogil=True)
def settle(
    heads: Any,
    offset: int,
    n_rels: int,
    label_by_rank: Any,
    depth: int,
    first_label: int,
    rows: Any,
    frows: Any,
    parents: Any,
    rels: Any,
    parent_rank: Any,
    new_s: Any,
) -> None:
    """The candidates :func:`relax` left for ``heads`` become labels ``first_label + offset``
    onward (their strengths are already in BEST); parent label, relationship, parent rank
    and strength go to the output arrays from ``offset`` on, and ORDER is -1 again."""
    for i in range(heads.shape[0]):
        head = heads[i]
        w = offset + i
        order = rows[head, ORDER]
        rank = order // n_rels
        parent_rank[w] = rank
        rels[w] = order % n_rels
        parents[w] = label_by_rank[rank]
        new_s[w] = frows[head, BEST]  # the parent's strength times the arc's
        rows[head, ORDER] = -1
        rows[head, HOPS] = depth + 1
        rows[head, LABEL] = first_label + w


@njit(cache=True, nogil=True)
def rank_layer(
    f: int, parent_rank: Any, rels: Any, new_s: Any, first_label: int
) -> tuple[Any, Any, Any]:
    """Rank a layer's new paths for the next one: by parent rank (a counting sort over the
    ``f`` ranks of the frontier before), then by relationship number.

    Returns each new label's rank, and the labels and strengths in rank order.
    """
    t = parent_rank.shape[0]
    ordered = np.empty(t, np.int64)
    rank_of = np.empty(t, np.int64)
    labels_out = np.empty(t, np.int64)
    strengths_out = np.empty(t, np.float64)
    rank_range(
        parent_rank, rels, new_s, first_label, 0, f, ordered, rank_of, labels_out, strengths_out
    )
    return rank_of, labels_out, strengths_out


@njit(cache=True, nogil=True)
def rank_range(
    parent_rank: Any,
    rels: Any,
    new_s: Any,
    first_label: int,
    low: int,
    high: int,
    ordered: Any,
    rank_of: Any,
    labels_out: Any,
    strengths_out: Any,
) -> None:
    """:func:`rank_layer` for the new paths whose parent rank is in ``low <= rank < high``:
    they take the ranks after every path with a lower parent rank, so two threads given
    disjoint ranges write disjoint parts of the outputs (``ordered`` is scratch)."""
    t = parent_rank.shape[0]
    counts = np.zeros(high - low + 1, np.int64)
    base = 0
    for w in range(t):
        b = parent_rank[w]
        if b < low:
            base += 1
        elif b < high:
            counts[b - low + 1] += 1
    counts[0] = base
    for i in range(high - low):
        counts[i + 1] += counts[i]
    stop_all = counts[high - low]
    for w in range(t):
        b = parent_rank[w]
        if low <= b < high:
            ordered[counts[b - low]] = w
            counts[b - low] += 1
    start = base
    while start < stop_all:
        stop = start + 1
        while stop < stop_all and parent_rank[ordered[stop]] == parent_rank[ordered[start]]:
            stop += 1
        if stop - start > 16:  # a hub: sort its children properly
            group = ordered[start:stop].copy()
            ordered[start:stop] = group[np.argsort(rels[group])]
        else:
            for x in range(start + 1, stop):
                v = ordered[x]
                y = x - 1
                while y >= start and rels[ordered[y]] > rels[v]:
                    ordered[y + 1] = ordered[y]
                    y -= 1
                ordered[y + 1] = v
        start = stop
    for x in range(base, stop_all):
        w = ordered[x]
        rank_of[w] = x
        labels_out[x] = first_label + w
        strengths_out[x] = new_s[w]


@njit(cache=True, nogil=True)
def _grow(a: Any, need: int) -> Any:
    if need <= a.shape[0]:
        return a
    out = np.empty(max(need, 2 * a.shape[0]), a.dtype)
    out[: a.shape[0]] = a
    return out


@njit(cache=True, nogil=True)
def search_layers(
    ptr: Any,
    arcs: Any,
    farcs: Any,
    arc_ok: Any,
    n_rels: int,
    depth: int,
    max_depth: int,
    frontier: Any,
    rank: Any,
    label_by_rank: Any,
    strength_by_rank: Any,
    n_labels: int,
    label_budget: int,
    big_frontier: int,
    min_strength: float,
    scale: float,
    rows: Any,
    frows: Any,
) -> tuple[int, Any, Any, Any, Any, Any, Any, Any]:
    """Layers from ``depth`` on, in one compiled call, until ``max_depth``, an empty frontier,
    ``label_budget`` labels in all, or (after the first layer) a frontier of ``big_frontier``
    nodes or more.

    Why: most answers are small, and one call per layer (plus the bookkeeping between
    them) cost more than the layers themselves; a large search comes back after each big
    layer so its caller can check the deadline.

    Returns the next depth (``max_depth`` when the search is over), the node, parent label
    and relationship of every label found in this call, and the frontier to go on from.
    """
    labelled = np.empty(16, np.int64)
    parents = np.empty(16, np.int64)
    rels = np.empty(16, np.int64)
    found = 0
    while depth < max_depth and n_labels < label_budget:
        if found and frontier.shape[0] >= big_frontier:
            break  # the caller runs this layer on every core
        frontier, parent, r, rank, label_by_rank, strength_by_rank = expand_layer(
            ptr, arcs, farcs, arc_ok, n_rels, frontier, rank, label_by_rank,
            strength_by_rank, min_strength, scale, depth, n_labels, rows, frows,
            depth + 1 >= max_depth,
        )  # fmt: skip
        depth += 1
        t = frontier.shape[0]
        if t == 0:
            depth = max_depth
            break
        labelled = _grow(labelled, found + t)
        parents = _grow(parents, found + t)
        rels = _grow(rels, found + t)
        labelled[found : found + t] = frontier
        parents[found : found + t] = parent
        rels[found : found + t] = r
        found += t
        n_labels += t
    return (
        depth,
        labelled[:found],
        parents[:found],
        rels[:found],
        frontier,
        rank,
        label_by_rank,
        strength_by_rank,
    )


@njit(cache=True, nogil=True)
def collect(
    labelled: Any, rows: Any, frows: Any, scale: float, low: int, high: int
) -> tuple[Any, Any, Any, Any, Any]:
    """Each reached node in ``low <= node < high`` with its final label (strength, key at
    ``scale``, hops, label number), as compact arrays, and the touched rows of the range
    reset.

    ``labelled`` lists the node of every label in label order (label 0 is the anchor). One
    pass from the last label back: a node's final label is the first of its labels met, and
    resetting its row right then makes its earlier labels fail the same test. Disjoint
    ranges touch disjoint rows, so two threads can share a search.
    """
    m = labelled.shape[0]
    nodes = np.empty(m, np.int64)
    s = np.empty(m, np.float64)
    k = np.empty(m, np.int64)
    h = np.empty(m, np.int16)
    lab = np.empty(m, np.int64)
    w = m
    for p in range(m - 1, 0, -1):
        node = labelled[p]
        if node < low or node >= high:
            continue
        if rows[node, LABEL] == p:
            w -= 1
            nodes[w] = node
            s[w] = frows[node, BEST]
            k[w] = np.int64(np.rint(s[w] * scale))
            h[w] = rows[node, HOPS]
            lab[w] = p
            _rest(node, rows, frows)
    if m and low <= labelled[0] < high:
        reset(labelled[:1], rows, frows)
    return nodes[w:], s[w:], k[w:], h[w:], lab[w:]


@njit(cache=True, nogil=True)
def collect_scan(
    rows: Any, frows: Any, scale: float, m: int, low: int, high: int
) -> tuple[Any, Any, Any, Any, Any]:
    """What :func:`collect` returns (in node order), read by one sequential pass over the
    rows of ``low <= node < high`` instead of one scattered read per label: when a search
    has labelled a large share of the graph, streaming every row is the cheaper way.

    ``m`` is the number of labels (an upper bound on the reached nodes). Label 0, the
    anchor, is reset but not returned, as in :func:`collect`.
    """
    nodes = np.empty(m, np.int64)
    s = np.empty(m, np.float64)
    k = np.empty(m, np.int64)
    h = np.empty(m, np.int16)
    lab = np.empty(m, np.int64)
    w = 0
    for node in range(low, high):
        p = rows[node, LABEL]
        if p < 0:
            continue
        if p > 0:
            nodes[w] = node
            s[w] = frows[node, BEST]
            k[w] = np.int64(np.rint(s[w] * scale))
            h[w] = rows[node, HOPS]
            lab[w] = p
            w += 1
        _rest(node, rows, frows)
    return nodes[:w], s[:w], k[:w], h[:w], lab[:w]


@njit(cache=True, nogil=True, inline="always")
def _rest(node: int, rows: Any, frows: Any) -> None:
    """Put one node row back at rest (no label, no candidate)."""
    frows[node, BEST] = -1.0
    rows[node, ORDER] = -1
    rows[node, LABEL] = -1
    rows[node, HOPS] = 0


@njit(cache=True, nogil=True)
def reset(labelled: Any, rows: Any, frows: Any) -> None:
    """Put the rows of every labelled node back to rest."""
    for p in range(labelled.shape[0]):
        _rest(labelled[p], rows, frows)


@njit(cache=True, nogil=True)
def trace(labels: Any, lab_parent: Any, lab_rel: Any) -> tuple[Any, Any]:
    """The relationship numbers of each label's path, anchor outward, as one flat array and
    the offsets of each path in it (a page of paths in one call, not a Python loop per hop)."""
    offsets = np.zeros(labels.shape[0] + 1, np.int64)
    for i in range(labels.shape[0]):
        n = 0
        lab = labels[i]
        while lab_parent[lab] >= 0:
            n += 1
            lab = lab_parent[lab]
        offsets[i + 1] = offsets[i] + n
    flat = np.empty(offsets[-1], np.int64)
    for i in range(labels.shape[0]):
        pos = offsets[i + 1] - 1
        lab = labels[i]
        while lab_parent[lab] >= 0:
            flat[pos] = lab_rel[lab]
            pos -= 1
            lab = lab_parent[lab]
    return flat, offsets
