"""Prometheus metrics: request counts and latencies per route template."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST as PROMETHEUS_TYPE
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest


class Metrics:
    """One registry per app, so several apps (tests) do not collide."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "graphkit_http_requests_total",
            "HTTP requests",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "graphkit_http_request_seconds",
            "HTTP request latency",
            ["method", "route"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
        )

    def render(self) -> Response:
        """The exposition text."""
        return Response(generate_latest(self.registry), media_type=PROMETHEUS_TYPE)

    def install(self, app: FastAPI) -> None:
        """Time every request under its route template (not the raw path: bounded labels)."""

        @app.middleware("http")
        async def measure(
            request: Request, call_next: Callable[[Request], Awaitable[Response]]
        ) -> Response:
            start = time.perf_counter()
            response = await call_next(request)
            route = request.scope.get("route")
            template = getattr(route, "path", "unmatched")
            self.latency.labels(request.method, template).observe(time.perf_counter() - start)
            self.requests.labels(request.method, template, str(response.status_code)).inc()
            return response
