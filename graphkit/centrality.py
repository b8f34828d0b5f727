"""Betweenness under a deadline: Brandes' accumulation run a few source nodes at a time.

networkx computes betweenness in one uninterruptible call, which on a 100k-node store runs
for minutes and holds a server thread past any shutdown. Here the same sums are taken in
chunks of sources (``networkx.betweenness_centrality_subset``, public API), the clock is read
between chunks, and a run that cannot finish in time is refused early, with an estimate.
"""

from __future__ import annotations

import random
import time
from collections.abc import Hashable

import networkx as nx

from graphkit.errors import BoundExceeded

#: Most sources per chunk; chunks start at one source and double, so the first reading of
#: the pace comes after a single source even on a graph where each takes seconds.
CHUNK = 16


def betweenness(
    graph: nx.DiGraph[str], pivots: int | None, deadline: float, weight: str = "distance"
) -> dict[str, float]:
    """Normalised betweenness of a directed graph, exact or estimated from ``pivots`` sources.

    Exact (``pivots=None``) equals ``networkx.betweenness_centrality(graph, weight=weight)``.
    The estimate sums the dependencies of ``pivots`` sources drawn with a seeded generator
    (``random.Random(0)``, so the same graph gives the same answer) and scales them by
    n / pivots (Brandes & Pich 2007).

    Raises:
        BoundExceeded: the run would end after ``deadline`` (a ``time.monotonic()`` value);
            raised as soon as the measured pace shows it, not when the time is spent.

    >>> g = nx.DiGraph([("a", "b", {"distance": 1.0}), ("b", "c", {"distance": 1.0})])
    >>> betweenness(g, None, time.monotonic() + 10)["b"]
    0.5
    """
    nodes = list(graph.nodes)
    n = len(nodes)
    sources = nodes if pivots is None or pivots >= n else random.Random(0).sample(nodes, pivots)
    totals: dict[Hashable, float] = dict.fromkeys(nodes, 0.0)
    started = time.monotonic()
    done, size = 0, 1
    while done < len(sources):
        chunk = sources[done : done + size]
        done, size = done + len(chunk), min(size * 2, CHUNK)
        part = nx.betweenness_centrality_subset(
            graph, sources=chunk, targets=nodes, normalized=False, weight=weight
        )
        for node, value in part.items():
            totals[node] += value
        now = time.monotonic()
        left = len(sources) - done
        if left and now + (now - started) / done * left > deadline:
            need = (now - started) / done * len(sources)
            raise BoundExceeded(
                f"betweenness over {n:,} nodes from {len(sources):,} sources needs about "
                f"{need:.0f} s, past the time budget; narrow it (types, as_of) or raise "
                "GRAPHKIT_TIME_BUDGET (the CLI's --time-budget) for this analysis.",
                bound="time",
            )
    if n <= 2:
        return {str(v): 0.0 for v in nodes}
    scale = 1 / ((n - 1) * (n - 2)) * (n / len(sources))
    return {str(v): b * scale for v, b in totals.items()}
