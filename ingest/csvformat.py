"""Curated CSV for journalists: ``entities.csv``, ``relationships.csv``, ``sources.csv``.

A spreadsheet-friendly twin of the YAML format. Lists (aliases) are separated by ``;``;
identifiers are ``scheme:value`` pairs separated by ``;``. A relationship with several pieces
of evidence takes one row per piece: rows with the same relationship (its ``id``, or type,
source, target and ``key``) are joined. Empty cells mean "not given".
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graphkit.errors import InvalidData, Issue
from graphkit.model import with_derived_id
from graphkit.validate import RawRecord
from ingest import textfile
from ingest.report import LoadReport

COLUMNS: dict[str, list[str]] = {
    "sources.csv": ["id", "title", "publisher", "date", "url", "language", "kind", "note"],
    "entities.csv": [
        "id",
        "kind",
        "name",
        "aliases",
        "country",
        "identifiers",
        "description",
        "unnamed",
    ],
    "relationships.csv": [
        "id",
        "key",
        "type",
        "source",
        "target",
        "share",
        "role",
        "status",
        "valid_from",
        "valid_to",
        "ended",
        "confidence",
        "evidence_source",
        "excerpt",
        "stance",
        "locator",
    ],
}

EXAMPLE: dict[str, list[dict[str, str]]] = {
    "sources.csv": [
        {
            "id": "note-zoom-china-standards",
            "title": "Zoom, China en wie de standaarden schrijft",
            "date": "2025-11-30",
            "language": "nl",
            "kind": "note",
        },
    ],
    "entities.csv": [
        {
            "id": "logink",
            "kind": "Platform",
            "name": "LOGINK",
            "aliases": "logistiek dataplatform LOGINK",
            "country": "CN",
        },
        {
            "id": "port-of-rotterdam",
            "kind": "Port",
            "name": "Port of Rotterdam",
            "aliases": "Rotterdam;haven van Rotterdam",
            "country": "NL",
        },
    ],
    "relationships.csv": [
        {
            "type": "AGREEMENT_WITH",
            "source": "logink",
            "target": "port-of-rotterdam",
            "valid_from": "2019",
            "confidence": "reported",
            "evidence_source": "note-zoom-china-standards",
            "excerpt": "terwijl er in 2019 wel degelijk een samenwerkingsovereenkomst is getekend",
            "stance": "supports",
        },
    ],
}


def write_template(folder: Path) -> list[Path]:
    """Write the three files with their headers and one example row each."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, columns in COLUMNS.items():
        path = folder / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            for example in EXAMPLE[name]:
                writer.writerow({c: example.get(c, "") for c in columns})
        written.append(path)
    return written


def _rows(path: Path, issues: list[Issue]) -> Iterator[tuple[int, dict[str, str]]]:
    """Data rows of one of the three files, in whatever encoding and delimiter a spreadsheet
    saved it (see :mod:`ingest.textfile`); a row with more cells than the header is an error,
    never silently cut."""
    if not path.is_file():
        issues.append(Issue(str(path), None, None, "expected a CSV file, found a folder"))
        return
    columns = [c.strip() for c in textfile.header(path)]
    unknown = set(columns) - set(COLUMNS[path.name])
    if unknown:
        issues.append(
            Issue(
                str(path),
                None,
                ", ".join(sorted(unknown)),
                f"unknown column(s); expected {', '.join(COLUMNS[path.name])}",
                1,
            )
        )
        return
    for number, row in textfile.csv_rows(path):
        if row.get(None):
            issues.append(
                Issue(str(path), None, None, f"more cells than the {len(columns)} columns", number)
            )
            continue
        clean = {k.strip(): v.strip() for k, v in row.items() if k and v is not None and v.strip()}
        if clean:
            yield number, clean


