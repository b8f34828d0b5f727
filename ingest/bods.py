"""Beneficial Ownership Data Standard (BODS) 0.4 and 0.3 statements → raw records.

Every statement is validated against the published BODS 0.4 JSON schema (with date and URI
formats checked); an invalid one is refused with its file, statement and field. Entity and
person records become entities; relationship records become one relationship per interest:
direct shareholdings as ``OWNS`` with the exact share (or the lower bound of a range, the
range kept as properties), indirect ones as ``HOLDS_STAKE_IN`` without a share (they are
already integrated, so the arithmetic must not count them twice), and control interests
(voting rights, board appointment, other influence or control…) as ``CONTROLS``. Every
statement about a relationship record is kept as its own version with its own validity: a
later statement ends the earlier version, a closing one ends the last (see :func:`_plan`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from graphkit.errors import InvalidData, Issue
from graphkit.validate import RawRecord
from ingest.jsonstream import BadJson, NotAnArray, json_records

#: Where the BODS 0.4 schema lives: GRAPHKIT_BODS_SCHEMA, else the shared data beside the repo.
SCHEMA_ENV = "GRAPHKIT_BODS_SCHEMA"

STATE_TYPES = {"state", "stateBody"}
SHARE_INTERESTS = {"shareholding"}
CONTROL_INTERESTS = {
    "votingRights",
    "appointmentOfBoard",
    "otherInfluenceOrControl",
    "seniorManagingOfficial",
    "settlor",
    "trustee",
    "protector",
    "beneficiaryOfLegalArrangement",
    "rightsToSurplusAssetsOnDissolution",
    "rightsToProfitOrIncome",
    "rightsGrantedByContract",
    "conditionalRightsGrantedByContract",
    "controlViaCompanyRulesArticles",
    "controlByLegalFramework",
    "boardMember",
    "boardChair",
    "unknownInterest",
    "unpublishedInterest",
    "enjoymentAndUseOfAssets",
    "rightToProfitOrIncomeFromAssets",
    "nominee",
    "nominator",
}


def schema_dir() -> Path:
    """The folder holding ``statement.json`` and its companions."""
    configured = os.environ.get(SCHEMA_ENV)
    candidates = [Path(configured)] if configured else []
    here = Path(__file__).resolve()
    candidates += [p / "shared" / "data" / "bods-0.4" / "schema" for p in here.parents[:4]]
    for candidate in candidates:
        if (candidate / "statement.json").exists():
            return candidate
    raise FileNotFoundError(f"BODS 0.4 schema not found; set {SCHEMA_ENV} to its folder")


@cache
def validator() -> Draft202012Validator:
    """A validator for one statement, with every schema file registered by its ``$id``."""
    folder = schema_dir()
    resources = []
    for file in folder.glob("*.json"):
        doc = json.loads(file.read_text(encoding="utf-8"))
        if "$id" in doc:
            resources.append((doc["$id"], Resource.from_contents(doc)))
    registry: Registry = Registry().with_resources(resources)
    # statement.json describes an array of statements; one statement is its $defs/Statement.
    one = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": "urn:statement#/$defs/Statement",
    }
    return Draft202012Validator(
        one, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def _statements(file: Path) -> Iterator[tuple[int, Any]]:
    """(position, statement) from a JSON array (``.json``) or JSON lines (``.jsonl``), read
    incrementally.

    Raises:
        NotAnArray: a ``.json`` file holds something other than an array, which BODS forbids.
        BadJson: the file is not valid JSON.
    """
    try:
        yield from json_records(file)
    except NotAnArray as exc:
        raise NotAnArray("BODS data must be an array of statements (JSON) or JSON lines") from exc


def check_statement(stmt: Any, file: str, position: int) -> list[Issue]:
    """Every schema violation of one statement."""
    record = f"statement {stmt.get('statementId')!r}" if isinstance(stmt, dict) else None
    issues = []
    for err in sorted(validator().iter_errors(stmt), key=lambda e: list(e.absolute_path)):
        path = ".".join(str(p) for p in err.absolute_path) or None
        issues.append(
            Issue(file=file, line=position, record=record, field=path, message=err.message[:300])
        )
    return issues


def _entity(stmt: dict[str, Any]) -> dict[str, Any]:
    details = stmt["recordDetails"]
    rid = stmt["recordId"]
    if stmt["recordType"] == "person":
        names = [
            n.get("fullName") or " ".join(filter(None, [n.get("givenName"), n.get("familyName")]))
            for n in details.get("names", [])
        ]
        names = [n for n in names if n]
        kind = "Person"
        country = next((n.get("code") for n in details.get("nationalities", [])), None)
    else:
        names = [details.get("name")] if details.get("name") else []
        names += details.get("alternateNames", [])
        etype = (details.get("entityType") or {}).get("type")
        kind = "StateBody" if etype in STATE_TYPES else "Company"
        country = (details.get("jurisdiction") or {}).get("code")
    identifiers = {
        f"{i.get('scheme') or i.get('schemeName')}": i["id"]
        for i in details.get("identifiers", [])
        if i.get("id")
    }
    name = names[0] if names else f"Unnamed {stmt['recordType']} {rid}"
    return {
        "id": f"bods:{rid}",
        "kind": kind,
        "name": name,
        "aliases": names[1:],
        "country": country.upper() if country and len(country) == 2 else None,
        "identifiers": identifiers,
        "unnamed": not names,
        "properties": {"bods_record_type": stmt["recordType"]},
    }


def _slug(text: str) -> str:
    """An id-safe form of free text (publisher names, addresses).

    >>> _slug("Company Register, Ciudad de Mexico")
    'Company-Register-Ciudad-de-Mexico'
    """
    return re.sub(r"[^A-Za-z0-9._:/-]+", "-", text).strip("-")[:250] or "unknown"


def _party(ref: Any) -> str | None:
    if isinstance(ref, str):
        return f"bods:{ref}"
    return None


def _source(stmt: dict[str, Any]) -> dict[str, Any]:
    """The document a statement comes from: one per publisher (or source URL) and statement
    day, dated by the statement, so that known-by questions see when each fact was recorded."""
    pub = stmt.get("publicationDetails") or {}
    publisher = (pub.get("publisher") or {}).get("name")
    src = stmt.get("source") or {}
    url = src.get("url")
    key = url or publisher or "unknown"
    day = _day(stmt.get("statementDate")) or _day(pub.get("publicationDate"))
    return {
        "id": "bods-source:" + _slug(key) + (f"/{day}" if day else ""),
        "title": src.get("description")
        or (f"BODS statements published by {publisher}" if publisher else "BODS statements"),
        "publisher": publisher,
        "date": day,
        "url": url,
        "kind": "register",
    }


def _relationships(stmt: dict[str, Any], record: str, version: _Version) -> list[dict[str, Any]]:
    """One relationship per interest of one version of a relationship record, with the
    validity that version held (see :func:`_plan`)."""
    details = stmt["recordDetails"]
    subject, party = _party(details.get("subject")), _party(details.get("interestedParty"))
    if not subject or not party:
        return []  # unspecified subject or party: nothing to join
    out = []
    for i, interest in enumerate(_interests(stmt)):
        itype = interest.get("type", "unknownInterest")
        share = interest.get("share") or {}
        direct = interest.get("directOrIndirect", "unknown")
        start = _day(interest.get("startDate"))
        since = max(start, version.effect) if start and version.effect else start or version.effect
        until = _day(interest.get("endDate")) or version.until_by_type.get(itype) or version.until
        empty = bool(since and until and until < since)
        evidence = [
            {
                "source": version.source["id"],
                "locator": f"BODS statement {stmt['statementId']}",
                "excerpt": json.dumps(interest, ensure_ascii=False)[:1500],
            }
        ]
        if version.closed_by is not None:
            evidence.append(
                {
                    "source": version.closed_by.source["id"],
                    "locator": f"BODS statement {version.closed_by.statement} (record closed)",
                    "excerpt": version.closed_by.excerpt,
                }
            )
        rel: dict[str, Any] = {
            "id": f"bods:{record}/{version.statement}#{i}",
            "source": party,
            "target": subject,
            "valid_from": since,
            "valid_to": None if empty else until,
            "role": itype,
            # A version whose interval is empty never held on its own (a later statement
            # took effect first): kept for the record, out of every dated answer.
            "ended": empty,
            "properties": {
                "direct_or_indirect": direct,
                "beneficial_ownership": bool(interest.get("beneficialOwnershipOrControl")),
                "bods_record": record,
                "bods_statement": version.statement,
                "statement_date": version.stamp or None,
            },
            "evidence": evidence,
        }
        if start and start != since:
            rel["properties"]["interest_start"] = start
        exact = share.get("exact")
        low = share.get("minimum", share.get("exclusiveMinimum"))
        high = share.get("maximum", share.get("exclusiveMaximum"))
        if low is not None:
            rel["properties"]["share_min"] = low / 100.0
            if "minimum" not in share:
                rel["properties"]["share_min_exclusive"] = True
        if high is not None:
            rel["properties"]["share_max"] = high / 100.0
            if "maximum" not in share:
                rel["properties"]["share_max_exclusive"] = True
        if exact is not None:
            rel["properties"]["share_exact"] = True
        value = exact if exact is not None else low
        if itype in SHARE_INTERESTS and direct != "indirect":
            rel["type"] = "OWNS"
            if value is not None:
                rel["share"] = value / 100.0
        elif itype in SHARE_INTERESTS:
            rel["type"] = "HOLDS_STAKE_IN"
            if value is not None:
                rel["properties"]["declared_share"] = value / 100.0
        else:
            rel["type"] = "CONTROLS"
        out.append(rel)
    return out


def _check_v03(stmt: Any, file: str, position: int) -> list[Issue]:
    """Structural checks for a BODS 0.3 statement (no 0.3 schema ships with the project)."""
    record = f"statement {stmt.get('statementID')!r}" if isinstance(stmt, dict) else None
    need = {
        "entityStatement": ("statementID", "entityType"),
        "personStatement": ("statementID",),
        "ownershipOrControlStatement": ("statementID", "subject", "interestedParty"),
    }
    if not isinstance(stmt, dict) or stmt.get("statementType") not in need:
        return [
            Issue(
                file,
                record,
                "statementType",
                "expected entityStatement, personStatement or ownershipOrControlStatement",
                position,
            )
        ]
    issues = [
        Issue(file, record, f, "required", position)
        for f in need[stmt["statementType"]]
        if f not in stmt
    ]
    if not isinstance(stmt.get("statementID", ""), str):
        issues.append(Issue(file, record, "statementID", "expected text", position))
    for f in ("subject", "interestedParty", "publicationDetails", "source"):
        if f in stmt and not isinstance(stmt[f], dict):
            issues.append(Issue(file, record, f, "expected an object", position))
    for f in ("interests", "replacesStatements", "identifiers", "names", "alternateNames"):
        if f in stmt and not isinstance(stmt[f], list):
            issues.append(Issue(file, record, f, "expected a list", position))
    for f in ("statementDate",):
        if f in stmt and not (
            isinstance(stmt[f], str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", stmt[f])
        ):
            issues.append(Issue(file, record, f, "expected a date YYYY-MM-DD", position))
    for i, interest in enumerate(stmt.get("interests") or []):
        share = interest.get("share") if isinstance(interest, dict) else None
        if not isinstance(interest, dict) or (share is not None and not isinstance(share, dict)):
            issues.append(
                Issue(file, record, f"interests.{i}", "expected an interest object", position)
            )
            continue
        for key, value in (share or {}).items():
            if not isinstance(value, (int, float)) or not 0 <= value <= 100:
                issues.append(
                    Issue(
                        file,
                        record,
                        f"interests.{i}.share.{key}",
                        "expected a percentage from 0 to 100",
                        position,
                    )
                )
    return issues


def _v03_as_v04(stmt: dict[str, Any]) -> dict[str, Any]:
    """A 0.3 statement in the 0.4 shape the mapping understands."""
    kind = stmt["statementType"]
    base = {
        "statementId": stmt["statementID"],
        "recordId": stmt["statementID"],
        "statementDate": stmt.get("statementDate"),
        "publicationDetails": stmt.get("publicationDetails") or {},
        "source": stmt.get("source") or {},
    }
    if kind == "entityStatement":
        details = {
            "name": stmt.get("name"),
            "entityType": {"type": stmt.get("entityType")},
            "alternateNames": stmt.get("alternateNames") or [],
            "identifiers": stmt.get("identifiers") or [],
            "jurisdiction": stmt.get("incorporatedInJurisdiction") or {},
        }
        return {**base, "recordType": "entity", "recordDetails": details}
    if kind == "personStatement":
        details = {
            "names": stmt.get("names") or [],
            "nationalities": stmt.get("nationalities") or [],
            "identifiers": stmt.get("identifiers") or [],
        }
        return {**base, "recordType": "person", "recordDetails": details}
    subject = (stmt.get("subject") or {}).get("describedByEntityStatement")
    party = stmt.get("interestedParty") or {}
    party_id = party.get("describedByEntityStatement") or party.get("describedByPersonStatement")
    interests = [
        {**i, "directOrIndirect": i.get("interestLevel", "unknown")}
        for i in stmt.get("interests") or []
    ]
    return {
        **base,
        "recordType": "relationship",
        "recordDetails": {"subject": subject, "interestedParty": party_id, "interests": interests},
    }


def _share_issues(stmt: dict[str, Any], file: str, position: int) -> list[Issue]:
    """Shares the schema cannot catch: a range whose minimum is above its maximum, or an
    exact share outside its own range."""
    record = f"statement {stmt.get('statementId')!r}"
    out = []
    for i, interest in enumerate(_interests(stmt)):
        share = interest.get("share")
        if not isinstance(share, dict):
            continue
        low = share.get("minimum", share.get("exclusiveMinimum"))
        high = share.get("maximum", share.get("exclusiveMaximum"))
        exact = share.get("exact")
        numbers = [v for v in (low, high, exact) if v is not None]
        if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in numbers):
            continue  # the schema (0.4) or the structural check (0.3) reports it
        if low is not None and high is not None and low > high:
            message = f"minimum {low} is above maximum {high}"
        elif exact is not None and (
            (low is not None and exact < low) or (high is not None and exact > high)
        ):
            message = f"exact share {exact} is outside its range {low}–{high}"
        else:
            continue
        out.append(Issue(file, record, f"recordDetails.interests.{i}.share", message, position))
    return out


def _day(stamp: Any) -> str | None:
    """The day part of a BODS date or date-time (``2019-09-11T11:17:23Z`` → ``2019-09-11``)."""
    return stamp[:10] if isinstance(stamp, str) and len(stamp) >= 10 else None


def _interests(stmt: dict[str, Any]) -> list[dict[str, Any]]:
    found = (stmt.get("recordDetails") or {}).get("interests") or []
    return [i for i in found if isinstance(i, dict)]


@dataclass
class _Version:
    """One statement about a relationship record, as the first pass saw it."""

    stamp: str
    file: str
    position: int
    statement: str
    closed: bool
    starts: list[str]
    #: interest type → end date the statement gives for it.
    ends: dict[str, str]
    source: dict[str, Any]
    excerpt: str
    #: Filled in by :func:`_plan`.
    effect: str | None = None
    until: str | None = None
    until_by_type: dict[str, str] = field(default_factory=dict)
    closed_by: _Version | None = None


def _version(stmt: dict[str, Any], name: str, position: int) -> _Version:
    interests = _interests(stmt)
    return _Version(
        stamp=_day(stmt.get("statementDate")) or "",
        file=name,
        position=position,
        statement=str(stmt["statementId"]),
        closed=stmt.get("recordStatus") == "closed",
        starts=sorted(d for i in interests if (d := _day(i.get("startDate")))),
        ends={
            str(i.get("type", "unknownInterest")): d
            for i in interests
            if (d := _day(i.get("endDate")))
        },
        source=_source(stmt),
        excerpt=json.dumps(interests, ensure_ascii=False)[:1500],
    )


def _day_before(day: str) -> str:
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def _plan(versions: list[_Version]) -> list[_Version]:
    """Give each version of one record its validity, and return those that become
    relationships (a closing statement ends the version before it instead of being one).

    A replacing statement takes effect on the earliest start date it gives that is later
    than the replaced version's start (a change recorded after it happened), else on its
    own statement date; the replaced version holds until the day before. A closure ends the
    version before it on the interest's end date, else on the closing statement's date.
    """
    versions.sort(key=lambda v: (v.stamp, v.file, v.position))
    kept: list[_Version] = []
    previous: _Version | None = None
    for v in versions:
        if v.closed and previous is not None and not previous.closed:
            previous.until = v.stamp or None
            previous.until_by_type = dict(v.ends)
            previous.closed_by = v
            previous = v
            continue
        if previous is not None and not previous.closed:
            floor = previous.starts[0] if previous.starts else None
            later = [d for d in v.starts if (floor is None or d > floor) and d <= v.stamp]
            v.effect = min(later) if later else v.stamp or None
            if v.effect:
                previous.until = _day_before(v.effect)
        elif previous is not None:  # reopened after a closure
            v.effect = v.stamp or None
        if v.closed:
            v.until = v.stamp or None
            v.until_by_type = dict(v.ends)
        kept.append(v)
        previous = v
    return kept


def read_bods(path: Path) -> Iterator[RawRecord]:
    """Raw records from BODS 0.4 (or 0.3) statements in a file or folder, history kept.

    Two passes, so that neither a file nor its statements sit in memory: the first checks
    every statement and notes, per record, where each of its statements is (and, for 0.3,
    which statements replace which); only if all are valid does the second read emit the
    newest statement of each entity or person and *every* version of each relationship,
    each with the validity :func:`_plan` gives it and its own statement as evidence.

    Raises:
        InvalidData: every statement that breaks the schema, with file, position and field,
            and 0.3 replacements that go round in a circle.
    """
    files = sorted(path.rglob("*.json*")) if path.is_dir() else [path]
    issues: list[Issue] = []
    #: entity or person record id → (statement date, file, position) of its newest statement.
    latest: dict[str, tuple[str, str, int]] = {}
    #: relationship record id → its statements.
    history: dict[str, list[_Version]] = {}
    #: BODS 0.3: statement id → the statement that replaces it.
    replaced: dict[str, str] = {}
    where: dict[str, tuple[str, int]] = {}
    for file in files:
        name = str(file)
        try:
            for position, stmt in _statements(file):
                if isinstance(stmt, dict) and "statementType" in stmt:  # BODS 0.3
                    problems = _check_v03(stmt, name, position)
                    if problems:
                        issues += problems
                        continue
                    where[stmt["statementID"]] = (name, position)
                    for old in stmt.get("replacesStatements") or []:
                        replaced[old] = stmt["statementID"]
                    stmt = _v03_as_v04(stmt)
                else:
                    problems = check_statement(stmt, name, position)
                if problems:
                    issues += problems
                    continue
                problems = _share_issues(stmt, name, position)
                if problems:
                    issues += problems
                    continue
                key = stmt["recordId"]
                if stmt["recordType"] == "relationship":
                    history.setdefault(key, []).append(_version(stmt, name, position))
                    continue
                stamp = stmt.get("statementDate") or ""
                if key not in latest or stamp >= latest[key][0]:
                    latest[key] = (stamp, name, position)
        except BadJson as exc:
            issues.append(
                Issue(file=name, line=exc.line, record=None, field=None, message=str(exc))
            )
        except NotAnArray as exc:
            issues.append(Issue(file=name, line=1, record=None, field=None, message=str(exc)))
    newest = _chains(replaced, where, issues)
    if issues:
        raise InvalidData(issues)
    for old in newest:
        latest.pop(old, None)
    if newest:  # a 0.3 chain of replaced statements is the history of one record
        merged: dict[str, list[_Version]] = {}
        for key, found in history.items():
            merged.setdefault(newest.get(key, key), []).extend(found)
        history = merged
    plan: dict[tuple[str, int], tuple[str, _Version]] = {}
    for key, found in history.items():
        for v in _plan(found):
            plan[(v.file, v.position)] = (key, v)
    sources: set[str] = set()
    for file in files:
        name = str(file)
        for position, raw in _statements(file):
            stmt = _v03_as_v04(raw) if "statementType" in raw else raw
            if stmt["recordType"] in ("entity", "person"):
                if latest.get(stmt["recordId"], ("", "", 0))[1:] == (name, position):
                    yield RawRecord("entities", _entity(stmt), name, position)
                continue
            planned = plan.get((name, position))
            if planned is None:
                continue
            key, version = planned
            details = stmt.get("recordDetails") or {}
            if newest:
                details = {
                    **details,
                    **{
                        f: newest.get(str(details.get(f)), details.get(f))
                        for f in ("subject", "interestedParty")
                    },
                }
                stmt = {**stmt, "recordDetails": details}
            versions: tuple[_Version | None, ...] = (version, version.closed_by)
            for ver in versions:
                if ver is not None and ver.source["id"] not in sources:
                    sources.add(ver.source["id"])
                    yield RawRecord("sources", ver.source, ver.file, ver.position)
            for rel in _relationships(stmt, key, version):
                yield RawRecord("relationships", rel, name, position)


def _chains(
    replaced: dict[str, str], where: dict[str, tuple[str, int]], issues: list[Issue]
) -> dict[str, str]:
    """BODS 0.3: each replaced statement → the newest statement of its chain. A chain that
    comes back to a statement already on it is an error (it has no newest statement)."""
    newest: dict[str, str] = {}
    reported: set[frozenset[str]] = set()
    for start in replaced:
        seen = [start]
        current = start
        while current in replaced:
            current = replaced[current]
            if current in seen:
                file, position = where.get(current, (None, None))
                ring = seen[seen.index(current) :]
                loop = " → ".join([*ring, current])
                if frozenset(ring) in reported:
                    break
                reported.add(frozenset(ring))
                issues.append(
                    Issue(
                        file,
                        f"statement {current!r}",
                        "replacesStatements",
                        f"replacements go round in a circle ({loop}): no statement is the newest",
                        position,
                    )
                )
                break
            seen.append(current)
        else:
            newest[start] = current
    return newest
