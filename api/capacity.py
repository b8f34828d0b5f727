"""Admission control: a bounded number of requests compute at once, the rest are refused.

Queries are CPU-bound. Fifty at once on a few cores all slow down together and every one of
them misses its time budget; a whole-graph analysis holding the interpreter for seconds
starves the rest. So each kind of work has its slots: a request waits a short while for one
and is otherwise answered 503 with ``Retry-After``, and those admitted finish in their budget.
Waiting happens on the event loop, never in a worker thread, so waiters cannot take the
threads that admitted requests need to finish.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import HTTPException


class Slots:
    """At most ``size`` holders at once; a newcomer waits up to ``wait`` seconds.

    Make one per running event loop (the app's lifespan does): asyncio primitives belong to
    the loop they were first used on.
    """

    def __init__(self, size: int, wait: float, what: str) -> None:
        self.size, self.wait, self.what = size, wait, what
        self._free = asyncio.Semaphore(size)

    @asynccontextmanager
    async def held(self) -> AsyncIterator[None]:
        """Hold a slot for the block, or raise a 503 the client can act on."""
        try:
            async with asyncio.timeout(self.wait):
                await self._free.acquire()
        except TimeoutError:
            retry = max(1, math.ceil(self.wait))
            raise HTTPException(
                503,
                f"The server is busy with {self.size} {self.what} at once; retry in {retry} s.",
                headers={"Retry-After": str(retry)},
            ) from None
        try:
            yield
        finally:
            self._free.release()
