"""Still pictures (PNG, SVG) of query results, drawn with matplotlib: no browser, no
network, the same encodings as the offline page (colour and shape per kind, width =
strength, dashed = reported or alleged, grey = not in force) and a legend that says so.

Entities are placed in columns by their distance from the query's anchor, so a chain reads
left to right in the direction influence travels.
"""

from __future__ import annotations

import io
import textwrap
from collections import deque
from typing import Literal

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from graphkit.elements import Elements, Result, elements
from graphkit.query import ReachResult
from graphkit.schema import KIND_STYLES, Confidence

#: vis-network shape names (the offline page) → matplotlib markers.
_MARKERS = {
    "dot": "o",
    "diamond": "D",
    "star": "*",
    "square": "s",
    "hexagon": "h",
    "triangle": "^",
    "triangleDown": "v",
}
assert {s.shape for s in KIND_STYLES.values()} <= set(_MARKERS), "every shape needs a marker"

_KEY = (
    "Arrows point the way influence travels. Width = strength. Dashed = reported or alleged. "
    "Red = disputed. Grey = not in force on the as-of date."
)
#: Most inches either way (a huge answer stays a picture, not a poster).
_MAX_INCHES = 40.0


def _columns(parts: Elements, anchor: str, reverse: bool) -> dict[str, int]:
    """Distance of every entity from the anchor over the result's hops (either direction)."""
    adjacent: dict[str, set[str]] = {e.id: set() for e in parts.entities}
    for h in parts.hops:
        adjacent.setdefault(h.influence_from, set()).add(h.influence_to)
        adjacent.setdefault(h.influence_to, set()).add(h.influence_from)
    dist = {anchor: 0}
    queue = deque([anchor])
    while queue:
        node = queue.popleft()
        for nxt in sorted(adjacent.get(node, ())):
            if nxt not in dist:
                dist[nxt] = dist[node] + 1
                queue.append(nxt)
    far = max(dist.values(), default=0) + 1
    for e in parts.entities:  # unconnected entities sit in a column of their own
        dist.setdefault(e.id, far)
    top = max(dist.values(), default=0)
    return {k: (top - v if reverse else v) for k, v in dist.items()}


def _anchor(result: Result, parts: Elements) -> str:
    for attr in ("source", "target", "center", "asset"):
        ref = getattr(result, attr, None)
        if ref is not None:
            return str(ref.id)
    return parts.entities[0].id


def render(result: Result, fmt: Literal["png", "svg"]) -> bytes:
    """The result as a PNG or SVG picture.

    >>> from graphkit.query import EntityRef, ReachResult
    >>> r = ReachResult(target=EntityRef(id="t", kind="DataAsset", name="T"),
    ...                 as_of="2020-01-01", total=0, offset=0, limit=5, items=())
    >>> render(r, "svg").startswith(b"<?xml")
    True
    """
    parts = elements(result)
    anchor = _anchor(result, parts)
    # Reach draws the target on the right: influence flows left to right into it.
    column = _columns(parts, anchor, reverse=isinstance(result, ReachResult))
    by_col: dict[int, list[str]] = {}
    names = {e.id: e.name for e in parts.entities}
    for e in sorted(parts.entities, key=lambda e: (e.name.lower(), e.id)):
        by_col.setdefault(column[e.id], []).append(e.id)
    tallest = max((len(v) for v in by_col.values()), default=1)
    pos: dict[str, tuple[float, float]] = {}
    for col, ids in by_col.items():
        for i, eid in enumerate(ids):  # each column centred, one unit between entities
            pos[eid] = (float(col), (len(ids) - 1) / 2 - i)
    width = min(_MAX_INCHES, max(8.0, 3.2 * len(by_col)))
    height = min(_MAX_INCHES, max(5.0, 1.3 * tallest + 2.0))

    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "graphkit", "font.size": 9}):
        fig = Figure(figsize=(width, height), layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_title(parts.caption, fontsize=12, loc="left", parse_math=False)
        for h in parts.hops:
            if h.influence_from not in pos or h.influence_to not in pos:
                continue
            dashed = h.confidence in (Confidence.REPORTED, Confidence.ALLEGED) or (
                isinstance(h.confidence, float) and h.confidence < 1.0
            )
            colour = "#bbbbbb" if not h.active else ("#c0392b" if h.disputed else "#444444")
            (x0, y0), (x1, y1) = pos[h.influence_from], pos[h.influence_to]
            ax.annotate(
                "",
                xy=(x1, y1),
                xytext=(x0, y0),
                arrowprops={
                    "arrowstyle": "-|>",
                    "lw": 0.6 + 3.0 * h.strength,
                    "ls": "--" if dashed else "-",
                    "color": colour,
                    "shrinkA": 12,
                    "shrinkB": 12,
                    "connectionstyle": "arc3,rad=0.08",
                },
            )
            ax.text(
                (x0 + x1) / 2,
                (y0 + y1) / 2 + 0.08,
                h.type.value,
                fontsize=7,
                color=colour,
                ha="center",
                parse_math=False,
            )
        for e in parts.entities:
            style = KIND_STYLES[e.kind]
            x, y = pos[e.id]
            big = e.id in parts.highlight
            ax.scatter(
                [x],
                [y],
                s=420 if big else 180,
                marker=_MARKERS[style.shape],
                c=style.color,
                edgecolors="#111111",
                linewidths=2.5 if big else 0.8,
                zorder=3,
            )
            ax.text(
                x,
                y - 0.22,
                textwrap.fill(names[e.id], 24),
                ha="center",
                va="top",
                fontsize=8,
                fontweight="bold" if big else "normal",
                parse_math=False,
                zorder=4,
            )
        kinds = sorted({e.kind for e in parts.entities}, key=lambda k: k.value)
        handles = [
            Line2D(
                [],
                [],
                marker=_MARKERS[KIND_STYLES[k].shape],
                color="none",
                markerfacecolor=KIND_STYLES[k].color,
                markeredgecolor="#111111",
                markersize=9,
                label=k.value,
            )
            for k in kinds
        ]
        if handles:
            ax.legend(handles=handles, loc="upper left", fontsize=8, frameon=True, ncols=2)
        fig.text(0.01, 0.005, _KEY, fontsize=7, color="#444444", parse_math=False)
        xs = [p[0] for p in pos.values()] or [0.0]
        ys = [p[1] for p in pos.values()] or [0.0]
        ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
        ax.set_ylim(min(ys) - 0.9, max(ys) + 0.9)
        buf = io.BytesIO()
        meta = {"Date": None} if fmt == "svg" else {"Software": "graphkit"}
        fig.savefig(buf, format=fmt, dpi=110, metadata=meta)
    return buf.getvalue()
