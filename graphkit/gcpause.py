"""Cyclic garbage collection held off during a large load.

Why: a load keeps tens of thousands of freshly validated records alive per batch, and
CPython's collector keeps re-scanning them although they hold no cycles; on a 287k
relationship file that was 40% of the load. Reference counting still frees everything
as usual; only the cycle detector waits, and it runs over the young objects between
batches once they pile up (:func:`after_batch`), so a long load does not pile up cyclic
garbage either.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
#: Loads running with the collector held off, and whether it was on before the first.
_holders = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """Hold the cycle collector off for the body; nested and concurrent loads share one
    pause, and the collector comes back on (if it was on) when the last of them ends.

    >>> with paused():
    ...     gc.isenabled()
    False
    """
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()


#: Young tracked objects (made since the last collection and not yet freed) above which a
#: batch's end collects: a few batches' worth. A batch's own records are still referenced
#: when it ends and freed by reference counting once the next batch replaces them, so
#: scanning them at every batch's end (~0.1 s a batch of 50,000) found nothing to free.
YOUNG_LIMIT = 1_000_000


def after_batch() -> None:
    """Collect the cycles among objects made since the last collection when they have piled
    up (:data:`YOUNG_LIMIT`): cyclic garbage is freed within a few batches, and a load that
    makes none is not scanned at all. Young generations only: what survives has been
    scanned once and is not scanned again until the load ends."""
    if gc.get_count()[0] >= YOUNG_LIMIT:
        gc.collect(1)
