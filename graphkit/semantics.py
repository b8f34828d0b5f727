"""Meaning shared by every backend: filters, plain-language explanations and result views.

Backends find paths (as relationship ids); this module turns them into evidence-carrying
answers, so the wording, flags and order cannot drift between engines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from graphkit.filters import ResolvedFilters
from graphkit.model import (
    Entity,
    Relationship,
    Source,
    Stance,
    date_floor,
    known_from,
)
from graphkit.profiles import Weights
from graphkit.query import EntityRef, EvidenceView, Hop, InfluencePath, RankedEntity
from graphkit.schema import (
    RELATIONSHIPS,
    Confidence,
    influence_arcs,
)
from graphkit.traversal import strength_key


def evidence_known(
    rel: Relationship, sources: Mapping[str, Source], f: ResolvedFilters
) -> Relationship:
    """The relationship as it stood on ``f.known_by``: only evidence from sources dated by
    then (and undated ones with ``include_undated``), so a hop never cites a later document.

    Without ``known_by`` the relationship comes back unchanged.
    """
    if f.known_by is None:
        return rel
    day = f.known_by

    def dated_by(source_id: str) -> bool:
        src = sources.get(source_id)
        when = src.date if src else None
        return f.include_undated if when is None else date_floor(when) <= day

    kept = tuple(ev for ev in rel.evidence if dated_by(ev.source))
    if len(kept) == len(rel.evidence) or not any(e.stance is Stance.SUPPORTS for e in kept):
        return rel
    return rel.model_copy(update={"evidence": kept})


def known_views(
    rels: Mapping[str, Relationship], sources: Mapping[str, Source], f: ResolvedFilters
) -> dict[str, Relationship]:
    """:func:`evidence_known` over a mapping of relationships."""
    return {rid: evidence_known(r, sources, f) for rid, r in rels.items()}


def entity_ref(entity: Entity) -> EntityRef:
    """The short form of an entity used inside results."""
    return EntityRef(
        id=entity.id,
        kind=entity.kind,
        name=entity.name,
        country=entity.country,
        unnamed=entity.unnamed,
    )


@dataclass
class SharedViews:
    """The hops and entity references one answer has built, shared by all its paths.

    Why: a page of best paths is a tree (each entity's path is its parent's plus one hop),
    so the 50 paths of a reach answer repeat ~180 hops that hold ~50 distinct ones, and the
    same few entities appear on every hop; building views is what an answer costs once the
    search is done. Views are immutable, so one instance can sit in many paths.
    """

    hops: dict[tuple[str, str], Hop] = field(default_factory=dict)
    refs: dict[str, EntityRef] = field(default_factory=dict)

    def ref(self, entity: Entity) -> EntityRef:
        """:func:`entity_ref`, built once per entity."""
        found = self.refs.get(entity.id)
        if found is None:
            found = self.refs[entity.id] = entity_ref(entity)
        return found


#: Plural forms a phrase's opening verb takes when its subject is plural (others follow the
#: regular rules in :func:`plural_phrase`).
_PLURAL_VERBS = {
    "is a subsidiary of": "are subsidiaries of",
    "is a member of": "are members of",
    "has": "have",
    "is": "are",
    "was": "were",
}


def plural_phrase(phrase: str) -> str:
    """The schema's "{source} <verb> …" phrase with the verb agreeing with a plural subject.

    >>> plural_phrase("{source} supplies {target}"), plural_phrase("{source} bans {target}")
    ('{source} supply {target}', '{source} ban {target}')
    >>> plural_phrase("{source} is a subsidiary of {target}")
    '{source} are subsidiaries of {target}'
    """
    head = "{source} "
    if not phrase.startswith(head):
        return phrase
    rest = phrase[len(head) :]
    for singular, plural in _PLURAL_VERBS.items():
        if rest == singular or rest.startswith(singular + " "):
            return head + plural + rest[len(singular) :]
    verb, _, tail = rest.partition(" ")
    if verb.endswith("ies"):
        verb = verb[:-3] + "y"
    elif verb.endswith(("sses", "shes", "ches", "xes")):
        verb = verb[:-2]
    elif verb.endswith("s"):
        verb = verb[:-1]
    return head + verb + (" " + tail if tail else "")


def percent(fraction: float) -> str:
    """A share as people write it: no more decimals than it has (up to two).

    >>> percent(0.765), percent(0.5), percent(0.2499), percent(1 / 3)
    ('76.5%', '50%', '24.99%', '33.33%')
    """
    return f"{fraction * 100:.2f}".rstrip("0").rstrip(".") + "%"


def share_text(rel: Relationship) -> str | None:
    """The share a relationship states: exact, or the range a register gave (BODS ranges
    keep their bounds, ``share_min``/``share_max``, and whether each is exclusive).

    >>> from graphkit.model import Evidence
    >>> ev = [Evidence(source="s", excerpt="x")]
    >>> share_text(Relationship(id="r", type="OWNS", source="a", target="b", share=0.75,
    ...     evidence=ev, properties={"share_min": 0.75, "share_max": 1.0,
    ...                              "share_max_exclusive": True}))
    '75–<100%'
    >>> share_text(Relationship(id="r", type="OWNS", source="a", target="b", share=0.765,
    ...     evidence=ev))
    '76.5%'
    """
    props = rel.properties
    low, high = props.get("share_min"), props.get("share_max")
    if props.get("share_exact") or low is None or high is None or low == high:
        return None if rel.share is None else percent(rel.share)
    lo = (">" if props.get("share_min_exclusive") else "") + percent(float(low))[:-1]
    hi = ("<" if props.get("share_max_exclusive") else "") + percent(float(high))
    return f"{lo}–{hi}"


def _period(rel: Relationship) -> str:
    if rel.ended and not rel.valid_to:
        return f"{rel.valid_from or '…'}–ended, date unknown"
    if rel.undated:
        return "dates unknown"
    return f"{rel.valid_from or '…'}–{rel.valid_to or '…'}"


def _cite(source: Source | None, fallback: str) -> str:
    if source is None:
        return fallback
    return f"“{source.title}”" + (f" ({source.date})" if source.date else " (undated)")


_VERB = {
    Confidence.CONFIRMED: "confirmed",
    Confidence.REPORTED: "reported",
    Confidence.ALLEGED: "alleged",
}


def explain(
    rel: Relationship, entities: Mapping[str, Entity], sources: Mapping[str, Source]
) -> str:
    """One plain-language sentence for a relationship, generated from the schema table.

    Example:
        >>> from graphkit.model import Evidence
        >>> rel = Relationship(id="r", type="AGREEMENT_WITH", source="l", target="p",
        ...                    valid_from="2019", evidence=[Evidence(source="s", excerpt="x")])
        >>> ents = {"l": Entity(id="l", kind="Platform", name="LOGINK"),
        ...         "p": Entity(id="p", kind="PublicBody", name="Port of Rotterdam")}
        >>> explain(rel, ents, {"s": Source(id="s", title="Note", date="2025-11-30")})
        'LOGINK has an agreement with Port of Rotterdam (2019–…), reported by “Note” (2025-11-30).'
    """
    text = claim(rel, entities)[:-1]
    supports = [e for e in rel.evidence if e.stance is Stance.SUPPORTS]
    disputes = [e for e in rel.evidence if e.stance is Stance.DISPUTES]
    verb = (
        _VERB[rel.confidence]
        if isinstance(rel.confidence, Confidence)
        else f"reported (confidence {rel.confidence:g})"
    )
    text += f", {verb} by " + _cite(sources.get(supports[0].source), supports[0].source)
    if disputes:
        text += "; disputed by " + _cite(sources.get(disputes[0].source), disputes[0].source)
    return text + "."


def claim(rel: Relationship, entities: Mapping[str, Entity]) -> str:
    """The claim alone, without who reported it (citations give that as footnotes).

    >>> rel = Relationship(id="r", type="OWNS", source="a", target="b", share=0.765,
    ...                    evidence=[{"source": "s", "excerpt": "x"}])
    >>> claim(rel, {"a": Entity(id="a", kind="Company", name="A"),
    ...             "b": Entity(id="b", kind="Company", name="B")})
    'A owns B — 76.5% (dates unknown).'
    """
    spec = RELATIONSHIPS[rel.type]
    subject = entities[rel.source]
    phrase = plural_phrase(spec.phrase) if subject.plural else spec.phrase
    text = phrase.format(source=subject.name, target=entities[rel.target].name)
    extras = []
    share = share_text(rel)
    if share is not None:
        extras.append(share)
    if rel.role:
        extras.append(rel.role)
    if rel.status:
        extras.append(rel.status)
    if extras:
        text += " — " + ", ".join(extras)
    text += f" ({_period(rel)})"
    return text[0].upper() + text[1:] + "."


def evidence_views(rel: Relationship, sources: Mapping[str, Source]) -> tuple[EvidenceView, ...]:
    """Evidence with each source document spelled out."""
    views = []
    for ev in rel.evidence:
        src = sources.get(ev.source)
        views.append(
            EvidenceView(
                source_id=ev.source,
                title=src.title if src else ev.source,
                publisher=src.publisher if src else None,
                date=src.date if src else None,
                url=src.url if src else None,
                language=src.language if src else None,
                excerpt=ev.excerpt,
                locator=ev.locator,
                stance=ev.stance.value,
                note=ev.note,
            )
        )
    return tuple(views)


def hop_view(
    rel: Relationship,
    influence_from: str,
    entities: Mapping[str, Entity],
    sources: Mapping[str, Source],
    as_of: date,
    weights: Weights | None = None,
    ref: Callable[[Entity], EntityRef] = entity_ref,
) -> Hop:
    """A relationship as a hop: oriented, explained, with evidence and flags; its strength
    is the profile's when ``weights`` are given, the stored one otherwise (``ref`` builds
    the ends' references)."""
    arcs = influence_arcs(rel.type, rel.source, rel.target)
    to = next(
        (h for t, h in arcs if t == influence_from),
        rel.target if influence_from == rel.source else rel.source,
    )
    return Hop(
        relationship_id=rel.id,
        type=rel.type,
        source=ref(entities[rel.source]),
        target=ref(entities[rel.target]),
        influence_from=influence_from,
        influence_to=to,
        strength=rel.strength
        if weights is None
        else weights.weigh(rel.type, rel.share, rel.confidence),
        confidence=rel.confidence,
        share=rel.share,
        role=rel.role,
        status=rel.status,
        valid_from=rel.valid_from,
        valid_to=rel.valid_to,
        known_from=known_from(rel, sources),
        properties=dict(rel.properties),
        undated=rel.undated,
        disputed=rel.disputed,
        active=rel.valid_on(as_of),
        evidence=evidence_views(rel, sources),
        explanation=explain(rel, entities, sources),
        claim=claim(rel, entities),
    )


