"""Research queries: ownership, control, change over time, centrality, brokers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import EngineDep, Expensive, ReadAccess, WholeGraph
from api.errors import responses
from graphkit.query import (
    BrokersRequest,
    BrokersResult,
    CentralityRequest,
    CentralityResult,
    ControlRequest,
    ControlResult,
    DiffQuery,
    DiffRequest,
    DiffResult,
    OwnersRequest,
    OwnersResult,
    TimelineResult,
)

router = APIRouter(tags=["analysis"])
ERRORS = responses(401, 404, 422, 429, 503, 504)


@router.get("/owners", response_model=OwnersResult, dependencies=Expensive, responses=ERRORS)
def owners(req: Annotated[OwnersRequest, Query()], engine: EngineDep) -> OwnersResult:
    """Direct, integrated and ultimate owners of an entity, with the chains that contribute
    most and the share traced back to state bodies and party organisations."""
    return engine.owners(req)


@router.get("/control", response_model=ControlResult, dependencies=Expensive, responses=ERRORS)
def control(req: Annotated[ControlRequest, Query()], engine: EngineDep) -> ControlResult:
    """The chain of explicit control and majority ownership above an entity."""
    return engine.control(req)


@router.get("/diff", response_model=DiffResult, dependencies=Expensive, responses=ERRORS)
def diff(req: Annotated[DiffRequest, Query()], engine: EngineDep) -> DiffResult:
    """How a reach, exposure or paths answer changed between two days: entities that
    appeared, disappeared or changed strength, and every path (of the k strongest) that
    appeared or ended, with the dated relationships and both days' sources."""
    return engine.diff(req)


@router.get("/diff/reach", response_model=DiffResult, dependencies=Expensive, responses=ERRORS)
def diff_reach(req: Annotated[DiffRequest, Query()], engine: EngineDep) -> DiffResult:
    """``/diff`` for a reach answer (kept for links made before ``/diff`` existed)."""
    return engine.diff(req.model_copy(update={"query": DiffQuery.REACH}))


@router.get(
    "/entities/{entity_id}/timeline",
    response_model=TimelineResult,
    dependencies=ReadAccess,
    responses=responses(401, 404),
)
def timeline(
    entity_id: Annotated[str, Path(description="Entity id.", examples=["logink"])],
    engine: EngineDep,
) -> TimelineResult:
    """An entity's relationships as dated events: starts, ends, reports and denials."""
    return engine.timeline(entity_id)


@router.get(
    "/analytics/centrality",
    response_model=CentralityResult,
    dependencies=WholeGraph,
    responses=ERRORS,
)
def centrality(req: Annotated[CentralityRequest, Query()], engine: EngineDep) -> CentralityResult:
    """PageRank (strength-weighted) and betweenness of the influence graph on a day."""
    result: CentralityResult = engine.isolated("centrality", req)
    return result


@router.get(
    "/analytics/brokers", response_model=BrokersResult, dependencies=WholeGraph, responses=ERRORS
)
def brokers(req: Annotated[BrokersRequest, Query()], engine: EngineDep) -> BrokersResult:
    """Entities on the strongest routes from an actor to a sector (entity kinds)."""
    result: BrokersResult = engine.isolated("brokers", req)
    return result
