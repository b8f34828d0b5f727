"""The entities and hops of any query result, deduplicated in result order, with what to
highlight and a caption: what every drawing and graph export is made of.

Why its own module: the text exports, the offline page and the still pictures all start
from these elements, so none of them needs to import another.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graphkit.query import (
    AssetResult,
    EntityRef,
    ExposureResult,
    Hop,
    NeighbourhoodResult,
    PathsResult,
    ReachResult,
)

#: Every result a named query gives (see :mod:`graphkit.named`).
Result = ReachResult | ExposureResult | PathsResult | NeighbourhoodResult | AssetResult


@dataclass(frozen=True, slots=True)
class Elements:
    """The entities and hops of any result, the ones to highlight, and a caption."""

    entities: list[EntityRef]
    hops: list[Hop]
    highlight: set[str]
    caption: str


def elements(result: Result) -> Elements:
    """Entities and hops (deduplicated, in result order) of any query result."""
    ents: dict[str, EntityRef] = {}
    hops: dict[str, Hop] = {}

    def add(entities: Iterable[EntityRef], path_hops: Iterable[Hop]) -> None:
        for e in entities:
            ents.setdefault(e.id, e)
        for h in path_hops:
            hops.setdefault(h.relationship_id, h)

    if isinstance(result, ReachResult | ExposureResult):
        anchor = result.target if isinstance(result, ReachResult) else result.source
        add([anchor], [])
        for item in result.items:
            add(item.path.entities, item.path.hops)
        question = (
            f"Who can reach {anchor.name}"
            if isinstance(result, ReachResult)
            else f"What {anchor.name} can reach"
        )
        caption = f"{question} — as of {result.as_of}"
        highlight = {anchor.id}
    elif isinstance(result, PathsResult):
        add([result.source, result.target], [])
        for path in result.paths:
            add(path.entities, path.hops)
        caption = (
            f"Strongest paths from {result.source.name} to {result.target.name} — "
            f"as of {result.as_of}"
        )
        highlight = {result.source.id, result.target.id}
    elif isinstance(result, AssetResult):
        add(result.entities, (f.hop for g in result.groups for f in g.facts))
        caption = f"Around {result.asset.name} — as of {result.as_of}"
        highlight = {result.asset.id}
    else:
        add(result.entities, result.relationships)
        caption = f"Neighbourhood of {result.center.name} — as of {result.as_of}"
        highlight = {result.center.id}
    return Elements(list(ents.values()), list(hops.values()), highlight, caption)
