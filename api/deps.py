"""Dependencies: the query engine, API keys and rate limits. Routers use only these."""

from __future__ import annotations

import hmac
import threading
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.capacity import Slots
from graphkit.engine import QueryEngine
from graphkit.settings import Settings
from graphkit.store import open_store

_open_lock = threading.Lock()


def get_engine_or_open(app: FastAPI) -> QueryEngine:
    """The app's engine, opening the store first if it was not reachable before.

    Raises:
        BackendUnavailable: still not reachable (answered as 503; the next request retries).
    """
    engine: QueryEngine | None = app.state.engine
    if engine is not None:
        return engine
    with _open_lock:
        if app.state.engine is None:
            settings: Settings = app.state.settings
            app.state.engine = QueryEngine(open_store(settings), settings)
        opened: QueryEngine = app.state.engine
        return opened


def get_engine(request: Request) -> QueryEngine:
    """The engine for this request."""
    return get_engine_or_open(request.app)


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


EngineDep = Annotated[QueryEngine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

_bearer = HTTPBearer(auto_error=False, description="API key as a bearer token.")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="API key.")


def _presented(bearer: HTTPAuthorizationCredentials | None, header: str | None) -> str | None:
    return bearer.credentials if bearer else header


def _check(key: str | None, settings: Settings) -> None:
    if not settings.api_keys:
        raise HTTPException(
            401,
            "This server accepts no API keys; writes are disabled.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if key is None:
        raise HTTPException(
            401,
            "An API key is required (Authorization: Bearer … or X-API-Key).",
            headers={"WWW-Authenticate": "Bearer"},
        )
    # Compare against every key in constant time, without stopping at the first match.
    matched = False
    for known in settings.api_keys:
        matched |= hmac.compare_digest(key.encode(), known.encode())
    if not matched:
        raise HTTPException(
            401, "The API key is not valid.", headers={"WWW-Authenticate": "Bearer"}
        )


def require_write_key(
    settings: SettingsDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    header: Annotated[str | None, Security(_header)],
) -> None:
    """Writes always need a key."""
    _check(_presented(bearer, header), settings)


def require_read_key(
    settings: SettingsDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    header: Annotated[str | None, Security(_header)],
) -> None:
    """Reads need a key only when configured so."""
    if settings.read_keys_required:
        _check(_presented(bearer, header), settings)


class RateLimiter:
    """Sliding one-minute window per client address, for expensive endpoints."""

    #: Most clients tracked at once; past it, clients idle for a minute are forgotten first,
    #: then the oldest (memory stays bounded whatever addresses arrive).
    MAX_CLIENTS = 100_000

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _prune(self, now: float) -> None:
        idle = [c for c, hits in self._hits.items() if not hits or now - hits[-1] >= 60]
        for client in idle:
            del self._hits[client]
        while len(self._hits) >= self.MAX_CLIENTS:
            del self._hits[next(iter(self._hits))]

    def allow(self, client: str) -> tuple[bool, int]:
        """Whether the client may go on, and seconds to wait when not."""
        now = time.monotonic()
        with self._lock:
            if client not in self._hits and len(self._hits) >= self.MAX_CLIENTS:
                self._prune(now)
            hits = self._hits[client]
            while hits and now - hits[0] >= 60:
                hits.popleft()
            if len(hits) >= self.per_minute:
                return False, max(1, int(60 - (now - hits[0])) + 1)
            hits.append(now)
            return True, 0


def rate_limited(request: Request) -> None:
    """Refuse with 429 when a client exceeds the configured rate on an expensive endpoint."""
    limiter: RateLimiter | None = request.app.state.limiter
    if limiter is None:
        return
    client = request.client.host if request.client else "unknown"
    ok, wait = limiter.allow(client)
    if not ok:
        raise HTTPException(
            429,
            f"More than {limiter.per_minute} expensive requests a minute; retry in {wait} s.",
            headers={"Retry-After": str(wait)},
        )


async def query_slot(request: Request) -> AsyncIterator[None]:
    """Hold one of the query slots while the request computes (see :mod:`api.capacity`)."""
    slots: Slots = request.app.state.query_slots
    async with slots.held():
        yield


async def analysis_slot(request: Request) -> AsyncIterator[None]:
    """Hold one of the whole-graph analysis slots while the request computes."""
    slots: Slots = request.app.state.analysis_slots
    async with slots.held():
        yield


ReadAccess = [Depends(require_read_key)]
#: Queries: key, rate limit, then a query slot (refusals cost nothing before the wait).
Expensive = [Depends(require_read_key), Depends(rate_limited), Depends(query_slot)]
#: Whole-graph analyses (centrality, brokers): their own, smaller pool.
WholeGraph = [Depends(require_read_key), Depends(rate_limited), Depends(analysis_slot)]
