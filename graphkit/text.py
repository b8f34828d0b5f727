"""Text normalisation shared by search in every backend."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from normality import normalize

if TYPE_CHECKING:
    from graphkit.model import Entity


def _ascii_table() -> dict[int, str | None]:
    """What normality does to each ASCII character between two letters (kept lowercased,
    replaced by a space, or dropped), read from normality itself so the two cannot differ."""
    table: dict[int, str | None] = {}
    for code in range(128):
        out = normalize(f"a{chr(code)}b", ascii=True)
        table[code] = " " if out == "a b" else None if out == "ab" else chr(code).lower()
    return table


_ASCII = str.maketrans(_ascii_table())


def normalise(text: str) -> str:
    """Case-, accent- and script-insensitive form used for search (transliterates non-Latin).

    ASCII text (most names in registers) takes a table lookup with the same result as
    normality's full pipeline, which costs ~2 µs a name, three times per entity written.

    >>> normalise("Fédasil")
    'fedasil'
    >>> normalise("海康威视")
    'hai kang wei shi'
    >>> normalise("  Port-of  ROTTERDAM $ ")
    'port of rotterdam'
    """
    if text.isascii():
        return " ".join(text.translate(_ASCII).split())
    return normalize(text, ascii=True) or ""


def match_score(query: str, name: str) -> float:
    """How well a normalised name matches a normalised query: 1 exact, 0 no match.

    >>> match_score("rotterdam", "port of rotterdam")
    0.8
    """
    if name == query:
        return 1.0
    if name.startswith(query):
        return 0.9
    tokens = name.split()
    if all(any(t.startswith(w) for t in tokens) for w in query.split()):
        return 0.8
    if query in name:
        return 0.6
    return 0.0


def search_text(entity: Entity) -> str:
    """Normalised id, name and aliases joined for substring search in any backend."""
    return search_text_of(entity.id, entity.name, entity.aliases)


def search_text_of(entity_id: str, name: str, aliases: Iterable[str]) -> str:
    """:func:`search_text` of plain values (a first load writes it without the entity).

    >>> search_text_of("e1", "Port of Rotterdam", ["Havenbedrijf"])
    'e1 | port of rotterdam | havenbedrijf'
    """
    return " | ".join(normalise(n) for n in (entity_id, name, *aliases))
