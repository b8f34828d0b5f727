"""Plain records: entities and relationships already in the form the store keeps, checked
field by field and turned into store rows without building a model.

Why: a large first load spent most of its time building pydantic models and serialising
them back (~25 µs a relationship, most of a load). A record whose every field already holds
what the model would hold — exact types, no surrounding whitespace, known kinds and types, a
real date — needs no conversion: its canonical body is its own JSON less the defaults, and
its filter facts come from the same functions the model path calls. Anything else (a share
as text, a year as a number, an unknown field, a broken id) is *not plain*, and the batch
holding it takes the model path, which converts it or says exactly what is wrong. So this
module never refuses anything and never reports an error: it only recognises the easy case.

Each model's fields are declared once, in a table of (check, default) per field; a test
holds the tables to the models' own fields and compares both paths on generated records.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any, NamedTuple

import orjson

from graphkit.identifiers import keys_of
from graphkit.model import (
    ALIASES_MAX,
    ID_PATTERN,
    NAME_MAX,
    NAMES_TOTAL_MAX,
    Stance,
    _check_properties,
    _coerce_partial_date,
    date_ceil,
    date_floor,
    facts_of,
    with_derived_id,
)
from graphkit.schema import RELATIONSHIPS, Confidence, EntityKind, RelType
from graphkit.store.rows import EntityRow, RelationshipRow
from graphkit.text import search_text_of
from graphkit.validate import RawRecord

#: A check's answer for a value the model would convert or refuse.
NO: Any = object()
#: A field the record must give (no default).
REQUIRED: Any = object()
#: A container field whose default is empty (left out of the body when empty).
EMPTY: Any = object()

Check = Callable[[Any], Any]

# The id rule without anchors, for fullmatch: Python's `$` also matches before a final
# newline, which the model's (Rust) pattern does not.
_ID = re.compile(ID_PATTERN.removeprefix("^").removesuffix("$"))
_COUNTRY = re.compile("[A-Z]{2}")
_KINDS = frozenset(k.value for k in EntityKind)
_TYPES = {t.value: t for t in RelType}
_LEVELS = {c.value: c for c in Confidence}
_STANCES = frozenset(s.value for s in Stance)
_SCALARS = (bool, int, float)


def _trimmed(value: Any) -> bool:
    """Text the model's ``str_strip_whitespace`` leaves as it is. Python strips a superset
    of what the model strips, so text Python would change is never taken as plain."""
    return type(value) is str and value == value.strip()


def _id(value: Any) -> Any:
    return value if type(value) is str and _ID.fullmatch(value) else NO


def _text(lo: int = 0, hi: int | None = None) -> Check:
    def check(value: Any) -> Any:
        if _trimmed(value) and lo <= len(value) and (hi is None or len(value) <= hi):
            return value
        return NO

    return check


def _bool(value: Any) -> Any:
    return value if type(value) is bool else NO


def _one_of(names: Iterable[str]) -> Check:
    allowed = frozenset(names)

    def check(value: Any) -> Any:
        return value if type(value) is str and value in allowed else NO

    return check


def _date(value: Any) -> Any:
    # A year as a number and a YAML date become text, as the model turns them.
    kind = type(value)
    if kind is not str and kind is not int and kind is not date:
        return NO
    try:
        text = _coerce_partial_date(value)
    except ValueError:
        return NO
    return text if kind is not str or text == value else NO


def _country(value: Any) -> Any:
    return value if type(value) is str and _COUNTRY.fullmatch(value) else NO


def _share(value: Any) -> Any:
    if type(value) is int and value in (0, 1):
        return float(value)  # what the model holds (and writes as 0.0 or 1.0)
    if type(value) is float and 0.0 <= value <= 1.0:
        return value
    return NO


def _confidence(value: Any) -> Any:
    if type(value) is str:
        return value if value in _LEVELS else NO
    if type(value) is float and 0.0 < value <= 1.0:
        return value
    return NO


def _names(value: Any) -> Any:
    if not isinstance(value, list) or len(value) > ALIASES_MAX:
        return NO
    for name in value:
        if not _trimmed(name) or len(name) > NAME_MAX:
            return NO
    return value


def _identifiers(value: Any) -> Any:
    if not isinstance(value, dict):
        return NO
    for key, item in value.items():
        if not (_trimmed(key) and _trimmed(item)):
            return NO
    return value


def _properties(value: Any) -> Any:
    # The model's own limits (64-bit integers, finite numbers, text size), then what plain
    # adds: scalars only, and no whitespace the model would strip.
    if not isinstance(value, dict):
        return NO
    try:
        _check_properties(value)
    except ValueError:
        return NO
    for key, item in value.items():
        if not _trimmed(key) or not (item is None or type(item) in _SCALARS or _trimmed(item)):
            return NO
    return value


def _evidence(value: Any) -> Any:
    if not isinstance(value, list) or not value:
        return NO
    out = []
    for item in value:
        body = _fields(item, EVIDENCE_FIELDS, _EVIDENCE_REQUIRED)
        if body is NO:
            return NO
        out.append(body)
    return out


#: Field -> (check, default) for each model: the model's own defaults, left out of bodies as
#: canonical JSON leaves them out. A field whose default is None also takes None (as the
#: models' ``X | None = None`` fields do), so its check sees only other values.
ENTITY_FIELDS: dict[str, tuple[Check, Any]] = {
    "id": (_id, REQUIRED),
    "kind": (_one_of(_KINDS), REQUIRED),
    "name": (_text(1, NAME_MAX), REQUIRED),
    "aliases": (_names, EMPTY),
    "country": (_country, None),
    "identifiers": (_identifiers, EMPTY),
    "description": (_text(), None),
    "unnamed": (_bool, False),
    "plural": (_bool, False),
    "properties": (_properties, EMPTY),
}
EVIDENCE_FIELDS: dict[str, tuple[Check, Any]] = {
    "source": (_id, REQUIRED),
    "excerpt": (_text(1, 2000), REQUIRED),
    "stance": (_one_of(_STANCES), "supports"),
    "locator": (_text(), None),
    "note": (_text(), None),
}
RELATIONSHIP_FIELDS: dict[str, tuple[Check, Any]] = {
    "id": (_id, REQUIRED),
    "type": (_one_of(_TYPES), REQUIRED),
    "source": (_id, REQUIRED),
    "target": (_id, REQUIRED),
    "share": (_share, None),
    "role": (_text(), None),
    "status": (_text(), None),
    "valid_from": (_date, None),
    "valid_to": (_date, None),
    "ended": (_bool, False),
    "confidence": (_confidence, "reported"),
    "evidence": (_evidence, REQUIRED),
    "properties": (_properties, EMPTY),
}


def _required(table: Mapping[str, tuple[Check, Any]]) -> frozenset[str]:
    return frozenset(name for name, (_check, default) in table.items() if default is REQUIRED)


_ENTITY_REQUIRED = _required(ENTITY_FIELDS)
_EVIDENCE_REQUIRED = _required(EVIDENCE_FIELDS)
_RELATIONSHIP_REQUIRED = _required(RELATIONSHIP_FIELDS)


def _fields(data: Any, table: Mapping[str, tuple[Check, Any]], required: frozenset[str]) -> Any:
    """The record's body (defaults left out) when every field is plain, else :data:`NO`."""
    if not isinstance(data, dict):
        return NO
    body: dict[str, Any] = {}
    for name, value in data.items():
        rule = table.get(name)
        if rule is None:
            return NO  # an unknown field: the model path names it
        check, default = rule
        if value is None and default is None:
            continue  # an optional field left empty: its default, out of the body
        value = check(value)
        if value is NO:
            return NO
        if default is EMPTY:
            if value:
                body[name] = value
        elif default is REQUIRED or value != default or type(value) is not type(default):
            body[name] = value
    return body if required <= data.keys() else NO


