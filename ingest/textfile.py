"""Text files as journalists' tools save them: UTF-8 (with or without a byte-order mark),
UTF-16 with its mark, or Excel's Windows-1252; CSV with commas, semicolons or tabs.

Why: a spreadsheet saved by Excel on a European laptop is cp1252 with semicolons, and it must
load; a file that is none of these must be refused with its line and byte offset, never with
a traceback. The encoding is sniffed once from the file's first bytes and then read strictly.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TextIO

from graphkit.errors import InvalidData, Issue

#: How much of a file decides its encoding and CSV dialect.
SNIFF_BYTES = 1 << 16
#: Delimiters a spreadsheet may use.
DELIMITERS = ",;\t|"


class Undecodable(ValueError):
    """Bytes that the detected encoding cannot read."""

    def __init__(self, file: str, encoding: str, line: int, offset: int) -> None:
        super().__init__(
            f"cannot read the file as {encoding} at line {line} (byte offset {offset}); save it "
            "as UTF-8 (in Excel: 'CSV UTF-8')"
        )
        self.file, self.line, self.offset = file, line, offset

    def issue(self) -> Issue:
        """The error as a located :class:`Issue`."""
        return Issue(self.file, None, None, str(self), self.line)


#: An encoding the user declared for this load (``graphkit ingest --encoding``); when set,
#: it is used instead of detection.
DECLARED: ContextVar[str | None] = ContextVar("declared_encoding", default=None)


@contextmanager
def declared(encoding: str | None) -> Iterator[None]:
    """Read every text file in this block in ``encoding`` (None: detect).

    Raises:
        LookupError: an encoding Python does not know.
    """
    if encoding is not None:
        codecs.lookup(encoding)
    token = DECLARED.set(encoding)
    try:
        yield
    finally:
        DECLARED.reset(token)


def detect_encoding(path: Path) -> str:
    """The encoding of a text file: the declared one (see :func:`declared`), else from its
    byte-order mark or its first bytes.

    UTF-8 when the first bytes are valid UTF-8 (a mark is skipped), UTF-16 when it has its
    mark, Windows-1252 otherwise (what Excel writes for "CSV" on Windows).
    """
    if (chosen := DECLARED.get()) is not None:
        return chosen
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "utf-8" if b"\x00" in head else "cp1252"


def locate(path: Path, encoding: str) -> Undecodable:
    """Where ``path`` stops being readable as ``encoding`` (line and byte offset)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    line = 1
    with path.open("rb") as handle:
        while chunk := handle.read(SNIFF_BYTES):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                bad = offset + max(exc.start, 0)
                head = chunk[: max(exc.start, 0)]
                return Undecodable(str(path), encoding, line + head.count(b"\n"), bad)
            line += chunk.count(b"\n")
            offset += len(chunk)
    return Undecodable(str(path), encoding, line, offset)


@contextmanager
def open_text(path: Path) -> Iterator[TextIO]:
    """The file opened for strict reading in its detected encoding (universal newlines kept
    for the csv module)."""
    with path.open(encoding=detect_encoding(path), errors="strict", newline="") as handle:
        yield handle


def lines(path: Path) -> Iterator[str]:
    """Lines of a text file in its detected encoding.

    Raises:
        Undecodable: bytes that encoding cannot read, with line and byte offset.
    """
    encoding = detect_encoding(path)
    try:
        with path.open(encoding=encoding, errors="strict", newline="") as handle:
            yield from handle
    except UnicodeError:
        raise locate(path, encoding) from None


def sniff_delimiter(path: Path) -> str:
    """The CSV delimiter of a file (``,`` when the header alone cannot tell)."""
    encoding = detect_encoding(path)
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    text = head.decode(encoding, errors="ignore")
    header = text.splitlines()[0] if text.strip() else ""
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def csv_rows(path: Path) -> Iterator[tuple[int, dict[str | None, str | None]]]:
    """(line, row) for every data row of a CSV file with a header, in any of the encodings
    and delimiters above. ``line`` is the row's first physical line.

    Raises:
        InvalidData: the path is not a readable file, or bytes that cannot be decoded.
    """
    header(path)  # a missing file or a folder is refused with its name
    reader = csv.DictReader(lines(path), delimiter=sniff_delimiter(path), strict=True)
    try:
        for row in reader:
            yield reader.line_num, row
    except Undecodable as exc:
        raise InvalidData([exc.issue()]) from None
    except csv.Error as exc:
        issue = Issue(str(path), None, None, f"not CSV: {exc}", reader.line_num)
        raise InvalidData([issue]) from None


def header(path: Path) -> list[str]:
    """The header row of a CSV file (empty for an empty file).

    Raises:
        InvalidData: the path is missing or not a file, or its bytes cannot be decoded.
    """
    if not path.is_file():
        what = "a folder" if path.is_dir() else "nothing"
        raise InvalidData([Issue(str(path), None, None, f"expected a CSV file, found {what}")])
    reader = csv.reader(lines(path), delimiter=sniff_delimiter(path))
    try:
        return next(reader, [])
    except Undecodable as exc:
        raise InvalidData([exc.issue()]) from None
