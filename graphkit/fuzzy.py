"""Typo-tolerant name lookup: every entity's names and aliases, matched with rapidfuzz.

Substring search finds "Hikvision" from "hikv", not from "hikvison" or "Alibba". Readers
misspell transliterated names all the time, so search also asks this index, built from the
store's normalised search texts and rebuilt when the data changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process

#: Lowest rapidfuzz WRatio (0–100) that counts as a match: one or two typos in a name.
CUTOFF = 85.0
#: A fuzzy hit's score in search results is at most this, below every substring match.
CEILING = 0.5


class NameIndex:
    """Normalised names and aliases, each pointing back to its entity.

    >>> idx = NameIndex([("hikvision", "hikvision | hikvision | hai kang wei shi")])
    >>> idx.lookup("hikvison", 5)
    [('hikvision', 'hikvision', 0.47)]
    """

    def __init__(self, table: Iterable[tuple[str, str]]) -> None:
        self.choices: list[str] = []
        self.owners: list[str] = []
        for entity_id, text in table:
            for part in dict.fromkeys(p.strip() for p in text.split(" | ")):
                if part:
                    self.choices.append(part)
                    self.owners.append(entity_id)

    def lookup(self, query: str, limit: int) -> list[tuple[str, str, float]]:
        """Up to ``limit`` entities whose name or alias is within a typo or two of the
        normalised ``query``: (entity id, the text matched, score ≤ :data:`CEILING`)."""
        if len(query) < 4:  # three letters are too few to tell a typo from another word
            return []
        best: dict[str, tuple[str, float]] = {}
        for text, score, at in process.extract(
            query, self.choices, scorer=fuzz.WRatio, score_cutoff=CUTOFF, limit=limit * 4
        ):
            owner = self.owners[at]
            if owner not in best or score > best[owner][1]:
                best[owner] = (text, score)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][1], kv[0]))[:limit]
        return [(owner, text, round(CEILING * score / 100, 2)) for owner, (text, score) in ranked]
