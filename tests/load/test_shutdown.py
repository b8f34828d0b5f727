"""`graphkit serve` stops on SIGTERM without waiting for a runaway analysis."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.load.conftest import graphkit_serve

pytestmark = pytest.mark.slow


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (read from /proc: parent links)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_sigterm_stops_the_server_and_its_runaway_analysis(big_store: Path) -> None:
    # A budget large enough that betweenness over 100k nodes would run for many minutes.
    env = {"GRAPHKIT_TIME_BUDGET": "3000", "GRAPHKIT_SHUTDOWN_SECONDS": "2"}
    with graphkit_serve(big_store, **env) as (url, proc):
        answers: list[int] = []

        def ask() -> None:
            try:
                answers.append(httpx.get(f"{url}/analytics/centrality", timeout=120).status_code)
            except httpx.HTTPError:
                answers.append(0)

        threading.Thread(target=ask, daemon=True).start()
        time.sleep(4)  # the analysis is computing in its own process by now
        below = _descendants(proc.pid)
        assert below, "the analysis should run in a child process"
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pytest.fail("graphkit serve ignored SIGTERM for 15 s")
        took = time.monotonic() - started
        assert took < 2 + 4, f"shutdown took {took:.1f} s"
        assert proc.returncode in (0, -signal.SIGTERM)  # uvicorn re-raises what it caught
        deadline = time.monotonic() + 5
        while any(_alive(p) for p in below) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [p for p in below if _alive(p)], "an analysis process outlived the server"
