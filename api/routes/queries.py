"""Influence queries: reach, exposure, paths; and read-only Cypher for researchers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query

from api.deps import EngineDep, Expensive, require_write_key
from api.errors import responses
from graphkit.query import (
    CypherRequest,
    CypherResult,
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


@router.post(
    "/cypher",
    response_model=CypherResult,
    dependencies=[Depends(require_write_key), *Expensive],
    responses=responses(401, 422, 429, 503, 504),
)
def cypher(req: Annotated[CypherRequest, Body()], engine: EngineDep) -> CypherResult:
    """Read-only Cypher for researchers (Neo4j backend only; always needs an API key):
    values as `params`, never spliced into the query; run in a read transaction under the
    time budget with a row cap (`truncated` says more matched). `LOAD CSV`, writes and
    procedures other than the schema ones (`db.labels`, `db.schema.visualization`, …) are
    refused with 422."""
    return engine.cypher(req)
