"""Best-path algorithms over influence arcs, independent of any store.

A path's strength is the product of its hop strengths (each in (0, 1]); the best path is the
strongest, ties going to fewer hops, then to the smaller sequence of relationship ids read
from the query's anchor outward. That order is total, so every engine that follows it gives
the same answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from graphkit.errors import BoundExceeded

#: Strengths are compared as whole multiples of 1e-12 so float noise cannot reorder ties;
#: an integer scale (not ``round(x, 12)``) because numpy's ``rint`` gives the same numbers.
STRENGTH_SCALE = 1e12
_CHECK_EVERY = 1024


@dataclass(frozen=True, slots=True)
class Arc:
    """Influence travelling from ``tail`` to ``head`` along relationship ``rel_id``."""

    tail: str
    head: str
    rel_id: str
    strength: float


class ArcSource(Protocol):
    """The two reads traversal needs; any backend or index can provide them."""

    def arcs_from(self, node: str) -> Sequence[Arc]:
        """Arcs along which ``node`` influences others."""
        ...

    def arcs_into(self, node: str) -> Sequence[Arc]:
        """Arcs along which others influence ``node``."""
        ...


ArcFilter = Callable[[Arc], bool]


@dataclass(frozen=True, slots=True)
class Label:
    """The best known path from the anchor to a node, as a parent-linked chain."""

    strength: float
    hops: int
    arc: Arc | None
    parent: Label | None

    def arcs(self) -> list[Arc]:
        """Arcs from the anchor outward to this node."""
        out: list[Arc] = []
        label: Label | None = self
        while label is not None and label.arc is not None:
            out.append(label.arc)
            label = label.parent
        out.reverse()
        return out

    def rel_ids(self) -> tuple[str, ...]:
        """Relationship ids from the anchor outward (the final tie-breaker)."""
        return tuple(a.rel_id for a in self.arcs())


def strength_key(strength: float) -> int:
    """Rounded strength used in every comparison (half to even, like ``numpy.rint``).

    >>> strength_key(0.25), strength_key(0.1 * 0.2) == strength_key(0.02)
    (250000000000, True)
    """
    return round(strength * STRENGTH_SCALE)


def path_key(strength: float, rel_ids: Sequence[str]) -> tuple[int, int, tuple[str, ...]]:
    """Sort key of the canonical order: strongest, then fewest hops, then relationship ids.

    >>> path_key(0.5, ["b"]) < path_key(0.5, ["a", "c"])
    True
    """
    return (-strength_key(strength), len(rel_ids), tuple(rel_ids))


def _better(new: Label, old: Label | None) -> bool:
    if old is None:
        return True
    ns, os_ = strength_key(new.strength), strength_key(old.strength)
    if ns != os_:
        return ns > os_
    if new.hops != old.hops:
        return new.hops < old.hops
    return new.rel_ids() < old.rel_ids()


class _Budget:
    """Wall-clock budget checked every few hundred steps, so no traversal hangs."""

    def __init__(self, seconds: float | None, what: str) -> None:
        self.deadline = None if seconds is None else time.monotonic() + seconds
        self.seconds = seconds
        self.what = what
        self.steps = 0

    def tick(self) -> None:
        self.steps += 1
        if self.steps % _CHECK_EVERY == 0:
            self.check()

    def check(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise BoundExceeded(
                f"{self.what} ran past its time budget of {self.seconds:g} s; narrow the "
                "query (smaller max_depth, fewer types, a higher min_strength).",
                bound="time",
            )


#: Fetches, for a whole frontier at once, the arcs leaving each node in the walk's direction.
LayerExpander = Callable[[list[str]], Mapping[str, Sequence[Arc]]]


def best_paths(
    graph: ArcSource,
    anchor: str,
    *,
    inbound: bool,
    max_depth: int,
    min_strength: float = 0.0,
    allowed: ArcFilter | None = None,
    time_budget: float | None = None,
) -> dict[str, Label]:
    """Best path between ``anchor`` and every node within ``max_depth`` hops.

    Args:
        graph: where arcs come from.
        anchor: the reach target (``inbound=True``) or the exposure source.
        inbound: walk arcs backwards (who reaches the anchor) or forwards (what it reaches).
        max_depth: most hops on a path.
        min_strength: drop paths weaker than this.
        allowed: arc filter (as-of date, types, confidence).
        time_budget: seconds before :class:`BoundExceeded`.

    Returns:
        Node id → label; the anchor itself is not included.

    Example:
        >>> class G:
        ...     arcs = [Arc("a", "b", "r1", 0.5), Arc("b", "c", "r2", 0.5),
        ...             Arc("a", "c", "r3", 0.2)]
        ...     def arcs_from(self, n): return [x for x in self.arcs if x.tail == n]
        ...     def arcs_into(self, n): return [x for x in self.arcs if x.head == n]
        >>> best = best_paths(G(), "c", inbound=True, max_depth=3)
        >>> best["a"].strength, best["a"].rel_ids()
        (0.25, ('r2', 'r1'))
    """
    step = graph.arcs_into if inbound else graph.arcs_from

    def expand(frontier: list[str]) -> dict[str, Sequence[Arc]]:
        if allowed is None:
            return {n: step(n) for n in frontier}
        return {n: [a for a in step(n) if allowed(a)] for n in frontier}

    return best_paths_layered(
        expand,
        anchor,
        inbound=inbound,
        max_depth=max_depth,
        min_strength=min_strength,
        time_budget=time_budget,
    )


def best_paths_layered(
    expand: LayerExpander,
    anchor: str,
    *,
    inbound: bool,
    max_depth: int,
    min_strength: float = 0.0,
    time_budget: float | None = None,
) -> dict[str, Label]:
    """The algorithm behind :func:`best_paths`, fed one frontier at a time.

    A layered Bellman–Ford: layer ``d`` holds the best paths of at most ``d`` hops, so the
    depth bound is exact (a stronger but longer path never hides a valid shorter one). A
    database backend implements ``expand`` as one query per layer; filtering is its job.
    """
    budget = _Budget(time_budget, "traversal")
    root = Label(1.0, 0, None, None)
    best: dict[str, Label] = {anchor: root}
    frontier: list[str] = [anchor]
    for _depth in range(max_depth):
        budget.check()
        arcs_by_node = expand(frontier)
        layer: dict[str, Label] = {}
        for node in frontier:
            here = best[node]
            for arc in arcs_by_node.get(node, ()):
                budget.tick()
                nxt = arc.tail if inbound else arc.head
                strength = here.strength * arc.strength
                if strength <= 0.0 or strength < min_strength:
                    continue
                cand = Label(strength, here.hops + 1, arc, here)
                if _better(cand, layer.get(nxt) or best.get(nxt)):
                    layer[nxt] = cand
        changed = sorted(n for n, lab in layer.items() if _better(lab, best.get(n)))
        for n in changed:
            best[n] = layer[n]
        if not changed:
            break
        frontier = changed
    del best[anchor]
    return best


def _hop_distances(
    graph: ArcSource, target: str, max_depth: int, allowed: ArcFilter | None
) -> dict[str, int]:
    """Fewest hops from each node to ``target`` (for pruning path enumeration)."""
    dist = {target: 0}
    frontier = [target]
    for d in range(1, max_depth + 1):
        nxt: list[str] = []
        for node in frontier:
            for arc in graph.arcs_into(node):
                if arc.tail not in dist and (allowed is None or allowed(arc)):
                    dist[arc.tail] = d
                    nxt.append(arc.tail)
        frontier = nxt
    return dist


def k_best_paths(
    graph: ArcSource,
    source: str,
    target: str,
    *,
    k: int,
    max_depth: int,
    min_strength: float = 0.0,
    allowed: ArcFilter | None = None,
    time_budget: float | None = None,
) -> list[tuple[float, list[Arc]]]:
    """The ``k`` best simple paths from ``source`` to ``target`` in canonical order.

    Depth-first enumeration pruned by hop distance to the target and by the k-th best
    strength so far (strengths only shrink along a path).

    Example:
        >>> class G:
        ...     arcs = [Arc("a", "b", "r1", 0.5), Arc("b", "c", "r2", 0.5),
        ...             Arc("a", "c", "r3", 0.2)]
        ...     def arcs_from(self, n): return [x for x in self.arcs if x.tail == n]
        ...     def arcs_into(self, n): return [x for x in self.arcs if x.head == n]
        >>> [(s, [a.rel_id for a in p]) for s, p in k_best_paths(G(), "a", "c", k=5, max_depth=3)]
        [(0.25, ['r1', 'r2']), (0.2, ['r3'])]
    """
    budget = _Budget(time_budget, "path search")
    dist = _hop_distances(graph, target, max_depth, allowed)
    if source not in dist or source == target:
        return []
    found: list[tuple[tuple[int, int, tuple[str, ...]], float, list[Arc]]] = []
    stack: list[Arc] = []
    on_path = {source}

    def floor() -> float:
        return -found[k - 1][0][0] if len(found) >= k else -1.0

    def walk(node: str, strength: float) -> None:
        for arc in graph.arcs_from(node):
            budget.tick()
            if allowed is not None and not allowed(arc):
                continue
            head = arc.head
            if head in on_path:
                continue
            s = strength * arc.strength
            if s <= 0.0 or s < min_strength or strength_key(s) < floor():
                continue
            remaining = max_depth - len(stack) - 1
            if dist.get(head, max_depth + 1) > remaining:
                continue
            stack.append(arc)
            if head == target:
                ids = [a.rel_id for a in stack]
                found.append((path_key(s, ids), s, list(stack)))
                found.sort(key=lambda item: item[0])
                del found[k:]
            else:
                on_path.add(head)
                walk(head, s)
                on_path.discard(head)
            stack.pop()

    walk(source, 1.0)
    return [(s, arcs) for _key, s, arcs in found]
