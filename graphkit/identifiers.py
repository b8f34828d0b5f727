"""Identifier keys: how two records are recognised as the same entity by what they hold.

Why its own module: the store computes these keys when it writes (to index them), and
entity resolution compares them; both sit on this one definition without importing each
other.
"""

from __future__ import annotations

from collections.abc import Mapping

from graphkit.model import Entity

#: Schemes that identify an entity worldwide, with their spellings in the loaders' sources.
GLOBAL_SCHEMES: dict[str, str] = {
    "lei": "lei",
    "leicode": "lei",
    "xi-lei": "lei",
    "wikidata": "wikidata",
    "wikidataid": "wikidata",
    "qid": "wikidata",
    "swiftbic": "bic",
    "isin": "isin",
}
#: Identifiers that only say where a record sits in one source, never who it is.
IGNORED_SCHEMES = frozenset({"icij_node_id"})


def identifier_keys(entity: Entity) -> list[str]:
    """Comparable identifier keys: ``scheme:VALUE`` worldwide, ``scheme:CC:VALUE`` otherwise.

    >>> from graphkit.model import Entity
    >>> identifier_keys(Entity(id="x", kind="Company", name="X", country="GB",
    ...                        identifiers={"XI-LEI": " 5493 ", "GB-COH": "01"}))
    ['gb-coh:GB:01', 'lei:5493']
    """
    return keys_of(entity.identifiers, entity.country)


def keys_of(identifiers: Mapping[str, str], country: str | None) -> list[str]:
    """:func:`identifier_keys` of an entity's identifiers and country as plain values (a
    first load computes them without building the entity).

    >>> keys_of({"lei": "5493"}, None)
    ['lei:5493']
    """
    keys = []
    for scheme, value in identifiers.items():
        s, v = scheme.strip().lower(), value.strip().upper()
        if not v or s in IGNORED_SCHEMES:
            continue
        if s in GLOBAL_SCHEMES:
            keys.append(f"{GLOBAL_SCHEMES[s]}:{v}")
        elif country:
            keys.append(f"{s}:{country}:{v}")
    return sorted(keys)