class PlainRelationship(NamedTuple):
    """A plain relationship before its sources' dates are known."""

    id: str
    type: RelType
    source: str
    target: str
    body: str
    cites: tuple[tuple[str, str], ...]
    record: dict[str, Any]


class PlainBatch(NamedTuple):
    """A batch of plain records: sources as read (few; the model checks them), entity rows,
    and relationships waiting for their sources' dates."""

    sources: list[RawRecord]
    entities: list[EntityRow]
    relationships: list[PlainRelationship]


def plain_entity(data: Any) -> EntityRow | None:
    """The store row of an entity record, or None when the record is not plain.

    >>> plain_entity({"id": "e1", "kind": "Company", "name": "Acme", "aliases": []}).body
    '{"id":"e1","kind":"Company","name":"Acme"}'
    >>> plain_entity({"id": "e1", "kind": "Company", "name": " Acme"}) is None
    True
    """
    body = _fields(data, ENTITY_FIELDS, _ENTITY_REQUIRED)
    if body is NO:
        return None
    name, aliases = body["name"], body.get("aliases", ())
    if len(name) + sum(len(a) for a in aliases) > NAMES_TOTAL_MAX:
        return None
    keys = keys_of(body.get("identifiers", {}), body.get("country"))
    text = _json(body)
    if text is None:
        return None
    return EntityRow(
        body["id"],
        body["kind"],
        name,
        search_text_of(body["id"], name, aliases),
        text,
        tuple(sorted(set(keys))),
    )


