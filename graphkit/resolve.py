"""Entity resolution: the same real-world actor from several sources becomes one entity.

Identifiers decide automatically: two records holding the same LEI, Wikidata id, or the same
national register number in the same country are one entity, merged at ingest. Names alone
never merge: records whose name fingerprints (``fingerprints``, which strips legal forms and
transliterates) agree are only listed as candidates, merged when a person accepts them; the
decision is stored so a later ingest of the same records keeps it. A merge moves every
relationship, with all its evidence, to the surviving entity.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import fingerprints

from graphkit.errors import InvalidData, Issue
from graphkit.identifiers import identifier_keys
from graphkit.model import Batch, Entity, with_derived_id

if TYPE_CHECKING:
    from graphkit.store.base import GraphStore


def name_fingerprints(entity: Entity) -> set[str]:
    """Fingerprints of an entity's name and aliases (legal forms and script folded)."""
    names = [entity.name, *entity.aliases] if not entity.unnamed else list(entity.aliases)
    return {fp for n in names if (fp := fingerprints.generate(n)) and len(fp) > 3}


def merged_entity(canonical: Entity, others: Iterable[Entity]) -> Entity:
    """The surviving record: the canonical one, with every other record's names and ids.

    An entity known only by an identifier (``unnamed``) takes the first real name offered.
    """
    data: dict[str, Any] = canonical.model_dump()
    aliases = list(canonical.aliases)
    identifiers = dict(canonical.identifiers)
    for other in others:
        if data["unnamed"] and not other.unnamed:
            aliases.append(data["name"])
            data["name"], data["unnamed"] = other.name, False
        elif other.name != data["name"]:
            aliases.append(other.name)
        aliases += other.aliases
        for scheme, value in other.identifiers.items():
            identifiers.setdefault(scheme, value)
        data["country"] = data["country"] or other.country
        data["description"] = data["description"] or other.description
        data["properties"] = {**other.properties, **data["properties"]}
    data["aliases"] = tuple(a for a in dict.fromkeys(aliases) if a != data["name"])
    data["identifiers"] = identifiers
    return type(canonical).model_validate(data)


def rewrite(data: Mapping[str, Any], section: str, merges: Mapping[str, str]) -> dict[str, Any]:
    """A raw record with merged ids replaced by their canonical ids."""
    # The id is derived from the record as written, so folding cannot change it.
    out = with_derived_id(data) if section == "relationships" else dict(data)
    fields = ("id",) if section == "entities" else ("source", "target")
    for field in fields:
        value = out.get(field)
        if isinstance(value, str) and value in merges:
            out[field] = merges[value]
    return out


def resolve_batch(
    batch: Batch, store: GraphStore, merges: Mapping[str, str]
) -> tuple[Batch, list[tuple[str, str, str]], list[tuple[str, list[str], str]]]:
    """Fold a validated batch onto the store's entities.

    Records of already merged entities join their canonical entity; records that share an
    identifier key with each other or with stored entities become one entity (a stored one
    survives, else the smallest id).

    Returns:
        The folded batch, the new merges of batch records (merged, canonical, reason), and
        merges among stored entities for the caller to apply after writing.

    Raises:
        InvalidData: a relationship would join an entity to itself after folding.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    batch_ids = {e.id for e in batch.entities}
    keys_of = {e.id: identifier_keys(e) for e in batch.entities if e.id not in merges}
    owners = store.entities_by_identifier({k for ks in keys_of.values() for k in ks})
    holders: dict[str, set[str]] = {}
    for eid, keys in keys_of.items():
        for key in keys:
            holders.setdefault(key, set()).add(eid)
            holders[key].update(i for i in owners.get(key, []) if i not in merges)
    for members in holders.values():
        first = min(members)
        for other in members:
            union(first, other)
    groups: dict[str, set[str]] = {}
    for members in holders.values():
        for m in members:
            groups.setdefault(find(m), set()).add(m)
    mapping: dict[str, str] = {}
    reasons: dict[str, str] = {}
    store_merges: list[tuple[str, list[str], str]] = []
    for members in groups.values():
        if len(members) < 2:
            continue
        stored = sorted(m for m in members if m not in batch_ids or owners_has(owners, m))
        canonical = stored[0] if stored else min(members)
        shared = sorted(k for k, ms in holders.items() if ms & members and len(ms) > 1)
        reason = "same identifier " + ", ".join(shared)
        for m in members - {canonical}:
            mapping[m] = canonical
            reasons[m] = reason
        in_store = [m for m in stored if m != canonical and m not in batch_ids]
        if in_store:
            store_merges.append((canonical, in_store, reason))
    for eid in batch_ids & set(merges):
        mapping[eid] = merges[eid]
    if not mapping:
        return batch, [], []
    batch_by_id = {e.id: e for e in batch.entities}
    canon_ids = {mapping[m] for m in mapping if m in batch_by_id}
    stored_canon = store.entities(c for c in canon_ids if c not in batch_by_id)
    folded: dict[str, Entity] = {}
    for cid in sorted(canon_ids):
        base = batch_by_id.get(cid) or stored_canon[cid]
        others = [batch_by_id[m] for m in sorted(mapping) if mapping[m] == cid and m in batch_by_id]
        folded[cid] = merged_entity(base, others)
    entities = [folded.get(e.id, e) for e in batch.entities if e.id not in mapping]
    entities += [e for cid, e in folded.items() if cid not in batch_by_id]
    rels = []
    for r in batch.relationships:
        src, tgt = mapping.get(r.source, r.source), mapping.get(r.target, r.target)
        if src == tgt:
            raise InvalidData(
                [
                    Issue(
                        None,
                        f"relationship {r.id!r}",
                        "source/target",
                        f"would join {src!r} to itself once {r.source!r} and "
                        f"{r.target!r} are merged",
                    )
                ]
            )
        rels.append(
            r
            if (src, tgt) == (r.source, r.target)
            else r.model_copy(update={"source": src, "target": tgt})
        )
    new = [
        (m, c, reasons.get(m, "recorded merge"))
        for m, c in sorted(mapping.items())
        if m in batch_by_id and m not in merges
    ]
    return (
        Batch(sources=batch.sources, entities=tuple(entities), relationships=tuple(rels)),
        new,
        store_merges,
    )


def owners_has(owners: Mapping[str, list[str]], entity_id: str) -> bool:
    """Whether a stored entity holds one of the looked-up keys."""
    return any(entity_id in ids for ids in owners.values())


def candidates(
    store: GraphStore, merges: Mapping[str, str], page: int = 5000
) -> list[tuple[str, list[Entity]]]:
    """Groups of entities of one kind whose name fingerprints agree, for a person to review.

    Returns (fingerprint, entities) groups, largest first, skipping merged entities.
    """
    by_fp: dict[tuple[str, str], dict[str, Entity]] = {}
    after: str | None = None
    while True:
        chunk = store.scan_entities(after, page)
        if not chunk:
            break
        for ent in chunk:
            if ent.id in merges:
                continue
            for fp in name_fingerprints(ent):
                by_fp.setdefault((ent.kind.value, fp), {})[ent.id] = ent
        after = chunk[-1].id
    seen: set[frozenset[str]] = set()
    out = []
    for (_kind, fp), ents in sorted(by_fp.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        ids = frozenset(ents)
        if len(ids) > 1 and ids not in seen:
            seen.add(ids)
            out.append((fp, [ents[i] for i in sorted(ents)]))
    return out
