"""Writes: one all-or-nothing batch in the curated format, behind an API key."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends
from pydantic import BaseModel, ConfigDict, Field

from api.deps import EngineDep, require_write_key
from api.errors import responses
from graphkit.query import IngestSummary
from graphkit.validate import RawRecord

router = APIRouter(tags=["ingest"])


class IngestBatch(BaseModel):
    """The curated format as JSON: the same three lists as the YAML files."""

    model_config = ConfigDict(extra="forbid")

    sources: list[dict[str, Any]] = Field(default_factory=list)
    entities: list[dict[str, Any]] = Field(default_factory=list)
    relationships: list[dict[str, Any]] = Field(default_factory=list)


EXAMPLE = {
    "sources": [{"id": "doc-1", "title": "Company register extract", "date": "2024-05-01"}],
    "entities": [{"id": "acme", "kind": "Company", "name": "Acme Holding", "country": "NL"}],
    "relationships": [
        {
            "type": "OWNS",
            "source": "acme",
            "target": "logink",
            "share": 0.1,
            "evidence": [{"source": "doc-1", "excerpt": "Acme holds 10%"}],
        }
    ],
}


@router.post(
    "/ingest",
    response_model=IngestSummary,
    dependencies=[Depends(require_write_key)],
    responses=responses(401, 422, 503),
)
def ingest(
    batch: Annotated[IngestBatch, Body(examples=[EXAMPLE])], engine: EngineDep
) -> IngestSummary:
    """Validate and write a batch: all of it or nothing. On failure every problem is listed
    with its record and field; re-sending the same batch changes nothing."""
    records = [
        RawRecord(section, data, file="request", index=i)
        for section in ("sources", "entities", "relationships")
        for i, data in enumerate(getattr(batch, section))
    ]
    return engine.ingest(records)