def _entity(row: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = dict(row)
    if "aliases" in data:
        data["aliases"] = [a.strip() for a in data["aliases"].split(";") if a.strip()]
    if "identifiers" in data:
        parts = [p.strip() for p in data["identifiers"].split(";") if p.strip()]
        bad = [p for p in parts if ":" not in p or not all(x.strip() for x in p.split(":", 1))]
        if bad:
            # Checked by validation with the line: an identifier is never dropped silently.
            data["identifiers"] = f"expected scheme:value pairs separated by ';', got {bad[0]!r}"
        else:
            pairs = [p.split(":", 1) for p in parts]
            data["identifiers"] = {k.strip(): v.strip() for k, v in pairs}
    if "unnamed" in data:
        data["unnamed"] = data["unnamed"].lower() in ("1", "true", "yes", "y")
    return data


def read_csv_folder(path: Path, report: LoadReport | None = None) -> Iterator[RawRecord]:
    """Raw records from a folder holding any of the three CSV files.

    Raises:
        InvalidData: unknown columns or unreadable files, with file and line.
    """
    issues: list[Issue] = []
    strangers = sorted(
        p.name
        for p in path.iterdir()
        if p.name not in COLUMNS and not p.name.startswith(".") and p.suffix not in (".md", ".txt")
    )
    if strangers and report is not None and report.allow_unknown:
        for name in strangers:
            report.skipped[f"file not read (not one of the three CSV files): {name}"] += 1
    elif strangers:
        raise InvalidData(
            [
                Issue(
                    str(path / strangers[0]),
                    None,
                    None,
                    f"not one of {', '.join(COLUMNS)} (found {', '.join(strangers[:5])}); "
                    "rename or move it out",
                    1,
                )
            ]
        )
    if not any((path / name).exists() for name in COLUMNS):
        raise InvalidData(
            [
                Issue(
                    str(path),
                    None,
                    None,
                    "expected entities.csv, relationships.csv and/or sources.csv",
                )
            ]
        )
    if (path / "sources.csv").exists():
        for number, row in _rows(path / "sources.csv", issues):
            yield RawRecord("sources", row, str(path / "sources.csv"), number)
    if (path / "entities.csv").exists():
        for number, row in _rows(path / "entities.csv", issues):
            yield RawRecord("entities", _entity(row), str(path / "entities.csv"), number)
    rels: dict[str, tuple[dict[str, Any], int]] = {}
    raw: dict[str, dict[str, str]] = {}
    rel_file = path / "relationships.csv"
    if rel_file.exists():
        for number, row in _rows(rel_file, issues):
            evidence: dict[str, str] = {
                k: row.pop(k) for k in ("excerpt", "stance", "locator") if k in row
            }
            if "evidence_source" in row:
                evidence["source"] = row.pop("evidence_source")
            key = with_derived_id(row).get("id") or f"line {number}"
            if key in rels:
                first, first_line = rels[key]
                seen = raw[key]
                clash = sorted(
                    f
                    for f in (set(row) | set(seen)) - {"id", "key"}
                    if seen.get(f, "") != row.get(f, "")
                )
                if clash:
                    issues.append(
                        Issue(
                            str(rel_file),
                            f"relationship {key!r}",
                            ", ".join(clash),
                            f"line {number} repeats the relationship of line {first_line} with "
                            "other values; one row per piece of evidence must repeat the same "
                            "facts",
                            number,
                        )
                    )
                    continue
                first["evidence"].append(evidence)
                continue
            raw[key] = dict(row)
            if "ended" in row:
                row["ended"] = row["ended"].lower() in ("1", "true", "yes", "y")  # type: ignore[assignment]
            if "share" in row:
                try:
                    row["share"] = float(row["share"])  # type: ignore[assignment]
                except ValueError:
                    pass  # validation reports it with the line
            if "confidence" in row:
                try:
                    row["confidence"] = float(row["confidence"])  # type: ignore[assignment]
                except ValueError:
                    pass
            rels[key] = ({**row, "evidence": [evidence] if evidence else []}, number)
    if issues:
        raise InvalidData(issues)
    for data, number in rels.values():
        yield RawRecord("relationships", data, str(rel_file), number)
