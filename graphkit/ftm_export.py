"""Export to FollowTheMoney entity JSON lines, so curated data can go into Aleph.

Native FtM fields are filled wherever FtM has them (names, aliases, countries, LEI and
Wikidata ids, ownership percentages, roles, dates, source documents), so Aleph shows the
data as it is. What FtM cannot say — our entity kinds, confidence, ended relationships, every
piece of evidence with its stance — travels beside it as a ``graphkit:`` JSON note (``notes``
on things and documents, ``description`` on relationships), from which
:mod:`ingest.ftm` restores the exact record, so an export re-imports to an identical graph.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from followthemoney import model

from graphkit.model import Entity, Relationship, Source
from graphkit.schema import EntityKind, RelType

#: Marker of the note that carries the exact graphkit record.
NOTE_PREFIX = "graphkit:"

SCHEMA_OF_KIND: dict[EntityKind, str] = {
    EntityKind.PERSON: "Person",
    EntityKind.COMPANY: "Company",
    EntityKind.PUBLIC_BODY: "PublicBody",
    EntityKind.STATE_BODY: "PublicBody",
    EntityKind.PARTY_ORGANISATION: "Organization",
}
#: FtM interval schemata for our types, with their (source, target) properties.
INTERVALS: dict[RelType, tuple[str, str, str]] = {
    RelType.OWNS: ("Ownership", "owner", "asset"),
    RelType.HOLDS_POSITION: ("Directorship", "director", "organization"),
    RelType.MEMBER_OF: ("Membership", "member", "organization"),
    RelType.FAMILY_OF: ("Family", "person", "relative"),
    RelType.ASSOCIATED_WITH: ("Associate", "person", "associate"),
}
IDENTIFIER_PROPS = {
    "lei": "leiCode",
    "leicode": "leiCode",
    "wikidata": "wikidataId",
    "wikidataid": "wikidataId",
    "registrationnumber": "registrationNumber",
}


def _note(obj: Entity | Relationship | Source) -> str:
    return NOTE_PREFIX + json.dumps(
        obj.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False, sort_keys=True
    )


def _thing(ent: Entity) -> dict[str, Any]:
    proxy = model.make_entity(SCHEMA_OF_KIND.get(ent.kind, "Asset"))
    proxy.id = ent.id
    proxy.add("name", ent.name)
    proxy.add("alias", list(ent.aliases))
    if ent.country:
        proxy.add("country", ent.country.lower())
    if ent.description:
        proxy.add("description", ent.description)
    for scheme, value in ent.identifiers.items():
        prop = IDENTIFIER_PROPS.get(scheme.lower())
        if prop and proxy.schema.get(prop):
            proxy.add(prop, value)
    proxy.add("keywords", f"graphkit kind {ent.kind.value}")
    proxy.add("notes", _note(ent))
    return proxy.to_dict()


def _document(src: Source) -> dict[str, Any]:
    proxy = model.make_entity("Document")
    proxy.id = src.id
    proxy.add("title", src.title)
    for prop, value in (
        ("publisher", src.publisher),
        ("date", src.date),
        ("sourceUrl", src.url),
        ("language", src.language),
    ):
        if value:
            proxy.add(prop, value, quiet=True)
    proxy.add("notes", _note(src))
    return proxy.to_dict()


def _interval(rel: Relationship, kind_of: Callable[[str], EntityKind | None]) -> dict[str, Any]:
    schema, src_prop, tgt_prop = INTERVALS.get(rel.type, ("UnknownLink", "subject", "object"))
    people_only = schema in ("Family", "Associate")
    if people_only and not (
        kind_of(rel.source) is EntityKind.PERSON and kind_of(rel.target) is EntityKind.PERSON
    ):
        schema, src_prop, tgt_prop = "UnknownLink", "subject", "object"
    proxy = model.make_entity(schema)
    proxy.id = rel.id
    proxy.add(src_prop, rel.source)
    proxy.add(tgt_prop, rel.target)
    if rel.share is not None and schema == "Ownership":
        proxy.add("percentage", f"{rel.share * 100:g}")
    role = rel.role if schema != "UnknownLink" else f"{rel.type.value}: {rel.role or ''}".strip()
    if role:
        proxy.add("role", role.rstrip(": "))
    if rel.status:
        proxy.add("status", rel.status)
    for prop, value in (("startDate", rel.valid_from), ("endDate", rel.valid_to)):
        if value:
            proxy.add(prop, value)
    proxy.add("description", _note(rel))
    return proxy.to_dict()


def to_ftm(
    items: Iterable[Source | Entity | Relationship],
    kind_of: Callable[[str], EntityKind | None],
) -> Iterator[dict[str, Any]]:
    """FtM entity dicts for records in any number (a stream of millions is fine): a
    document per source, a thing per entity, an interval per relationship. ``kind_of``
    tells an endpoint's kind (asked only of family and associate links, which FtM keeps
    for people)."""
    for item in items:
        if isinstance(item, Source):
            yield _document(item)
        elif isinstance(item, Entity):
            yield _thing(item)
        else:
            yield _interval(item, kind_of)
