"""The schema table as data: what a client needs to read answers and reproduce them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import ReadAccess
from graphkit.schema import fingerprint, schema_table

router = APIRouter(tags=["schema"])


@router.get("/schema", dependencies=ReadAccess)
def schema() -> dict[str, Any]:
    """Entity kinds, confidence factors and every relationship type with its kinds,
    influence flow and strength rule, with the fingerprint stores record beside what they
    derived from it."""
    return {"fingerprint": fingerprint(), **schema_table()}
