"""Turn raw records from any loader into a validated :class:`Batch`, or say exactly why not.

Every problem is collected (not just the first) with its file, line, record and field, so a
journalist fixing a spreadsheet sees them all at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from graphkit.errors import InvalidData, Issue
from graphkit.model import ID_RULE, Batch, Entity, Relationship, Source, with_derived_id
from graphkit.schema import RELATIONSHIPS, EntityKind

Section = Literal["sources", "entities", "relationships"]

#: Looks up ids already in the store: returns the kinds of the entities it knows.
EntityLookup = Callable[[Iterable[str]], Mapping[str, EntityKind]]
#: Returns the subset of the given source ids already in the store.
SourceLookup = Callable[[Iterable[str]], set[str]]


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record as a loader read it, with where it came from."""

    section: Section
    data: Mapping[str, Any]
    file: str | None = None
    line: int | None = None
    index: int | None = None

    def issue(self, message: str, field: str | None = None, record: str | None = None) -> Issue:
        """An :class:`Issue` located at this record."""
        label = record or _label(self)
        return Issue(file=self.file, line=self.line, record=label, field=field, message=message)


SINGULAR: dict[Section, str] = {
    "sources": "source",
    "entities": "entity",
    "relationships": "relationship",
}


def _label(raw: RawRecord) -> str:
    ident = raw.data.get("id") if isinstance(raw.data, Mapping) else None
    section = SINGULAR[raw.section]
    if ident:
        return f"{section} {ident!r}"
    return f"{section} #{(raw.index or 0) + 1}"


_MODELS: dict[Section, type[BaseModel]] = {
    "sources": Source,
    "entities": Entity,
    "relationships": Relationship,
}


@dataclass
class _Collected:
    issues: list[Issue] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    relationships: dict[str, Relationship] = field(default_factory=dict)
    origin: dict[str, RawRecord] = field(default_factory=dict)
    #: ids of records that failed, so references to them do not raise a second, misleading error
    failed: set[str] = field(default_factory=set)


def _parse(raw: RawRecord, out: _Collected) -> None:
    if not isinstance(raw.data, Mapping):
        out.issues.append(raw.issue(f"expected a mapping of fields, got {type(raw.data).__name__}"))
        return
    data = with_derived_id(raw.data) if raw.section == "relationships" else dict(raw.data)
    model = _MODELS[raw.section]
    label = f"{SINGULAR[raw.section]} {data['id']!r}" if data.get("id") else None
    try:
        obj = model.model_validate(data)
    except ValidationError as exc:
        if isinstance(data.get("id"), str):
            out.failed.add(data["id"])
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or None
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                allowed = ", ".join(model.model_fields)
                msg = f"unknown field; allowed fields are: {allowed}"
            elif err["type"] == "enum" and loc in ("kind", "type"):
                msg = f"{msg} (got {err.get('input')!r})"
            elif err["type"] == "string_pattern_mismatch" and str(loc).endswith(
                ("id", "source", "target")
            ):
                msg = f"expected {ID_RULE}, got {err.get('input')!r}"
            out.issues.append(raw.issue(msg, field=loc, record=label))
        return
    bucket: dict[str, Any] = getattr(out, raw.section)
    ident: str = obj.id  # type: ignore[attr-defined]
    previous = bucket.get(ident)
    if previous is not None and previous != obj:
        first = out.origin[f"{raw.section}:{ident}"]
        where = f"{first.file or '<input>'}:{first.line}" if first.line else (first.file or "")
        out.issues.append(
            raw.issue(
                f"id {ident!r} is defined twice with different content (first at {where})",
                field="id",
            )
        )
        return
    bucket[ident] = obj
    out.origin.setdefault(f"{raw.section}:{ident}", raw)


def _check_links(
    out: _Collected, known_entities: EntityLookup | None, known_sources: SourceLookup | None
) -> None:
    wanted_entities = {e for r in out.relationships.values() for e in (r.source, r.target)}
    missing = wanted_entities - set(out.entities)
    stored_kinds: Mapping[str, EntityKind] = (
        known_entities(missing) if (known_entities and missing) else {}
    )
    kinds = {eid: e.kind for eid, e in out.entities.items()} | dict(stored_kinds)

    wanted_sources = {ev.source for r in out.relationships.values() for ev in r.evidence}
    missing_sources = wanted_sources - set(out.sources)
    stored_sources = (
        known_sources(missing_sources) if (known_sources and missing_sources) else set()
    )
    all_sources = set(out.sources) | stored_sources

    for rid, rel in out.relationships.items():
        spec = RELATIONSHIPS[rel.type]
        ends = (("source", rel.source, spec.sources), ("target", rel.target, spec.targets))
        if all(kinds.get(eid) in allowed for _, eid, allowed in ends) and all(
            ev.source in all_sources for ev in rel.evidence
        ):
            continue  # the common case: nothing to report, no message built
        raw = out.origin[f"relationships:{rid}"]
        label = f"relationship {rid!r}"
        for end, eid, allowed in ends:
            kind = kinds.get(eid)
            if kind is None and eid in out.failed:
                continue
            if kind is None:
                out.issues.append(
                    raw.issue(
                        f"refers to entity {eid!r}, which is neither in this "
                        "batch nor in the store",
                        field=end,
                        record=label,
                    )
                )
            elif kind not in allowed:
                names = ", ".join(sorted(k.value for k in allowed))
                out.issues.append(
                    raw.issue(
                        f"{rel.type} cannot have a {kind.value} as {end} "
                        f"({eid!r}); expected one of: {names}",
                        field=end,
                        record=label,
                    )
                )
        for i, ev in enumerate(rel.evidence):
            if ev.source not in all_sources and ev.source not in out.failed:
                out.issues.append(
                    raw.issue(
                        f"cites source {ev.source!r}, which is neither in "
                        "this batch nor in the store",
                        field=f"evidence.{i}.source",
                        record=label,
                    )
                )


def validate_records(
    records: Iterable[RawRecord],
    known_entities: EntityLookup | None = None,
    known_sources: SourceLookup | None = None,
) -> Batch:
    """Validate raw records against the models and the schema table.

    Args:
        records: what a loader read, in file order.
        known_entities: resolves ids that the batch refers to but does not define.
        known_sources: resolves source ids cited but not defined in the batch.

    Raises:
        InvalidData: with every problem found; the caller writes nothing.

    Example:
        >>> batch = validate_records([RawRecord("entities", {"id": "a", "kind": "Company",
        ...                                                  "name": "A"})])
        >>> batch.entities[0].name
        'A'
    """
    out = _Collected()
    for raw in records:
        _parse(raw, out)
    _check_links(out, known_entities, known_sources)
    if out.issues:
        raise InvalidData(out.issues)
    # Built without re-validation: every record was just validated, each id once (the
    # buckets are keyed by id), which is all Batch's own check would establish again.
    return Batch.model_construct(
        sources=tuple(out.sources.values()),
        entities=tuple(out.entities.values()),
        relationships=tuple(out.relationships.values()),
    )
