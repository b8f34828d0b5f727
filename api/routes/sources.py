"""Source documents behind the evidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import EngineDep, ReadAccess
from api.errors import responses
from graphkit.model import Source

router = APIRouter(prefix="/sources", tags=["sources"])


@router.get(
    "/{source_id}", response_model=Source, dependencies=ReadAccess, responses=responses(401, 404)
)
def get_source(
    source_id: Annotated[
        str, Path(description="Source id.", examples=["note-zoom-china-standards"])
    ],
    engine: EngineDep,
) -> Source:
    """The document behind a hop: title, publisher, date, address, language."""
    return engine.source(source_id)
