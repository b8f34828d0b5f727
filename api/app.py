"""The API app: ``create_app()`` wires settings, the engine, routers and error handlers.

Routers translate HTTP to calls on :class:`graphkit.engine.QueryEngine`; nothing here touches
a backend directly. Run with ``graphkit serve``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from api import errors
from api.bodylimit import BodyLimit
from api.capacity import Slots
from api.deps import RateLimiter, get_engine_or_open
from api.metrics import Metrics
from api.routes import (
    analysis,
    assets,
    docs,
    entities,
    exports,
    health,
    ingest,
    queries,
    schema,
    sources,
    ui,
)
from graphkit import __version__, isolated
from graphkit.engine import QueryEngine
from graphkit.errors import BackendUnavailable
from graphkit.settings import Settings

log = logging.getLogger("graphkit.api")

DESCRIPTION = """
Who can reach what — through ownership, state control, party committees, laws, port and
platform agreements, supplier deployments and data routing — with the evidence for every hop.

Every answer carries, per hop, its sources (title, date, address, excerpt), confidence,
validity interval and any disputing evidence. Errors are `application/problem+json`.
Reads are open unless the server requires keys; `POST /ingest` always needs one.
"""


def _admission(app: FastAPI, settings: Settings) -> None:
    app.state.query_slots = Slots(
        settings.query_slots_for_backend(), settings.queue_seconds, "queries"
    )
    app.state.analysis_slots = Slots(
        settings.analysis_slots, settings.queue_seconds, "whole-graph analyses"
    )


def create_app(settings: Settings | None = None, engine: QueryEngine | None = None) -> FastAPI:
    """Build the app. Pass ``engine`` to serve an already open store (tests, notebooks)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        _admission(app, settings)  # slots belong to the event loop that serves (api.capacity)
        if engine is not None:
            app.state.engine = engine
            try:
                yield
            finally:
                isolated.stop_all()
            return
        app.state.engine = None
        try:
            get_engine_or_open(app)
        except BackendUnavailable as exc:  # keep serving: requests answer 503 until it is back
            log.warning("backend not available at start-up: %s", exc)
        try:
            yield
        finally:
            isolated.stop_all()
            if app.state.engine is not None:
                app.state.engine.store.close()

    app = FastAPI(
        title="graphkit",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        # Served by api.routes.docs: local assets, and the read key when reads need one.
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.limiter = RateLimiter(settings.rate_limit) if settings.rate_limit else None
    _admission(app, settings)
    app.state.metrics = Metrics()
    app.state.metrics.install(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["*"],
        )
    if settings.allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    errors.install(app)
    routers = (queries, analysis, entities, assets, sources, exports, ingest, schema, health)
    for module in (*routers, docs, ui):
        app.include_router(module.router)
    return app
