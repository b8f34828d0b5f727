"""The schema table and the influence profiles as data: what a client needs to read answers
and reproduce them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import EngineDep, ReadAccess
from graphkit.schema import fingerprint, schema_table

router = APIRouter(tags=["schema"])


@router.get("/schema", dependencies=ReadAccess)
def schema() -> dict[str, Any]:
    """Entity kinds, confidence factors and every relationship type with its kinds,
    influence flow and strength rule, with the fingerprint stores record beside what they
    derived from it."""
    return {"fingerprint": fingerprint(), **schema_table()}


@router.get("/profiles", dependencies=ReadAccess)
def profiles(engine: EngineDep) -> list[dict[str, Any]]:
    """The influence profiles this server knows, each with every type's base strength and
    the confidence factors; pass one as `profile=` to reach, exposure, paths, diff, export
    and cite. Answers name the profile and its fingerprint."""
    return [p.table() for p in engine.profiles.all()]
