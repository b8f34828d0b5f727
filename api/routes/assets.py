"""The asset view: everything around one port, terminal, platform or data asset, by role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import EngineDep, Expensive
from api.errors import responses
from graphkit.query import AssetOptions, AssetRequest, AssetResult

router = APIRouter(prefix="/assets", tags=["entities"])


@router.get(
    "/{entity_id}",
    response_model=AssetResult,
    dependencies=Expensive,
    responses=responses(401, 404, 422, 429, 503, 504),
)
def asset(
    entity_id: Annotated[str, Path(description="Id of the asset.", examples=["port-of-rotterdam"])],
    options: Annotated[AssetOptions, Query()],
    engine: EngineDep,
) -> AssetResult:
    """Owners and stakes, operators, platforms and agreements, data flows, suppliers, laws
    and counter-measures around one asset within ``depth`` hops, each fact with its evidence
    and dates; facts not in force on ``as_of`` are kept and flagged (``active: false``)."""
    return engine.asset(AssetRequest(entity=entity_id, **options.model_dump()))
