"""Compiled inner loops of the array search (numba), one call per layer.

Why: a layer of a giant answer touches millions of arcs; numpy needs a dozen passes over
them, a compiled loop needs one. On a graph of millions the cost is memory misses, not
arithmetic, so what each arc tests sits in small dense arrays: the label keys (8 bytes a
node, raised in place to the best candidate's key while a layer is relaxed), the candidate
marks (1 byte) and the candidates' order and strength (16 bytes). A node's label (strength,
key, label number, hops) is one 32-byte row, written once per improvement. An arc is one
24-byte row. Only touched rows are reset, so a small answer costs time in proportion to its
size, not the graph's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

#: Columns of the per-node label rows (int64; STRENGTH is read through a float64 view).
STRENGTH, KEY, LABEL, HOPS = range(4)
STATE_COLUMNS = 4
#: Columns of the per-node candidate rows (int64; CAND_STRENGTH through a float64 view):
#: the order (parent rank times relationships, plus the relationship number) and strength
#: of a head's best candidate in the layer being relaxed; ``mark`` says a row holds one.
CAND_ORDER, CAND_STRENGTH = range(2)
CAND_COLUMNS = 2
#: Columns of the per-arc rows (int64; WEIGHT through a float64 view).
ARC_OTHER, ARC_REL, ARC_WEIGHT = range(3)


def new_state(n: int) -> Any:
    """Per-node label rows at rest: no label."""
    state = np.zeros((n, STATE_COLUMNS), dtype=np.int64)
    state[:, KEY] = -1
    state[:, LABEL] = -1
    return state


def new_candidates(n: int) -> Any:
    """Per-node candidate rows (read only where ``mark`` is set, so never reset)."""
    return np.zeros((n, CAND_COLUMNS), dtype=np.int64)


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
    state: Any,
    fstate: Any,
    cand: Any,
    fcand: Any,
    key: Any,
    mark: Any,
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
        min_strength, scale, cand, fcand, key, mark, 0, state.shape[0],
    )  # fmt: skip
    t = heads.shape[0]
    parents = np.empty(t, np.int64)
    rels = np.empty(t, np.int64)
    parent_rank = np.empty(t, np.int64)
    new_s = np.empty(t, np.float64)
    settle(
        heads, 0, n_rels, label_by_rank, depth, first_label, state, fstate, cand, fcand,
        key, mark, parents, rels, parent_rank, new_s,
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
    cand: Any,
    fcand: Any,
    key: Any,
    mark: Any,
    low: int,
    high: int,
) -> Any:
    """Each head in ``low <= head < high`` gets the best candidate the frontier offers it.
    A node's arcs sit in ``ptr[node]..ptr[node + 1]`` ascending by head, so the ones into
    the range are found by two binary searches (none for the whole range): threads given
    disjoint ranges read disjoint arcs and never write the same row.

    A candidate wins its head when it is stronger (at ``scale``) than the head's label and
    than every other candidate, then when its parent path ranks first (``frontier_rank``,
    aligned with ``frontier``), then when its relationship number is smaller. ``key[head]``
    is raised to the winning candidate's key as it goes (a candidate always becomes the
    head's label in :func:`settle`), so one read tells an arc whether it can win at all;
    ``mark[head]`` says whether that key is a candidate's, which an equal key may still
    beat by order, or the label's, which wins ties. The frontier's strengths are read by
    rank from a compact array, never from node rows: on a giant layer those rows are
    scattered over the whole table.

    Returns the heads that got a candidate, in ascending order.
    """
    touched = np.empty(64, np.int64)
    t = 0
    whole = low == 0 and high == key.shape[0]
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
            k = np.int64(np.rint(s * scale))
            top = key[head]
            if k < top:
                continue
            order = parent_order + arcs[p, ARC_REL]
            if mark[head] == 0:
                if k == top:
                    continue  # the label's own key: the older path wins the tie
                if t == touched.shape[0]:
                    touched = _grow(touched, 2 * t)
                touched[t] = head
                t += 1
                mark[head] = 1
            elif k == top and order >= cand[head, CAND_ORDER]:
                continue
            key[head] = k
            cand[head, CAND_ORDER] = order
            fcand[head, CAND_STRENGTH] = s
    if t * 16 <= high - low:
        return np.sort(touched[:t])
    heads = np.empty(t, np.int64)  # many: a scan of the marks beats a sort
    w = 0
    for node in range(low, high):
        if mark[node]:
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
    state: Any,
    fstate: Any,
    cand: Any,
    fcand: Any,
    key: Any,
    mark: Any,
    parents: Any,
    rels: Any,
    parent_rank: Any,
    new_s: Any,
) -> None:
    """The candidates :func:`relax` left for ``heads`` become labels ``first_label + offset``
    onward (their keys are already in ``key``); parent label, relationship, parent rank and
    strength go to the output arrays from ``offset`` on, and ``mark`` is zeros again."""
    for i in range(heads.shape[0]):
        head = heads[i]
        w = offset + i
        order = cand[head, CAND_ORDER]
        rank = order // n_rels
        parent_rank[w] = rank
        rels[w] = order % n_rels
        parents[w] = label_by_rank[rank]
        new_s[w] = fcand[head, CAND_STRENGTH]  # the parent's strength times the arc's
        fstate[head, STRENGTH] = new_s[w]
        state[head, KEY] = key[head]
        state[head, HOPS] = depth + 1
        state[head, LABEL] = first_label + w
        mark[head] = 0


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
    state: Any,
    fstate: Any,
    cand: Any,
    fcand: Any,
    key: Any,
    mark: Any,
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
            strength_by_rank, min_strength, scale, depth, n_labels, state, fstate,
            cand, fcand, key, mark, depth + 1 >= max_depth,
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
    labelled: Any, state: Any, fstate: Any, key: Any, low: int, high: int
) -> tuple[Any, Any, Any, Any, Any]:
    """Each reached node in ``low <= node < high`` with its final label, as compact arrays,
    and the touched rows of the range reset.

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
        if state[node, LABEL] == p:
            w -= 1
            nodes[w] = node
            s[w] = fstate[node, STRENGTH]
            k[w] = state[node, KEY]
            h[w] = state[node, HOPS]
            lab[w] = p
            _rest(node, state, key)
    if m and low <= labelled[0] < high:
        reset(labelled[:1], state, key)
    return nodes[w:], s[w:], k[w:], h[w:], lab[w:]


@njit(cache=True, nogil=True)
def collect_scan(
    state: Any, fstate: Any, key: Any, m: int, low: int, high: int
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
        p = state[node, LABEL]
        if p < 0:
            continue
        if p > 0:
            nodes[w] = node
            s[w] = fstate[node, STRENGTH]
            k[w] = state[node, KEY]
            h[w] = state[node, HOPS]
            lab[w] = p
            w += 1
        _rest(node, state, key)
    return nodes[:w], s[:w], k[:w], h[:w], lab[:w]


@njit(cache=True, nogil=True, inline="always")
def _rest(node: int, state: Any, key: Any) -> None:
    """Put one node row back at rest (no label); candidate rows are unmarked by settle."""
    key[node] = -1
    state[node, STRENGTH] = 0
    state[node, KEY] = -1
    state[node, LABEL] = -1
    state[node, HOPS] = 0


@njit(cache=True, nogil=True)
def reset(labelled: Any, state: Any, key: Any) -> None:
    """Put the rows of every labelled node back to rest."""
    for p in range(labelled.shape[0]):
        node = labelled[p]
        _rest(node, state, key)


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