def plain_relationship(data: Any) -> PlainRelationship | None:
    """A relationship record with its id derived as the model path derives it, or None when
    it is not plain (see :func:`relationship_row` for its store row)."""
    if not isinstance(data, dict):
        return None
    body = _fields(with_derived_id(data), RELATIONSHIP_FIELDS, _RELATIONSHIP_REQUIRED)
    if body is NO or body["source"] == body["target"]:
        return None
    since, until = body.get("valid_from"), body.get("valid_to")
    if since and until and date_floor(since) > date_ceil(until):
        return None
    stances = [ev.get("stance", "supports") for ev in body["evidence"]]
    if "supports" not in stances:
        return None
    cites = tuple(
        dict.fromkeys((ev["source"], s) for ev, s in zip(body["evidence"], stances, strict=True))
    )
    text = _json(body)
    if text is None:
        return None
    return PlainRelationship(
        body["id"], _TYPES[body["type"]], body["source"], body["target"], text, cites, body
    )


def _json(body: dict[str, Any]) -> str | None:
    """Canonical JSON of a plain body (sorted keys, as :func:`graphkit.model.canonical_json`
    writes it); None for text JSON cannot hold (a lone surrogate), left to the model path."""
    try:
        return orjson.dumps(body, option=orjson.OPT_SORT_KEYS).decode()
    except orjson.JSONEncodeError:
        return None


def plain_batch(records: Iterable[RawRecord]) -> PlainBatch | None:
    """The batch's records as rows when every entity and relationship is plain and no id
    repeats within its section; else None (the model path then takes the whole batch)."""
    sources: list[RawRecord] = []
    entities: list[EntityRow] = []
    relationships: list[PlainRelationship] = []
    for raw in records:
        if raw.section == "entities":
            row = plain_entity(raw.data)
            if row is None:
                return None
            entities.append(row)
        elif raw.section == "relationships":
            rel = plain_relationship(raw.data)
            if rel is None:
                return None
            relationships.append(rel)
        else:
            sources.append(raw)
    if len({e.id for e in entities}) < len(entities):
        return None
    if len({r.id for r in relationships}) < len(relationships):
        return None
    return PlainBatch(sources, entities, relationships)


def fits(rel: PlainRelationship, kinds: Mapping[str, str]) -> bool:
    """Whether both ends are known entities of kinds the relationship's type allows."""
    spec = _ENDS[rel.type]
    return kinds.get(rel.source) in spec[0] and kinds.get(rel.target) in spec[1]


_ENDS = {
    t: (frozenset(k.value for k in s.sources), frozenset(k.value for k in s.targets))
    for t, s in RELATIONSHIPS.items()
}


def relationship_row(rel: PlainRelationship, dates: Mapping[str, str | None]) -> RelationshipRow:
    """The store row of a plain relationship; ``dates`` holds every cited source's date."""
    return _row(rel, _known(rel.cites, dates))


def relationship_rows(
    rels: Iterable[PlainRelationship], dates: Mapping[str, str | None]
) -> list[RelationshipRow]:
    """:func:`relationship_row` of each; relationships citing the same sources (most of a
    large file cites a few registers) share one look at their dates."""
    known: dict[tuple[tuple[str, str], ...], str | None] = {}
    out = []
    for rel in rels:
        if rel.cites not in known:
            known[rel.cites] = _known(rel.cites, dates)
        out.append(_row(rel, known[rel.cites]))
    return out


def _known(cites: tuple[tuple[str, str], ...], dates: Mapping[str, str | None]) -> str | None:
    """The earliest date among the supporting sources (as :func:`graphkit.model.known_from`)."""
    found = [d for s, stance in cites if stance == "supports" and (d := dates[s])]
    return min(found, key=date_floor) if found else None


def _row(rel: PlainRelationship, known: str | None) -> RelationshipRow:
    body = rel.record
    level = body.get("confidence", "reported")
    facts = facts_of(
        rel.type,
        body.get("share"),
        _LEVELS[level] if type(level) is str else level,
        body.get("valid_from"),
        body.get("valid_to"),
        body.get("ended", False),
        known,
    )
    return RelationshipRow(
        rel.id,
        rel.type.value,
        rel.source,
        rel.target,
        rel.body,
        rel.cites,
        facts["strength"],
        facts["since"],
        facts["until"],
        facts["confidence"],
        facts["known"],
        facts["share"],
        facts["conf"],
    )
