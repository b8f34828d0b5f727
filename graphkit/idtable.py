"""Sorted ids packed into one string, numbered by their place and found by binary search.

Why: the embedded index numbers every node and relationship in id order. As a list of
``str`` plus a ``dict`` for the way back, a million nodes and three million relationships
held ~330 MB of Python objects (an object, a pointer and a hash entry per id); packed, they
hold the ids' characters and one 8-byte offset each, and a store opens from its snapshot
without building either.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, overload

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
_SEP = "\x00"


class IdTable(Sequence[str]):
    """Ids in ascending code-point order (SQLite's and Python's order alike), each once.

    ``table[i]`` is the i-th id and :meth:`number` the way back; the packed text is the
    ids joined by NUL, which no id may hold, so it is also the snapshot's blob.

    >>> ids = IdTable.from_sorted(["a", "b:1", "c"])
    >>> ids[1], ids.number("c"), ids.number("bb"), len(ids)
    ('b:1', 2, None, 3)
    """

    __slots__ = ("_ends", "_starts", "text")

    def __init__(self, text: str, starts: IntArray) -> None:
        #: The ids joined by NUL.
        self.text = text
        #: Where each id begins, then where one past the last would (``len + 1`` entries).
        self._starts = starts
        # Python ints without numpy's scalar boxing (a binary search reads ~40 of them).
        self._ends: memoryview = memoryview(starts.data)

    @classmethod
    def from_sorted(cls, ids: Sequence[str]) -> IdTable:
        """Pack ids already in ascending order, each once (checked: a table out of order
        would number ids wrongly without a sound).

        Raises:
            ValueError: the ids are not strictly ascending, or one is empty or holds a NUL.
        """
        text = _SEP.join(ids)
        if text.count(_SEP) != max(len(ids) - 1, 0):
            raise ValueError("an id holds a NUL character")
        table = cls.from_text(text) if ids else cls.empty()
        if len(table) != len(ids):  # an empty id packs to nothing
            raise ValueError("an id is empty")
        table.check_order()
        return table

    @classmethod
    def from_text(cls, text: str) -> IdTable:
        """The table whose packed text is ``text`` (a snapshot's blob, decoded)."""
        if not text:
            return cls.empty()
        wide = np.uint8 if text.isascii() else np.uint32  # offsets count code points
        codes = np.frombuffer(text.encode("ascii" if wide is np.uint8 else "utf-32-le"), wide)
        nul = np.flatnonzero(codes == 0)
        starts = np.empty(len(nul) + 2, dtype=np.int64)
        starts[0] = 0
        starts[1:-1] = nul + 1
        starts[-1] = len(text) + 1
        return cls(text, starts)

    @classmethod
    def empty(cls) -> IdTable:
        return cls("", np.zeros(1, dtype=np.int64))

    def check_order(self) -> None:
        """Raise :class:`ValueError` unless every id is greater than the one before (empty
        ids included)."""
        step = 1 << 16  # decoded a chunk at a time; each chunk overlaps the next by one id
        for lo in range(0, len(self), step):
            chunk = self[lo : lo + step + 1]
            if not all(chunk):
                raise ValueError("an id is empty")
            if any(a >= b for a, b in zip(chunk, chunk[1:], strict=False)):
                bad = next(b for a, b in zip(chunk, chunk[1:], strict=False) if a >= b)
                raise ValueError(f"ids out of order or repeated at {bad!r}")

    def __len__(self) -> int:
        return len(self._starts) - 1

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return self.take(range(*i.indices(len(self))))
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("id number out of range")
        ends = self._ends
        return self.text[ends[i] : ends[i + 1] - 1]

    def __iter__(self) -> Iterator[str]:
        return iter(self.text.split(_SEP)) if len(self) else iter(())

    def take(self, numbers: Sequence[int] | npt.NDArray[np.integer[Any]]) -> list[str]:
        """The ids of many numbers at once."""
        at = np.asarray(numbers, dtype=np.int64)
        text = self.text
        return [
            text[a:b]
            for a, b in zip(
                self._starts[at].tolist(), (self._starts[at + 1] - 1).tolist(), strict=True
            )
        ]

    def number(self, ident: str) -> int | None:
        """The id's place in the table (None: not there); a binary search, ~20 string
        comparisons for a million ids."""
        ends, text = self._ends, self.text
        lo, hi = 0, len(self)
        while lo < hi:
            mid = (lo + hi) // 2
            if text[ends[mid] : ends[mid + 1] - 1] < ident:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(self) and text[ends[lo] : ends[lo + 1] - 1] == ident:
            return lo
        return None

    def __contains__(self, ident: object) -> bool:
        return isinstance(ident, str) and self.number(ident) is not None

    def __eq__(self, other: object) -> bool:
        if isinstance(other, IdTable):
            return self.text == other.text and len(self) == len(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.text)

    def __repr__(self) -> str:
        return f"IdTable({len(self)} ids)"
