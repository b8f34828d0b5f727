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
#: best candidate's; ORDER is that candidate (its parent's place in the frontier times the
#: number of arcs, plus its arc), -1 when the node has no candidate in the layer. A node's
#: key, its strength at ``scale`` rounded half to even, is computed from BEST where needed.
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
    frontier: Any,
    frontier_s: Any,
    first_parent: int,
    lab_parent: Any,
    lab_rel: Any,
    min_strength: float,
    scale: float,
    depth: int,
    first_label: int,
    rows: Any,
    frows: Any,
) -> tuple[Any, Any, Any, Any]:
    """One layer of the search: the winning arc per improved head, applied to the labels.

    ``frontier`` holds the nodes labelled in the layer before (ascending), whose labels are
    ``first_parent`` onward in the same order, with their strengths in ``frontier_s``.
    Returns the new frontier (the heads that got a label, ascending) with their strengths,
    and the label arrays (grown when the new labels needed room). The two steps are
    separate kernels so a giant layer can run each on several threads, one per range of
    heads.
    """
    heads = relax(
        ptr, arcs, farcs, arc_ok, frontier, frontier_s, first_parent, lab_parent, lab_rel,
        min_strength, scale, rows, frows, 0, rows.shape[0],
    )  # fmt: skip
    t = heads.shape[0]
    lab_parent = grow(lab_parent, first_label + t)
    lab_rel = grow(lab_rel, first_label + t)
    new_s = np.empty(t, np.float64)
    settle(
        heads, 0, arcs, first_parent, depth, first_label, rows, frows, lab_parent, lab_rel,
        new_s,
    )  # fmt: skip
    return heads, new_s, lab_parent, lab_rel


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


@njit(cache=True, nogil=True, inline="always")
def _path_before(lab_parent: Any, lab_rel: Any, a: int, b: int) -> bool:
    """Whether label ``a``'s path comes before label ``b``'s, both of the same length and
    not the same label: compared relationship by relationship from the anchor outward, so
    the pair that decides is the last one that differs on the way up to the label both
    paths share (the anchor at the latest)."""
    decided = 0
    while a != b:
        ra, rb = lab_rel[a], lab_rel[b]
        if ra != rb:
            decided = -1 if ra < rb else 1
        a, b = lab_parent[a], lab_parent[b]
    return decided < 0


@njit(cache=True, nogil=True)
def relax(
    ptr: Any,
    arcs: Any,
    farcs: Any,
    arc_ok: Any,
    frontier: Any,
    frontier_s: Any,
    first_parent: int,
    lab_parent: Any,
    lab_rel: Any,
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
    than every other candidate, then when its path comes first: its parent's path, then
    its relationship number. The head's BEST is raised to the winning candidate's strength
    as it goes (a candidate always becomes the head's label in :func:`settle`), so one row
    read tells an arc whether it can win at all; ORDER, the candidate's frontier place and
    arc, says whether that strength is a candidate's, which an equal key may still beat by
    its path, or the label's, which wins ties. Equal keys between candidates are rare (on
    the 1M benchmark graph's giant answer, none), so their paths are compared only then,
    by walking up the labels already made.

    Returns the heads that got a candidate, in ascending order.
    """
    touched = np.empty(64, np.int64)
    t = 0
    n_arcs = arcs.shape[0]
    whole = low == 0 and high == rows.shape[0]
    for i in range(frontier.shape[0]):
        node = frontier[i]
        here = frontier_s[i]
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
            held = rows[head, ORDER]
            if held < 0:
                if k == top:
                    continue  # the label's own key: the older path wins the tie
                if t == touched.shape[0]:
                    touched = grow(touched, 2 * t)
                touched[t] = head
                t += 1
            elif k == top:
                rival = held // n_arcs
                if rival == i:
                    if arcs[p, ARC_REL] >= arcs[held % n_arcs, ARC_REL]:
                        continue
                elif not _path_before(lab_parent, lab_rel, first_parent + i, first_parent + rival):
                    continue
            frows[head, BEST] = s
            rows[head, ORDER] = i * n_arcs + p
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
    arcs: Any,
    first_parent: int,
    depth: int,
    first_label: int,
    rows: Any,
    frows: Any,
    lab_parent: Any,
    lab_rel: Any,
    new_s: Any,
) -> None:
    """The candidates :func:`relax` left for ``heads`` become labels ``first_label +
    offset`` onward (their strengths are already in BEST): each label's parent label and
    relationship go to ``lab_parent``/``lab_rel``, its strength to ``new_s`` from
    ``offset`` on, and ORDER is -1 again."""
    n_arcs = arcs.shape[0]
    for i in range(heads.shape[0]):
        head = heads[i]
        w = offset + i
        held = rows[head, ORDER]
        lab_parent[first_label + w] = first_parent + held // n_arcs
        lab_rel[first_label + w] = arcs[held % n_arcs, ARC_REL]
        new_s[w] = frows[head, BEST]  # the parent's strength times the arc's
        rows[head, ORDER] = -1
        rows[head, HOPS] = depth + 1
        rows[head, LABEL] = first_label + w


@njit(cache=True, nogil=True)
def grow(a: Any, need: int) -> Any:
    """``a``, or a copy with room for ``need`` entries (at least doubling, so an array grown
    one batch at a time copies each entry O(1) times); also called from Python."""
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
    depth: int,
    max_depth: int,
    frontier: Any,
    frontier_s: Any,
    first_parent: int,
    lab_parent: Any,
    lab_rel: Any,
    n_labels: int,
    label_budget: int,
    big_frontier: int,
    min_strength: float,
    scale: float,
    rows: Any,
    frows: Any,
) -> tuple[int, Any, Any, Any, int, Any, Any]:
    """Layers from ``depth`` on, in one compiled call, until ``max_depth``, an empty frontier,
    ``label_budget`` labels in all, or (after the first layer) a frontier of ``big_frontier``
    nodes or more.

    Why: most answers are small, and one call per layer (plus the bookkeeping between
    them) cost more than the layers themselves; a large search comes back after each big
    layer so its caller can check the deadline.

    Returns the next depth (``max_depth`` when the search is over), the node of every label
    found in this call, the frontier to go on from (its strengths and first label), and the
    label arrays (grown when needed).
    """
    labelled = np.empty(16, np.int64)
    found = 0
    while depth < max_depth and n_labels < label_budget:
        if found and frontier.shape[0] >= big_frontier:
            break  # the caller runs this layer on every core
        heads, new_s, lab_parent, lab_rel = expand_layer(
            ptr, arcs, farcs, arc_ok, frontier, frontier_s, first_parent, lab_parent,
            lab_rel, min_strength, scale, depth, n_labels, rows, frows,
        )  # fmt: skip
        depth += 1
        t = heads.shape[0]
        if t == 0:
            depth = max_depth
            break
        labelled = grow(labelled, found + t)
        labelled[found : found + t] = heads
        found += t
        frontier, frontier_s, first_parent = heads, new_s, n_labels
        n_labels += t
    return depth, labelled[:found], frontier, frontier_s, first_parent, lab_parent, lab_rel


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
