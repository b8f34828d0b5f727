"""FollowTheMoney (OCCRP Aleph, OpenSanctions) entity JSON lines → raw records.

Each line is checked against the ``followthemoney`` package's own schema: the schema must
exist, every property must belong to it and every value must clean to its type. Things
become entities; interval schemas (Ownership, Directorship, Membership, Employment, Family,
Associate, Representation, UnknownLink) become relationships with their dates as validity.
Records of other schemata (addresses, sanctions, passports…) are counted as skipped with the
reason. The file is read line by line, never whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from followthemoney import model

from graphkit.errors import InvalidData, Issue
from graphkit.ftm_export import NOTE_PREFIX
from graphkit.validate import RawRecord, Section
from ingest import textfile
from ingest.report import LoadReport

#: FtM thing schemata → our entity kinds.
ENTITY_KINDS: dict[str, str] = {
    "Person": "Person",
    "Company": "Company",
    "Organization": "Company",
    "LegalEntity": "Company",
    "PublicBody": "PublicBody",
}

#: FtM interval schemata → (relationship type, role when the record gives none).
RELATIONSHIP_TYPES: dict[str, tuple[str, str | None]] = {
    "Ownership": ("OWNS", None),
    "Directorship": ("HOLDS_POSITION", "director"),
    "Employment": ("HOLDS_POSITION", "employee"),
    "Membership": ("MEMBER_OF", None),
    "Representation": ("ASSOCIATED_WITH", "represents"),
    "Family": ("FAMILY_OF", None),
    "Associate": ("ASSOCIATED_WITH", None),
    "UnknownLink": ("ASSOCIATED_WITH", "unknown link"),
}

#: Property types whose values this loader uses, so they must clean to their type.
CHECKED_TYPES = frozenset({"date", "number", "country", "entity"})

IDENTIFIERS = (
    "leiCode",
    "registrationNumber",
    "innCode",
    "ogrnCode",
    "wikidataId",
    "taxNumber",
    "vatCode",
    "idNumber",
    "opencorporatesUrl",
    "swiftBic",
)
KEPT_PROPERTIES = (
    "birthDate",
    "incorporationDate",
    "dissolutionDate",
    "legalForm",
    "status",
    "topics",
    "sector",
)


def _first(values: list[str] | None) -> str | None:
    return values[0] if values else None


def _date(values: list[str] | None) -> str | None:
    value = _first(values)
    return value[:10] if value else None


def _source_for(data: dict[str, Any], props: dict[str, list[str]], file: str) -> dict[str, Any]:
    """The document a record comes from: its source URL, else its dataset, else the file."""
    url = _first(props.get("sourceUrl"))
    publisher = _first(props.get("publisher"))
    if url:
        host = urlparse(url).netloc or url
        return {
            "id": f"url:{host}{urlparse(url).path}"[:290].rstrip("/"),
            "title": publisher or f"Record at {host}",
            "url": url,
            "kind": "registry",
        }
    datasets = data.get("datasets") or []
    if datasets:
        return {
            "id": f"dataset:{datasets[0]}",
            "title": f"Dataset {datasets[0]}",
            "publisher": publisher,
            "kind": "dataset",
        }
    return {
        "id": f"file:{Path(file).name}",
        "title": f"FollowTheMoney file {Path(file).name}",
        "kind": "dataset",
    }


def _check(data: Any, file: str, line: int) -> tuple[Any, list[Issue]]:
    """The FtM proxy for a record, or the problems with it."""
    where: dict[str, Any] = {"file": file, "line": line}
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        return None, [
            Issue(**where, record=None, field="id", message="expected an object with a string 'id'")
        ]
    record = f"ftm {data['id']!r}"
    name = data.get("schema")
    schema = model.get(name) if isinstance(name, str) else None
    if schema is None:
        return None, [
            Issue(
                **where,
                record=record,
                field="schema",
                message=f"unknown FollowTheMoney schema {data.get('schema')!r}",
            )
        ]
    issues = []
    props = data.get("properties", {})
    if not isinstance(props, dict):
        return None, [
            Issue(
                **where,
                record=record,
                field="properties",
                message="expected an object of property lists",
            )
        ]
    for name, values in props.items():
        prop = schema.get(name)
        if prop is None:
            issues.append(
                Issue(
                    **where,
                    record=record,
                    field=f"properties.{name}",
                    message=f"not a property of {schema.name}",
                )
            )
            continue
        if not isinstance(values, list):
            issues.append(
                Issue(
                    **where,
                    record=record,
                    field=f"properties.{name}",
                    message="expected a list of values",
                )
            )
            continue
        odd = [v for v in values if isinstance(v, bool) or not isinstance(v, (str, int, float))]
        if odd:
            issues.append(
                Issue(
                    **where,
                    record=record,
                    field=f"properties.{name}",
                    message=f"expected text values, got {odd[0]!r}"[:200],
                )
            )
            continue
        # Numbers are read as their text (some exporters write percentages as numbers).
        values[:] = [v if isinstance(v, str) else repr(v) for v in values]
        if prop.type.name not in CHECKED_TYPES:
            continue  # kept as FtM keeps it; we only read the types below
        for value in values:
            if prop.type.clean(str(value), proxy=None) is None:
                issues.append(
                    Issue(
                        **where,
                        record=record,
                        field=f"properties.{name}",
                        message=f"{value!r} is not a valid {prop.type.name}",
                    )
                )
    if issues:
        return None, issues
    try:
        return model.get_proxy(data), []
    except (TypeError, ValueError, AttributeError) as exc:
        return None, [Issue(**where, record=record, field=None, message=f"not FtM: {exc}")]


def _entity(proxy: Any, kind: str) -> dict[str, Any]:
    names = list(dict.fromkeys(proxy.get("name")))
    name = proxy.caption or (names[0] if names else proxy.id)
    countries = (
        proxy.get("country", quiet=True)
        or proxy.get("jurisdiction", quiet=True)
        or proxy.get("nationality", quiet=True)
    )
    country = countries[0].upper() if countries and len(countries[0]) == 2 else None
    identifiers = {k: proxy.get(k)[0] for k in IDENTIFIERS if proxy.schema.get(k) and proxy.get(k)}
    properties = {
        k: "; ".join(proxy.get(k)) for k in KEPT_PROPERTIES if proxy.schema.get(k) and proxy.get(k)
    }
    return {
        "id": proxy.id,
        "kind": kind,
        "name": name,
        "aliases": [n for n in names if n != name][:25],
        "country": country,
        "identifiers": identifiers,
        "properties": {**properties, "ftm_schema": proxy.schema.name},
    }


def _relationship(
    proxy: Any, data: dict[str, Any], file: str, line: int
) -> tuple[dict[str, Any], dict[str, Any]] | list[Issue]:
    rtype, default_role = RELATIONSHIP_TYPES[proxy.schema.name]
    schema = proxy.schema
    source, target = _first(proxy.get(schema.edge_source)), _first(proxy.get(schema.edge_target))
    if not source or not target:
        missing = schema.edge_source if not source else schema.edge_target
        return [
            Issue(
                file=file,
                line=line,
                record=f"ftm {proxy.id!r}",
                field=missing,
                message=f"{schema.name} needs both {schema.edge_source} and {schema.edge_target}",
            )
        ]
    props: dict[str, list[str]] = data.get("properties") or {}
    rel: dict[str, Any] = {
        "id": proxy.id,
        "type": rtype,
        "source": source,
        "target": target,
        "valid_from": _date(proxy.get("startDate", quiet=True)),
        "valid_to": _date(proxy.get("endDate", quiet=True)),
        "role": _first(proxy.get("role", quiet=True))
        or _first(proxy.get("relationship", quiet=True))
        or default_role,
    }
    percentage = _first(props.get("percentage"))
    if percentage is not None:
        try:
            share = float(percentage) / 100.0
        except ValueError:
            share = -1.0
        if not 0.0 <= share <= 1.0:
            return [
                Issue(
                    file=file,
                    line=line,
                    record=f"ftm {proxy.id!r}",
                    field="properties.percentage",
                    message=f"expected a percentage from 0 to 100, got {percentage!r}",
                )
            ]
        rel["share"] = share
    shares = _first(props.get("sharesCount"))
    if shares:
        rel["properties"] = {"shares_count": shares}
    src = _source_for(data, props, file)
    summary = ", ".join(
        f"{k}={'; '.join(v)[:80]}"
        for k, v in sorted(props.items())
        if k not in ("indexText", "proof")
    )
    rel["evidence"] = [
        {
            "source": src["id"],
            "locator": f"FtM {schema.name} {proxy.id}",
            "excerpt": f"{schema.name}: {summary}"[:1500],
        }
    ]
    return rel, src


def _restored(
    data: dict[str, Any], proxy: Any, file: str, line: int
) -> tuple[Section, dict[str, Any]] | Issue | None:
    """The exact graphkit record carried by an export's ``graphkit:`` note, if any, checked:
    it must be a JSON object whose id is the FtM entity's own (an edited or forged note that
    names another record would otherwise overwrite it)."""
    props = data.get("properties") or {}
    field = "description" if proxy.schema.is_a("Interval") else "notes"
    for note in props.get(field) or []:
        if isinstance(note, str) and note.startswith(NOTE_PREFIX):
            try:
                record = json.loads(note[len(NOTE_PREFIX) :])
            except (json.JSONDecodeError, RecursionError):
                record = None
            if not isinstance(record, dict) or record.get("id") != proxy.id:
                return Issue(
                    file,
                    f"ftm {proxy.id!r}",
                    f"properties.{field}",
                    "the graphkit note is not this entity's exported record (edited or "
                    "forged?); load the file without --restore to read it as plain FtM",
                    line,
                )
            if proxy.schema.name == "Document":
                return "sources", record
            if proxy.schema.is_a("Interval"):
                return "relationships", record
            return "entities", record
    return None


def read_ftm(
    path: Path, report: LoadReport | None = None, restore: bool = False
) -> Iterator[RawRecord]:
    """Raw records from a FollowTheMoney JSON-lines file (or a folder of them).

    With ``restore`` the file is declared to be graphkit's own ``export-ftm`` output and each
    record is restored exactly from its ``graphkit:`` note (checked against the entity's id);
    otherwise such notes are plain FtM data, never records.

    Raises:
        InvalidData: every malformed line, with file, line, record and field.
    """
    report = report or LoadReport()
    files = sorted(path.rglob("*.json*")) if path.is_dir() else [path]
    issues: list[Issue] = []
    for file in files:
        name = str(file)
        seen_sources: set[str] = set()
        try:
            for number, text in enumerate(textfile.lines(file), 1):
                if not text.strip():
                    continue
                report.read += 1
                try:
                    data = json.loads(text)
                except RecursionError:
                    issues.append(
                        Issue(name, None, None, "not valid JSON: nested too deep", number)
                    )
                    continue
                except json.JSONDecodeError as exc:
                    issues.append(
                        Issue(
                            file=name,
                            line=number,
                            record=None,
                            field=None,
                            message=f"not valid JSON: {exc.msg}",
                        )
                    )
                    continue
                proxy, problems = _check(data, name, number)
                if problems:
                    issues += problems
                    continue
                schema = proxy.schema.name
                restored = _restored(data, proxy, name, number) if restore else None
                if isinstance(restored, Issue):
                    issues.append(restored)
                    continue
                if restored is not None:
                    section, record = restored
                    yield RawRecord(section, record, name, number)
                    continue
                if schema in ENTITY_KINDS:
                    yield RawRecord("entities", _entity(proxy, ENTITY_KINDS[schema]), name, number)
                elif schema in RELATIONSHIP_TYPES:
                    made = _relationship(proxy, data, name, number)
                    if isinstance(made, list):
                        issues += made
                        continue
                    rel, src = made
                    if src["id"] not in seen_sources:
                        seen_sources.add(src["id"])
                        yield RawRecord("sources", src, name, number)
                    yield RawRecord("relationships", rel, name, number)
                else:
                    report.skipped[f"{schema}: not an actor or a relationship"] += 1
        except textfile.Undecodable as exc:
            issues.append(exc.issue())
    if issues:
        raise InvalidData(issues)
