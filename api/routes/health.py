"""Liveness, readiness and metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.deps import EngineDep, ReadAccess
from api.errors import responses
from graphkit.query import StoreStats

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    response_model=StoreStats,
    dependencies=ReadAccess,
    responses=responses(401, 503),
)
def readyz(engine: EngineDep) -> StoreStats:
    """The backend answers (with what it holds); behind the read key when reads need one."""
    return engine.stats()


@router.get("/metrics", response_class=Response, dependencies=ReadAccess)
def metrics(request: Request) -> Response:
    """Prometheus metrics: request counts and latencies per route (behind the read key when
    reads need one)."""
    rendered: Response = request.app.state.metrics.render()
    return rendered
