"""Fifty clients for thirty seconds against `graphkit serve` on a 100k-entity store."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from graphkit import isolated
from tests.load.conftest import ENTITIES, graphkit_serve

pytestmark = pytest.mark.slow

CLIENTS = 50
SECONDS = 30
BUDGET = 10.0
QUEUE = 2.0
MARGIN = 4.0


def _ask(rng: random.Random) -> tuple[str, str, dict[str, object]]:
    roll = rng.random()
    someone = f"e{rng.randrange(5, ENTITIES)}"
    if roll < 0.35:
        return "reach", "/reach", {"target": someone}
    if roll < 0.60:
        return "exposure", "/exposure", {"source": f"e{rng.randrange(5)}", "limit": 20}
    if roll < 0.85:
        return "paths", "/paths", {"source": f"e{rng.randrange(5)}", "target": someone, "k": 3}
    if roll < 0.95:
        return "search", "/entities", {"q": f"Entity {rng.randrange(ENTITIES)}"}
    return "centrality", "/analytics/centrality", {"top": 5}


def test_fifty_clients_for_thirty_seconds_on_a_100k_store(big_store: Path) -> None:
    log: list[tuple[str, int, float]] = []
    failures: list[str] = []
    stop = threading.Event()

    def client(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=url, timeout=60) as http:
            while not stop.is_set():
                kind, path, params = _ask(rng)
                started = time.monotonic()
                try:
                    status = http.get(path, params=params).status_code
                except httpx.HTTPError as exc:
                    failures.append(f"{kind}: {exc!r}")
                    continue
                log.append((kind, status, time.monotonic() - started))

    env = {"GRAPHKIT_TIME_BUDGET": str(BUDGET), "GRAPHKIT_QUEUE_SECONDS": str(QUEUE)}
    with graphkit_serve(big_store, **env) as (url, _):
        with ThreadPoolExecutor(CLIENTS) as pool:
            futures = [pool.submit(client, i) for i in range(CLIENTS)]
            time.sleep(SECONDS)
            stop.set()
            for f in futures:
                f.result()
    by = Counter((kind, status) for kind, status, _ in log)
    slowest = {k: max(t for kind, _, t in log if kind == k) for k, _ in by}
    print(f"\n{len(log)} requests: {dict(by)}\nslowest: {slowest}")
    assert failures == []  # no connection refused, reset or timed out
    assert {status for _, status, _ in log} <= {200, 404, 503, 504}
    # Answered or refused within the request's budget: its wait for a slot, its time budget,
    # the analysis process's start allowance, and a margin for the network and for fifty
    # client threads sharing the machine's cores with the server (without admission
    # control and the analysis process, requests waited 40 s and more).
    bound = QUEUE + BUDGET + isolated.START_ALLOWANCE + MARGIN
    assert max(t for *_, t in log) < bound, slowest
    # Refusals are the exception, and every query kind gets answers under load.
    assert sum(status == 200 for _, status, _ in log) > len(log) / 3
    for kind in ("reach", "exposure", "paths", "search"):
        assert by[(kind, 200)] > 0, kind