def path_view(
    start: str,
    rel_ids: Sequence[str],
    rels: Mapping[str, Relationship],
    entities: Mapping[str, Entity],
    sources: Mapping[str, Source],
    as_of: date,
    weights: Weights | None = None,
    shared: SharedViews | None = None,
) -> InfluencePath:
    """A path from ``start`` following ``rel_ids`` in influence order; ``shared`` holds
    the views the answer's other paths built (see :class:`SharedViews`)."""
    views = shared if shared is not None else SharedViews()
    hops: list[Hop] = []
    node = start
    strength = 1.0
    for rid in rel_ids:
        hop = views.hops.get((rid, node))
        if hop is None:
            hop = views.hops[(rid, node)] = hop_view(
                rels[rid], node, entities, sources, as_of, weights, views.ref
            )
        hops.append(hop)
        strength *= hop.strength
        node = hop.influence_to
    chain = [start] + [h.influence_to for h in hops]
    return InfluencePath(
        strength=strength,
        length=len(hops),
        entities=tuple(views.ref(entities[e]) for e in chain),
        hops=tuple(hops),
        undated=any(h.undated for h in hops),
        disputed=any(h.disputed for h in hops),
    )


def ids_on(paths: Iterable[Sequence[str]]) -> set[str]:
    """All relationship ids on some paths."""
    return {rid for p in paths for rid in p}


def entity_ids_of(rels: Iterable[Relationship]) -> set[str]:
    """Both endpoints of some relationships."""
    return {e for r in rels for e in (r.source, r.target)}


def rank(
    items: Iterable[tuple[Entity, InfluencePath]],
    start: int = 1,
    ref: Callable[[Entity], EntityRef] = entity_ref,
) -> list[RankedEntity]:
    """Canonical order for reach and exposure: strongest, fewest hops, then entity id."""
    ordered = sorted(items, key=lambda it: (-strength_key(it[1].strength), it[1].length, it[0].id))
    return [
        RankedEntity(
            rank=start + i,
            entity=ref(ent),
            strength=path.strength,
            hops=path.length,
            path=path,
        )
        for i, (ent, path) in enumerate(ordered)
    ]
