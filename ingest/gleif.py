"""GLEIF golden copy (JSON): LEI Level 1 records, Level 2 relationship records and reporting
exceptions → raw records.

Level 2 answers *who owns whom* among legal entities: direct and ultimate accounting
consolidation become ``SUBSIDIARY_OF`` (child → parent), fund management ``CONTROLS``
(manager → fund), sub-funds ``SUBSIDIARY_OF`` and feeder funds ``HOLDS_STAKE_IN``. Validity
comes from the relationship period; an inactive relationship without an end date is ended.
An LEI that a relationship names but no Level 1 record describes becomes an entity known
only by its LEI, which a later Level 1 load fills in. Reporting exceptions (why a parent is
not reported) are kept as entity properties.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graphkit.errors import InvalidData, Issue
from graphkit.validate import RawRecord
from ingest.jsonstream import BadJson, NotAnArray, json_records

GOLDEN_COPY = "https://www.gleif.org/en/lei-data/gleif-golden-copy"

#: GLEIF relationship type → (our type, role, whether our source is GLEIF's end node).
RELATIONSHIP_TYPES: dict[str, tuple[str, str, bool]] = {
    "IS_DIRECTLY_CONSOLIDATED_BY": ("SUBSIDIARY_OF", "direct accounting consolidation", False),
    "IS_ULTIMATELY_CONSOLIDATED_BY": ("SUBSIDIARY_OF", "ultimate accounting consolidation", False),
    "IS_INTERNATIONAL_BRANCH_OF": ("SUBSIDIARY_OF", "international branch", False),
    "IS_SUBFUND_OF": ("SUBSIDIARY_OF", "sub-fund", False),
    "IS_FUND-MANAGED_BY": ("CONTROLS", "fund manager", True),
    "IS_FEEDER_TO": ("HOLDS_STAKE_IN", "feeder fund", False),
}


def _lei_entity(lei: str) -> dict[str, Any]:
    return {
        "id": f"lei:{lei}",
        "kind": "Company",
        "name": f"LEI {lei}",
        "unnamed": True,
        "identifiers": {"lei": lei},
    }


def _level1(record: dict[str, Any]) -> dict[str, Any]:
    ent = record["Entity"]
    lei = record["LEI"]
    names = [
        n.get("OtherEntityName")
        for n in ent.get("OtherEntityNames") or []
        if n.get("OtherEntityName")
    ]
    country = (ent.get("LegalAddress") or {}).get("Country")
    props = {
        "gleif_category": ent.get("EntityCategory"),
        "gleif_status": ent.get("EntityStatus"),
        "legal_jurisdiction": ent.get("LegalJurisdiction"),
        "created": (ent.get("EntityCreationDate") or "")[:10] or None,
    }
    return {
        "id": f"lei:{lei}",
        "kind": "Company",
        "name": ent["LegalName"],
        "aliases": names,
        "country": country if country and len(country) == 2 else None,
        "identifiers": {"lei": lei},
        "properties": {k: v for k, v in props.items() if v},
    }


def _relationship(record: dict[str, Any]) -> tuple[dict[str, Any], list[str]] | str:
    rel = record["Relationship"]
    gtype = rel["RelationshipType"]
    if gtype not in RELATIONSHIP_TYPES:
        return f"unknown RelationshipType {gtype!r}"
    rtype, role, reverse = RELATIONSHIP_TYPES[gtype]
    start, end = rel["StartNode"]["NodeID"], rel["EndNode"]["NodeID"]
    periods = [
        p
        for p in rel.get("RelationshipPeriods") or []
        if p.get("PeriodType") == "RELATIONSHIP_PERIOD"
    ]
    since = min((p["StartDate"][:10] for p in periods if p.get("StartDate")), default=None)
    until = max((p["EndDate"][:10] for p in periods if p.get("EndDate")), default=None)
    inactive = rel.get("RelationshipStatus") == "INACTIVE"
    source, target = (end, start) if reverse else (start, end)
    reg = record.get("Registration") or {}
    return (
        {
            "id": f"gleif:{start}:{gtype}:{end}",
            "type": rtype,
            "source": f"lei:{source}",
            "target": f"lei:{target}",
            "role": role,
            "valid_from": since,
            "valid_to": until,
            "ended": inactive and until is None,
            "confidence": "confirmed"
            if reg.get("ValidationSources") == "FULLY_CORROBORATED"
            else "reported",
            "properties": {"gleif_type": gtype, "validation": reg.get("ValidationSources")},
            "evidence": [
                {
                    "source": "gleif-golden-copy-rr",
                    "locator": f"LEI {start} {gtype} {end}; updated "
                    f"{(reg.get('LastUpdateDate') or '')[:10]}",
                    "excerpt": json.dumps(rel, ensure_ascii=False)[:1500],
                }
            ],
        },
        [start, end],
    )


def _records(file: Path) -> Iterator[tuple[int, Any]]:
    """(index, record) of a golden-copy JSON array, read incrementally."""
    try:
        yield from json_records(file, jsonl=False)
    except NotAnArray as exc:
        raise InvalidData(
            [Issue(str(file), None, None, "expected a JSON array of records", 1)]
        ) from exc
    except BadJson as exc:
        raise InvalidData([Issue(str(file), None, None, str(exc), exc.line)]) from exc


def _kind(record: Any) -> str | None:
    """Which GLEIF record this is: relationship, exception, lei, or None (not GLEIF)."""
    if "Relationship" in record:
        return "relationship"
    if "ExceptionCategory" in record:
        return "exception"
    if "Entity" in record:
        return "lei"
    return None


def read_gleif(path: Path) -> Iterator[RawRecord]:
    """Raw records from GLEIF golden-copy JSON files (a folder, or one file of any kind).

    Two passes so that golden copies of millions of records stream: the first checks every
    record and notes which LEIs have a Level 1 record (and their reporting exceptions, a few
    strings each); the second emits entities and relationships as it reads them, with a
    placeholder entity for an LEI that only a relationship or an exception mentions.

    Raises:
        InvalidData: records without the fields the loader needs, with file and position.
    """
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    if path.is_dir() and not files:
        others = sorted(p.name for p in path.iterdir() if not p.name.startswith("."))
        found = f" (found {', '.join(others[:5])})" if others else ""
        raise InvalidData(
            [
                Issue(
                    str(path),
                    None,
                    None,
                    f"no GLEIF golden-copy JSON files{found}; XML and CSV editions are not read, "
                    "download the JSON edition",
                )
            ]
        )
    issues: list[Issue] = []
    level1: set[str] = set()
    exceptions: dict[str, dict[str, str]] = {}
    has_relationships = False
    for file in files:
        name = str(file)
        for i, record in _records(file):
            try:
                kind = _kind(record)
                if kind == "relationship":
                    made = _relationship(record)
                    if isinstance(made, str):
                        issues.append(Issue(name, f"record #{i}", "RelationshipType", made, i))
                    elif not all(isinstance(lei, str) and lei for lei in made[1]):
                        issues.append(Issue(name, f"record #{i}", "NodeID", "expected an LEI", i))
                    has_relationships = True
                elif kind == "exception":
                    exceptions.setdefault(record["LEI"], {})[
                        f"reporting_exception:{record['ExceptionCategory']}"
                    ] = record.get("ExceptionReason", "")
                elif kind == "lei":
                    _level1(record)
                    level1.add(record["LEI"])
                else:
                    issues.append(
                        Issue(
                            name,
                            f"record #{i}",
                            None,
                            "not a GLEIF LEI, relationship or reporting-exception record",
                            i,
                        )
                    )
            except (KeyError, TypeError, AttributeError) as exc:
                issues.append(
                    Issue(
                        name, f"record #{i}", str(exc).strip("'"), "missing or malformed field", i
                    )
                )
    if issues:
        raise InvalidData(issues)
    if has_relationships:
        yield RawRecord(
            "sources",
            {
                "id": "gleif-golden-copy-rr",
                "kind": "register",
                "title": "GLEIF golden copy: Level 2 relationship records",
                "publisher": "GLEIF",
                "url": GOLDEN_COPY,
            },
            str(path),
        )

    def entity(ent: dict[str, Any], lei: str) -> dict[str, Any]:
        if lei in exceptions:
            ent.setdefault("properties", {}).update(exceptions[lei])
        return ent

    placeholders: set[str] = set()
    for file in files:
        name = str(file)
        for i, record in _records(file):
            kind = _kind(record)
            if kind == "lei":
                yield RawRecord("entities", entity(_level1(record), record["LEI"]), name, i)
            elif kind == "relationship":
                made = _relationship(record)
                if isinstance(made, str):  # refused in the first pass already
                    continue
                rel, leis = made
                for lei in leis:
                    if lei not in level1 and lei not in placeholders:
                        placeholders.add(lei)
                        yield RawRecord("entities", entity(_lei_entity(lei), lei), name, i)
                yield RawRecord("relationships", rel, name, i)
    for lei in sorted(exceptions.keys() - level1 - placeholders):
        yield RawRecord("entities", entity(_lei_entity(lei), lei), str(path), 0)
