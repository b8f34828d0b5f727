"""Whole-graph analyses in a child process: killed at their deadline, sharing no interpreter.

Centrality and brokers walk the whole graph in pure Python for seconds. In the server's
process they would hold the interpreter lock while queries wait (every query slows to a crawl,
not just one), and a thread cannot be stopped, so one runaway analysis would outlive its
request and the server's shutdown. A child process has its own interpreter and can be killed:
the caller waits for the time budget plus a start-up allowance, then kills it and answers
"past its time budget". Children come from a forkserver that has the analysis code loaded,
so each start costs a fork, not an interpreter start.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from pydantic import BaseModel

from graphkit.errors import BoundExceeded, GraphkitError
from graphkit.settings import Settings
from graphkit.store.base import GraphStore

R = TypeVar("R", bound=BaseModel)

#: Seconds a child may take beyond the time budget: its start, the store's opening, and the
#: last step of a computation that checks its clock between steps.
START_ALLOWANCE = 1.0
#: How often (seconds) a child looks whether the process that started it still exists.
ORPHAN_CHECK = 1.0
#: Engine methods that may run in a child (the names are checked, never looked up blindly).
METHODS = frozenset({"centrality", "brokers"})

_context: Any = None
_context_lock = threading.Lock()
_children: set[BaseProcess] = set()
_children_lock = threading.Lock()


def _ctx() -> Any:
    global _context
    with _context_lock:
        if _context is None:
            method = (
                "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            )
            _context = multiprocessing.get_context(method)
            if method == "forkserver":
                _context.set_forkserver_preload(["graphkit.isolated", "graphkit.analysis"])
        return _context


def _orphan_watch(requester: int) -> None:
    """End this process when the one that asked for it is gone (killed, not shut down):
    nobody is left to read the answer or to kill a runaway."""
    while True:
        time.sleep(ORPHAN_CHECK)
        try:
            os.kill(requester, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # pragma: no cover - a pid reused by another user's process
            os._exit(1)


def _child(
    opener: Callable[[], GraphStore],
    settings: Settings,
    method: str,
    req: BaseModel,
    out: Connection,
    requester: int,
) -> None:
    from graphkit.engine import QueryEngine

    threading.Thread(target=_orphan_watch, args=(requester,), daemon=True).start()
    try:
        store = opener()
        try:
            result = getattr(QueryEngine(store, settings), method)(req)
        finally:
            store.close()
        out.send((True, result))
    except GraphkitError as exc:
        out.send((False, exc))
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it as ours
        out.send((False, GraphkitError(f"{method} failed: {type(exc).__name__}: {exc}")))
    finally:
        out.close()


def run(opener: Callable[[], GraphStore], settings: Settings, method: str, req: BaseModel) -> Any:
    """``QueryEngine(opener(), settings).<method>(req)`` in a child process, within
    ``settings.time_budget`` plus :data:`START_ALLOWANCE`.

    Raises:
        BoundExceeded: the child did not answer in time (it has been killed).
        GraphkitError: whatever the analysis raised, as raised there.
    """
    if method not in METHODS:
        raise ValueError(f"{method!r} does not run isolated")
    ctx = _ctx()
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(
        target=_child, args=(opener, settings, method, req, send, os.getpid()), daemon=True
    )
    with _children_lock:
        _children.add(child)
    try:
        child.start()
        send.close()
        if not receive.poll(settings.time_budget + START_ALLOWANCE):
            raise BoundExceeded(
                f"{method} ran past its time budget ({settings.time_budget:g} s) and was "
                "stopped; narrow it (types, as_of) or raise GRAPHKIT_TIME_BUDGET.",
                bound="time",
            )
        try:
            ok, payload = receive.recv()
        except EOFError:
            raise GraphkitError(f"{method} ended without an answer (its process died)") from None
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join()
        with _children_lock:
            _children.discard(child)
    if ok:
        return payload
    raise payload


def stop_all() -> int:
    """Kill every analysis still running (server shutdown); how many there were."""
    with _children_lock:
        running = [c for c in _children if c.is_alive()]
    for child in running:
        child.kill()
    return len(running)
