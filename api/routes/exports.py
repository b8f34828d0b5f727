"""Exports of any query result: JSON, CSV, GEXF, GraphML, offline HTML."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import ValidationError

from api.deps import EngineDep, Expensive
from api.errors import responses
from graphkit.errors import InvalidQuery
from graphkit.export import MEDIA, ExportFormat, Result, export, export_filename
from graphkit.query import ExposureRequest, NeighbourhoodRequest, PathsRequest, ReachRequest

router = APIRouter(tags=["exports"])


class QueryName(StrEnum):
    """Queries whose results can be exported."""

    reach = "reach"
    exposure = "exposure"
    paths = "paths"
    neighbourhood = "neighbourhood"


@router.get(
    "/export",
    dependencies=Expensive,
    responses={
        200: {
            "description": "The result as a file.",
            "content": {m: {} for m, _ in MEDIA.values()},
        },
        **responses(401, 404, 422, 429, 504),
    },
)
def export_result(
    engine: EngineDep,
    query: Annotated[QueryName, Query(description="Which query to run.")],
    entity: Annotated[
        str,
        Query(
            min_length=1,
            description="Target (reach), source (exposure, paths) or centre (neighbourhood).",
            examples=["rotterdam-port-logistics-data"],
        ),
    ],
    target: Annotated[str | None, Query(description="Target for paths.")] = None,
    format: Annotated[ExportFormat, Query(description="Output format.")] = ExportFormat.JSON,  # noqa: A002
    as_of: Annotated[date | None, Query(description="YYYY-MM-DD (default today).")] = None,
    max_depth: Annotated[int, Query(ge=1, le=10, description="Most hops.")] = 6,
    limit: Annotated[int, Query(ge=1, le=500, description="Most results.")] = 50,
) -> Response:
    """Run a query and return its result in the chosen format (``html``: the offline page)."""
    result: Result
    try:
        if query is QueryName.reach:
            result = engine.reach(
                ReachRequest.model_validate(
                    {"target": entity, "as_of": as_of, "max_depth": max_depth, "limit": limit}
                )
            )
        elif query is QueryName.exposure:
            result = engine.exposure(
                ExposureRequest.model_validate(
                    {"source": entity, "as_of": as_of, "max_depth": max_depth, "limit": limit}
                )
            )
        elif query is QueryName.paths:
            if not target:
                raise InvalidQuery("paths needs a target", parameter="target")
            result = engine.paths(
                PathsRequest.model_validate(
                    {"source": entity, "target": target, "as_of": as_of, "max_depth": max_depth}
                )
            )
        else:
            result = engine.neighbourhood(
                NeighbourhoodRequest.model_validate(
                    {"entity": entity, "as_of": as_of, "limit": limit}
                )
            )
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InvalidQuery(
            f"{first['loc'][0]}: {first['msg']}", parameter=str(first["loc"][0])
        ) from exc
    media, ext = MEDIA[format]
    filename = export_filename(query.value, entity, ext)
    return Response(
        export(result, format),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
