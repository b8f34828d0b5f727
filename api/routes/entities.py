"""Entities: search, detail, neighbourhood."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import EngineDep, Expensive, ReadAccess
from api.errors import responses
from graphkit.query import (
    EntityDetail,
    NeighbourhoodRequest,
    NeighbourhoodResult,
    SearchRequest,
    SearchResult,
)
from graphkit.schema import EntityKind

router = APIRouter(prefix="/entities", tags=["entities"])
EntityId = Annotated[str, Path(description="Entity id.", examples=["logink"])]


@router.get("", response_model=SearchResult, dependencies=ReadAccess, responses=responses(401, 422))
def search_entities(
    engine: EngineDep,
    q: Annotated[
        str,
        Query(
            min_length=1, max_length=200, description="Name, alias or id.", examples=["rotterdam"]
        ),
    ],
    kinds: Annotated[list[EntityKind] | None, Query(description="Only these kinds.")] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="Results per page.")] = 20,
    offset: Annotated[int, Query(ge=0, description="Skip this many results.")] = 0,
) -> SearchResult:
    """Find entities by name or alias; case, accents and script (e.g. 海康威视) are ignored."""
    return engine.search(
        SearchRequest(text=q, kinds=tuple(kinds) if kinds else None, limit=limit, offset=offset)
    )


@router.get(
    "/{entity_id}",
    response_model=EntityDetail,
    dependencies=ReadAccess,
    responses=responses(401, 404),
)
def get_entity(entity_id: EntityId, engine: EngineDep) -> EntityDetail:
    """Everything stored about one entity."""
    return engine.entity(entity_id)


@router.get(
    "/{entity_id}/neighbourhood",
    response_model=NeighbourhoodResult,
    dependencies=Expensive,
    responses=responses(401, 404, 422, 429, 504),
)
def neighbourhood(
    entity_id: EntityId,
    engine: EngineDep,
    depth: Annotated[int, Query(ge=1, le=3, description="Hops around the entity.")] = 1,
    as_of: Annotated[
        date | None,
        Query(
            description="Day to flag relationships not in force (YYYY-MM-DD; default today).",
            examples=["2020-01-01"],
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="Most relationships.")] = 200,
) -> NeighbourhoodResult:
    """Every relationship within ``depth`` hops, bans and warnings included."""
    req = NeighbourhoodRequest.model_validate(
        {"entity": entity_id, "depth": depth, "as_of": as_of, "limit": limit}
    )
    return engine.neighbourhood(req)
