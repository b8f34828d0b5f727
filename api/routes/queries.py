"""Influence queries: reach, exposure, paths."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import EngineDep, Expensive
from api.errors import responses
from graphkit.query import (
    ExposureRequest,
    ExposureResult,
    PathsRequest,
    PathsResult,
    ReachRequest,
    ReachResult,
)

router = APIRouter(tags=["queries"])
ERRORS = responses(401, 404, 422, 429, 503, 504)


@router.get("/reach", response_model=ReachResult, dependencies=Expensive, responses=ERRORS)
def reach(req: Annotated[ReachRequest, Query()], engine: EngineDep) -> ReachResult:
    """Who can reach ``target``: actors ranked by their strongest influence path, each hop
    with its evidence (sources, dates, excerpts, disputes)."""
    return engine.reach(req)


@router.get("/exposure", response_model=ExposureResult, dependencies=Expensive, responses=ERRORS)
def exposure(req: Annotated[ExposureRequest, Query()], engine: EngineDep) -> ExposureResult:
    """What ``source`` can reach, ranked by the strongest path to each entity."""
    return engine.exposure(req)


@router.get("/paths", response_model=PathsResult, dependencies=Expensive, responses=ERRORS)
def paths(req: Annotated[PathsRequest, Query()], engine: EngineDep) -> PathsResult:
    """The ``k`` strongest distinct simple paths from ``source`` to ``target``."""
    return engine.paths(req)
