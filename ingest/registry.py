"""Every input format declared once, as data: its name, what it reads, how to recognise it.

Why: the CLI's ``--format`` choices and help, auto-detection and :func:`read_path` all derive
from :data:`FORMATS`, so a new loader is one entry here. Detection looks at the *structure*
of the first record (which keys it has and what they hold), never at substrings of the
file's first bytes, so a curated record that happens to mention ``"schema"`` is not FtM.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphkit.errors import InvalidData
from graphkit.validate import RawRecord
from ingest import textfile
from ingest.curated import is_record_line
from ingest.jsonstream import BadJson, NotAnArray, json_records
from ingest.report import LoadReport

#: A loader as the registry calls it: the path, the report to count skips in, and whether an
#: FtM file is declared to be graphkit's own export.
Read = Callable[[Path, LoadReport, bool], Iterator[RawRecord]]


@dataclass(frozen=True)
class Format:
    """One input format: what ``--format NAME`` reads and how auto-detection knows it."""

    name: str
    #: One line for ``--help`` and error messages.
    help: str
    read: Read
    #: True when the first JSON record of a file has this format's shape.
    record: Callable[[Any], bool] | None = None
    #: True when a folder holds this format (checked before looking at records).
    folder: Callable[[Path], bool] | None = None


def _curated(path: Path, report: LoadReport, restore: bool) -> Iterator[RawRecord]:
    from ingest.curated import read_curated

    return read_curated(path, report)


def _csv(path: Path, report: LoadReport, restore: bool) -> Iterator[RawRecord]:
    from ingest.csvformat import read_csv_folder

    return read_csv_folder(path, report)


def _ftm(path: Path, report: LoadReport, restore: bool) -> Iterator[RawRecord]:
    from ingest.ftm import read_ftm

    return read_ftm(path, report, restore)


def _bods(path: Path, report: LoadReport, restore: bool) -> Iterator[RawRecord]:
    from ingest.bods import read_bods

    return read_bods(path)


def _gleif(path: Path, report: LoadReport, restore: bool) -> Iterator[RawRecord]:
    from ingest.gleif import read_gleif

    return read_gleif(path)


def _icij(path: Path, report: LoadReport, restore: bool) -> Iterator[RawRecord]:
    from ingest.icij import read_icij

    return read_icij(path, report)


def _is_ftm(record: Any) -> bool:
    """An FtM entity: an id, a schema the FtM model knows, and a mapping of properties."""
    if not (
        isinstance(record, dict)
        and isinstance(record.get("schema"), str)
        and isinstance(record.get("properties"), dict)
        and "id" in record
    ):
        return False
    from followthemoney import model

    return model.get(record["schema"]) is not None


def _is_bods(record: Any) -> bool:
    """A BODS statement: a statement id (0.4 ``statementId``, 0.3 ``statementID``) and a
    record or statement type."""
    return (
        isinstance(record, dict)
        and isinstance(record.get("statementId", record.get("statementID")), str)
        and any(key in record for key in ("recordType", "recordDetails", "statementType"))
    )


def _is_gleif(record: Any) -> bool:
    """A GLEIF golden-copy record: Level 1 (``LEI`` + ``Entity``), a reporting exception
    (``LEI`` + ``ExceptionCategory``) or Level 2 (``Relationship`` with its two nodes)."""
    if not isinstance(record, dict):
        return False
    rel = record.get("Relationship")
    if isinstance(rel, dict):
        return "StartNode" in rel and "EndNode" in rel
    return "LEI" in record and ("Entity" in record or "ExceptionCategory" in record)


def _csv_header(file: Path) -> set[str]:
    try:
        return {name.strip().lower() for name in textfile.header(file)}
    except (InvalidData, OSError):
        return set()


def _is_csv_folder(path: Path) -> bool:
    """The three-spreadsheet template: ``entities.csv``/``sources.csv``, or a
    ``relationships.csv`` whose header names ``source`` and ``target`` columns."""
    if (path / "entities.csv").exists() or (path / "sources.csv").exists():
        return True
    rels = path / "relationships.csv"
    return rels.exists() and {"source", "target"} <= _csv_header(rels)


def _is_icij_folder(path: Path) -> bool:
    """An Offshore Leaks folder: ``relationships.csv`` linking ``node_id_start`` to
    ``node_id_end``, beside its ``nodes-*.csv`` files."""
    rels = path / "relationships.csv"
    return rels.exists() and {"node_id_start", "node_id_end"} <= _csv_header(rels)


def _is_curated_folder(path: Path) -> bool:
    return any(p.suffix in (".yaml", ".yml") for p in path.rglob("*") if p.is_file())


FORMATS: tuple[Format, ...] = (
    Format(
        "curated",
        "graphkit's own YAML (or JSON lines, one {section: record} per line)",
        _curated,
        record=is_record_line,
        folder=_is_curated_folder,
    ),
    Format("csv", "a folder of entities.csv, relationships.csv, sources.csv", _csv,
           folder=_is_csv_folder),
    Format("ftm", "FollowTheMoney entities, JSON lines", _ftm, record=_is_ftm),
    Format("bods", "Beneficial Ownership Data Standard 0.4 or 0.3 statements", _bods,
           record=_is_bods),
    Format("gleif", "GLEIF golden-copy JSON (Level 1, Level 2, reporting exceptions)", _gleif,
           record=_is_gleif),
    Format("icij", "an ICIJ Offshore Leaks folder of CSVs", _icij, folder=_is_icij_folder),
)  # fmt: skip
#: Format by name, ``yaml`` kept as another name for ``curated``.
BY_NAME: Mapping[str, Format] = {f.name: f for f in FORMATS} | {"yaml": FORMATS[0]}
#: What ``--format`` accepts.
NAMES: tuple[str, ...] = ("auto", *(f.name for f in FORMATS))


class UnknownFormat(ValueError):
    """A path whose format cannot be told, or a format name that is not known."""


#: JSON files looked at when a folder holds neither spreadsheets nor YAML.
_JSON_SUFFIXES = (".json", ".jsonl")


def first_record(file: Path) -> Any:
    """The first record of a JSON array or a JSON-lines file, read without loading the rest.

    Raises:
        UnknownFormat: the file is neither (with what the parser said).
    """
    with file.open("rb") as handle:
        head = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    try:
        for _position, record in json_records(file, jsonl=not head.startswith(b"[")):
            return record
    except (BadJson, NotAnArray, textfile.Undecodable) as exc:
        raise UnknownFormat(f"cannot tell the format of {file}: {exc}") from None
    except (json.JSONDecodeError, UnicodeError) as exc:  # pragma: no cover - belt and braces
        raise UnknownFormat(f"cannot tell the format of {file}: {exc}") from None
    raise UnknownFormat(f"cannot tell the format of {file}: it holds no records")


def detect(path: Path) -> str:
    """The format of a file or folder: a folder by the files it holds, a file by its
    extension (YAML) or by the shape of its first record.

    >>> detect(Path("data/seed"))
    'curated'

    Raises:
        UnknownFormat: nothing matches; the message lists the formats to pass instead.
    """
    choices = "; pass --format " + "|".join(f.name for f in FORMATS)
    if not path.exists():
        raise UnknownFormat(f"cannot tell the format of {path}: no such file or folder")
    if path.is_dir():
        for fmt in FORMATS:
            if fmt.folder is not None and fmt.folder(path):
                return fmt.name
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in _JSON_SUFFIXES)
        if not files:
            raise UnknownFormat(f"cannot tell the format of {path}: no data files in it{choices}")
        return detect(files[0])
    if path.suffix in (".yaml", ".yml"):
        return "curated"
    record = first_record(path)
    for fmt in FORMATS:
        if fmt.record is not None and fmt.record(record):
            return fmt.name
    keys = ", ".join(sorted(map(str, record))[:6]) if isinstance(record, dict) else None
    shape = f"a record with keys {keys}" if keys else f"a {type(record).__name__}"
    raise UnknownFormat(f"cannot tell the format of {path}: its first record is {shape}{choices}")


def read_path(
    path: Path, fmt: str = "auto", report: LoadReport | None = None, restore: bool = False
) -> Iterator[RawRecord]:
    """Read a file or folder in the named format (``auto`` detects it); loaders that skip
    records on purpose count them, by reason, in ``report``. ``restore`` declares an FtM file
    to be graphkit's own export (see :func:`ingest.ftm.read_ftm`).

    Raises:
        UnknownFormat: an unknown format name, or one that cannot be detected.
    """
    name = detect(path) if fmt == "auto" else fmt
    if name not in BY_NAME:
        raise UnknownFormat(f"unknown format {fmt!r}; known: {', '.join(NAMES)}")
    return BY_NAME[name].read(path, report if report is not None else LoadReport(), restore)
