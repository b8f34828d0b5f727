"""The stored facts: entities, relationships, sources and the evidence that ties them.

Frozen pydantic models, checked against the schema table, shared by every backend.
Dates are *partial* (``2019``, ``2019-04`` or ``2019-04-11``) because sources often are.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any, TypeVar

import orjson
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from graphkit.schema import Confidence, EntityKind, RelType, confidence_factor, hop_strength

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:/>#\-]{0,299}$"
#: Said in errors instead of the pattern itself.
ID_RULE = "an id of letters, digits and . _ : / - > # (starting with a letter or digit)"


def _coerce_partial_date(value: Any) -> Any:
    """Accept what YAML and JSON produce for dates (date objects, bare years as ints)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # a bare year from YAML or JSON, checked as text below
    if isinstance(value, str):
        text = value.strip()
        match = _PARTIAL_DATE.match(text)
        if not match:
            raise ValueError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
        year, month, day = match.groups()
        try:
            date(int(year), int(month or 1), int(day or 1))
        except ValueError as exc:
            raise ValueError(f"not a real date: {value!r} ({exc})") from None
        return text
    raise ValueError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")


PartialDate = Annotated[str, BeforeValidator(_coerce_partial_date)]


@lru_cache(maxsize=65_536)
def date_floor(value: str) -> date:
    """Earliest day a partial date can mean.

    >>> date_floor("2019")
    datetime.date(2019, 1, 1)
    """
    parts = [int(p) for p in value.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


@lru_cache(maxsize=65_536)
def date_ceil(value: str) -> date:
    """Latest day a partial date can mean.

    >>> date_ceil("2020-02")
    datetime.date(2020, 2, 29)
    """
    parts = [int(p) for p in value.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return date(year, month, day)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


#: Size limits every backend can store and index (Neo4j's index keys are bounded): one name
#: or alias, how many aliases, and all names of an entity together.
NAME_MAX = 1000
ALIASES_MAX = 500
NAMES_TOTAL_MAX = 6000

Scalar = str | int | float | bool | None
_INT64 = 2**63


def _check_properties(value: Any) -> Any:
    """Property values every backend can store: integers within 64 bits, finite numbers,
    text of reasonable size (NaN or a 30-digit integer would crash one store or silently
    become null in another)."""
    if not isinstance(value, dict):
        return value
    for key, item in value.items():
        if isinstance(item, bool) or item is None:
            continue
        if isinstance(item, int) and not -_INT64 <= item < _INT64:
            raise ValueError(f"property {key!r}: integer {item} is outside the 64-bit range")
        if isinstance(item, float) and not math.isfinite(item):
            raise ValueError(f"property {key!r}: {item} is not a finite number")
        if isinstance(item, str) and len(item) > 100_000:
            raise ValueError(f"property {key!r}: text longer than 100,000 characters")
    return value


Properties = Annotated[dict[str, Scalar], BeforeValidator(_check_properties)]


class Source(_Frozen):
    """A document that evidence is drawn from."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    publisher: str | None = None
    date: PartialDate | None = None
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    language: str | None = Field(default=None, pattern=r"^[a-z]{2,3}$")
    kind: str | None = None
    note: str | None = None


class Stance(StrEnum):
    """Whether a piece of evidence supports the relationship or disputes it."""

    SUPPORTS = "supports"
    DISPUTES = "disputes"


class Evidence(_Frozen):
    """A short excerpt of a source that supports or disputes one relationship."""

    source: str = Field(pattern=ID_PATTERN)
    excerpt: str = Field(min_length=1, max_length=2000)
    stance: Stance = Stance.SUPPORTS
    locator: str | None = None
    note: str | None = None


class Entity(_Frozen):
    """An actor, asset, law or place. ``unnamed`` marks an actor the sources describe but
    do not name (e.g. "Chinese or Hong Kong shareholders"), kept vague on purpose."""

    id: str = Field(pattern=ID_PATTERN)
    kind: EntityKind
    name: str = Field(min_length=1, max_length=NAME_MAX)
    aliases: tuple[Annotated[str, Field(max_length=NAME_MAX)], ...] = Field(
        default=(), max_length=ALIASES_MAX
    )
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    identifiers: dict[str, str] = Field(default_factory=dict)
    description: str | None = None
    unnamed: bool = False
    #: The name denotes several (``Australian military services``, ``Zoom's China-based
    #: development subsidiaries``): generated sentences then use plural verbs.
    plural: bool = False
    properties: Properties = Field(default_factory=dict)

    @field_validator("country", mode="before")
    @classmethod
    def _upper_country(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _names_fit(self) -> Entity:
        total = len(self.name) + sum(len(a) for a in self.aliases)
        if total > NAMES_TOTAL_MAX:
            raise ValueError(
                f"name and aliases hold {total:,} characters together; at most "
                f"{NAMES_TOTAL_MAX:,} (every backend must be able to index them for search)"
            )
        return self


class Relationship(_Frozen):
    """A sourced, dated claim that one entity stands in a typed relation to another."""

    id: str = Field(pattern=ID_PATTERN)
    type: RelType
    source: str = Field(pattern=ID_PATTERN)
    target: str = Field(pattern=ID_PATTERN)
    share: float | None = Field(default=None, ge=0.0, le=1.0)
    role: str | None = None
    status: str | None = None
    valid_from: PartialDate | None = None
    valid_to: PartialDate | None = None
    ended: bool = Field(
        default=False,
        description=(
            "The sources say it is over but give no end date: kept out of every dated query "
            "(we cannot say when it held) and shown as inactive in neighbourhoods."
        ),
    )
    confidence: Confidence | Annotated[float, Field(gt=0.0, le=1.0)] = Confidence.REPORTED
    evidence: tuple[Evidence, ...] = Field(min_length=1)
    properties: Properties = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> Relationship:
        if self.source == self.target:
            raise ValueError("a relationship cannot join an entity to itself")
        if (
            self.valid_from
            and self.valid_to
            and date_floor(self.valid_from) > date_ceil(self.valid_to)
        ):
            raise ValueError(f"valid_from {self.valid_from} is after valid_to {self.valid_to}")
        if not any(e.stance is Stance.SUPPORTS for e in self.evidence):
            raise ValueError("needs at least one piece of evidence with stance 'supports'")
        return self

    @property
    def strength(self) -> float:
        """Base hop strength from the schema table (share or constant, times confidence)."""
        return hop_strength(self.type, self.share, self.confidence)

    @property
    def undated(self) -> bool:
        """True when neither end of the validity interval is known."""
        return self.valid_from is None and self.valid_to is None

    @property
    def disputed(self) -> bool:
        """True when any evidence disputes the claim (both sides are kept)."""
        return any(e.stance is Stance.DISPUTES for e in self.evidence)

    @property
    def in_force_since(self) -> date | None:
        """First day the relationship can have held (None: unknown, unbounded)."""
        return date_floor(self.valid_from) if self.valid_from else None

    @property
    def in_force_until(self) -> date | None:
        """Last day it can have held (None: unknown, unbounded; ``date.min`` when it has
        ended at an unknown date)."""
        if self.valid_to:
            return date_ceil(self.valid_to)
        return date.min if self.ended else None

    def valid_on(self, day: date) -> bool:
        """Whether the interval can contain ``day``; unknown ends count as unbounded."""
        since, until = self.in_force_since, self.in_force_until
        return (since is None or since <= day) and (until is None or until >= day)


def relationship_id(rel_type: str, source: str, target: str, key: str | None = None) -> str:
    """Stable id for a relationship that its file did not name.

    >>> relationship_id("OWNS", "a", "b")
    'OWNS:a->b'
    """
    base = f"{rel_type}:{source}->{target}"
    return f"{base}#{key}" if key else base


def with_derived_id(data: Mapping[str, Any]) -> dict[str, Any]:
    """A relationship record with its stable id filled in when it names none (``key`` is
    consumed). Every path that reads records uses this one rule, so ids cannot drift.

    >>> with_derived_id({"type": "OWNS", "source": "a", "target": "b", "key": "2"})["id"]
    'OWNS:a->b#2'
    """
    out = dict(data)
    if not out.get("id"):
        key = out.pop("key", None)
        if all(isinstance(out.get(f), str) for f in ("type", "source", "target")):
            out["id"] = relationship_id(out["type"], out["source"], out["target"], key)
    return out


_R = TypeVar("_R", Source, Entity, Relationship)


class Batch(BaseModel):
    """A validated set of records written in one all-or-nothing transaction."""

    model_config = ConfigDict(frozen=True)

    sources: tuple[Source, ...] = ()
    entities: tuple[Entity, ...] = ()
    relationships: tuple[Relationship, ...] = ()

    @field_validator("sources", "entities", "relationships")
    @classmethod
    def _last_wins(cls, records: tuple[_R, ...]) -> tuple[_R, ...]:
        """A record repeated in one batch is one upsert, the later one winning, as when the
        two came in successive batches; every backend then counts and stores it once."""
        latest = {r.id: r for r in records}
        return records if len(latest) == len(records) else tuple(latest.values())


def known_from(rel: Relationship, sources: Mapping[str, Source]) -> str | None:
    """When the claim became known: the date of its earliest dated supporting source."""
    dates = [
        s.date
        for e in rel.evidence
        if e.stance is Stance.SUPPORTS and (s := sources.get(e.source)) and s.date
    ]
    return min(dates, key=date_floor) if dates else None


def canonical_json(obj: BaseModel) -> str:
    """Stable JSON of a record (sorted keys, defaults left out): equal text means equal record,
    which is how re-ingest recognises unchanged records."""
    return orjson.dumps(
        obj.model_dump(mode="json", exclude_defaults=True), option=orjson.OPT_SORT_KEYS
    ).decode()


def edge_facts(rel: Relationship, sources: Mapping[str, Source]) -> dict[str, Any]:
    """What traversal filters need about a relationship, as plain comparable values.

    Dates are ISO strings (they compare in date order in SQL and Cypher alike); an ended
    relationship without an end date gets ``until = "0001-01-01"`` so no query uses it.
    """
    return facts_of(
        rel.type,
        rel.share,
        rel.confidence,
        rel.valid_from,
        rel.valid_to,
        rel.ended,
        known_from(rel, sources),
    )


def facts_of(
    rel_type: RelType,
    share: float | None,
    confidence: Confidence | float,
    valid_from: str | None,
    valid_to: str | None,
    ended: bool,
    known: str | None,
) -> dict[str, Any]:
    """:func:`edge_facts` of plain values (``known``: the earliest supporting source's date),
    so a first load derives them without building the relationship.

    >>> facts_of(RelType.OWNS, 0.5, Confidence.CONFIRMED, "2019", None, True, None)["until"]
    '0001-01-01'
    """
    return {
        "strength": hop_strength(rel_type, share, confidence),
        "since": date_floor(valid_from).isoformat() if valid_from else None,
        "until": date_ceil(valid_to).isoformat()
        if valid_to
        else (date.min.isoformat() if ended else None),
        "confidence": confidence_factor(confidence),
        "known": date_floor(known).isoformat() if known else None,
        # What an influence profile weighs again: the share, and the confidence level's name
        # (None when the confidence is a number, which "confidence" then holds).
        "share": share,
        "conf": confidence.value if isinstance(confidence, Confidence) else None,
    }
