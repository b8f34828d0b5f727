"""A 100k-entity store and a real `graphkit serve` process over it, for load and shutdown."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from bench.generate import Shape, generate
from graphkit.store.embedded import EmbeddedStore
from tests.api.proxy import free_port

ENTITIES = 100_000


@pytest.fixture(scope="session")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark's synthetic graph at 100k entities (~290k relationships). Written
    straight to the store: the generator's records are the ones a test loads through the
    validated ingest (tests/bench), and that path would take a minute here."""
    path = tmp_path_factory.mktemp("load") / "big.db"
    store = EmbeddedStore(path)
    try:
        with store.bulk():
            for batch in generate(Shape(entities=ENTITIES)):
                store.write(batch)
    finally:
        store.close()
    return path


@contextmanager
def graphkit_serve(store: Path, **env: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``graphkit serve`` as its own process (its own interpreter: no GIL shared with the
    test's clients), yielding its base URL once it answers."""
    port = free_port()
    settings = {"GRAPHKIT_STORE": str(store), "GRAPHKIT_PORT": str(port), **env}
    # The server's log goes to a file: a pipe nobody reads fills at 64 KB (about 800
    # access-log lines) and then blocks the server in the middle of a request.
    log = tempfile.NamedTemporaryFile("w+", prefix="graphkit-serve-", suffix=".log")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "graphkit.cli", "serve"],
        env={**os.environ, **settings},
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                log.seek(0)
                raise AssertionError(f"graphkit serve exited: {log.read()}")
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise AssertionError("graphkit serve did not become ready in 60 s")
        yield url, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()
