"""Sorted ids packed into one byte string, numbered by their place, found by binary search.

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
#: Ids taken one by one below this many (measured crossover ~120); gathered with numpy from it
#: on, a chunk at a time.
_GATHER = 128
_CHUNK = 1 << 16
#: Lookups remembered (the memo is emptied when full: ids are immutable, only memory counts).
_ASKED = 4096


class IdTable(Sequence[str]):
    """Ids in ascending order (code points, which is UTF-8 byte order: SQLite's and Python's
    order alike), each once.

    ``table[i]`` is the i-th id and :meth:`number` the way back. The ids are kept as UTF-8
    joined by NUL, which no id may hold; that packed form is also the snapshot's blob, so a
    store opens without decoding a single id.

    >>> ids = IdTable.from_sorted(["a", "b:1", "c"])
    >>> ids[1], ids.number("c"), ids.number("bb"), len(ids)
    ('b:1', 2, None, 3)
    """

    __slots__ = ("_asked", "_ends", "_starts", "blob")

    def __init__(self, blob: bytes, starts: IntArray) -> None:
        #: The ids as UTF-8, joined by NUL.
        self.blob = blob
        #: Where each id begins, then where one past the last would (``len + 1`` entries).
        self._starts = starts
        # Python ints without numpy's scalar boxing (a binary search reads ~40 of them).
        self._ends: memoryview = memoryview(starts.data)
        self._asked: dict[str, int | None] = {}

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
        table = cls.from_blob(text.encode()) if ids else cls.empty()
        if len(table) != len(ids):  # a lone empty id packs to nothing
            raise ValueError("an id is empty")
        table.check_order()
        return table

    @classmethod
    def from_blob(cls, blob: bytes) -> IdTable:
        """The table whose packed form is ``blob`` (a snapshot's; UTF-8 holds no zero byte
        but NUL itself, so the separators are found bytewise)."""
        if not blob:
            return cls.empty()
        nul = np.flatnonzero(np.frombuffer(blob, dtype=np.uint8) == 0)
        starts = np.empty(len(nul) + 2, dtype=np.int64)
        starts[0] = 0
        starts[1:-1] = nul + 1
        starts[-1] = len(blob) + 1
        return cls(blob, starts)

    @classmethod
    def empty(cls) -> IdTable:
        return cls(b"", np.zeros(1, dtype=np.int64))

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
        return self.blob[ends[i] : ends[i + 1] - 1].decode()

    def __iter__(self) -> Iterator[str]:
        return iter(self.blob.decode().split(_SEP)) if len(self) else iter(())

    def take(self, numbers: Sequence[int] | npt.NDArray[np.integer[Any]]) -> list[str]:
        """The ids of many numbers at once: a few one by one, many by gathering their bytes
        with numpy and splitting one decoded string (~0.1 µs an id instead of ~0.8 µs for
        scattered slices), a chunk at a time so the gather stays small."""
        if len(numbers) < _GATHER:
            ends, blob = self._ends, self.blob
            if isinstance(numbers, np.ndarray):
                numbers = numbers.tolist()
            if numbers and not 0 <= min(numbers) <= max(numbers) < len(self):
                raise IndexError("id number out of range")
            return [blob[ends[i] : ends[i + 1] - 1].decode() for i in numbers]
        at = np.asarray(numbers, dtype=np.int64)
        if len(at) and (at.min() < 0 or at.max() >= len(self)):
            raise IndexError("id number out of range")
        codes = np.frombuffer(self.blob, dtype=np.uint8)
        out: list[str] = []
        for lo in range(0, len(at), _CHUNK):
            part = at[lo : lo + _CHUNK]
            first = self._starts[part]
            size = self._starts[part + 1] - first  # the id and its separator
            begin = np.cumsum(size) - size  # where each lands in the gathered bytes
            where = np.repeat(first - begin, size) + np.arange(int(size.sum()))
            gathered = np.take(codes, where, mode="clip")  # the table's last id has no NUL
            gathered[begin + size - 1] = 0
            out += gathered[:-1].tobytes().decode().split(_SEP)
        return out

    def number(self, ident: str) -> int | None:
        """The id's place in the table (None: not there); a binary search, ~20 byte-string
        comparisons for a million ids, remembered for the last few thousand ids asked (a
        service is asked about the same anchors again and again)."""
        if ident in self._asked:
            return self._asked[ident]
        found = self._search(ident)
        if len(self._asked) >= _ASKED:
            self._asked.clear()
        self._asked[ident] = found
        return found

    def _search(self, ident: str) -> int | None:
        ends, blob, probe = self._ends, self.blob, ident.encode()
        lo, hi = 0, len(self)
        while lo < hi:
            mid = (lo + hi) // 2
            if blob[ends[mid] : ends[mid + 1] - 1] < probe:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(self) and blob[ends[lo] : ends[lo + 1] - 1] == probe:
            return lo
        return None

    def __contains__(self, ident: object) -> bool:
        return isinstance(ident, str) and self.number(ident) is not None

    def __eq__(self, other: object) -> bool:
        if isinstance(other, IdTable):
            return self.blob == other.blob and len(self) == len(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.blob)

    def __repr__(self) -> str:
        return f"IdTable({len(self)} ids)"
