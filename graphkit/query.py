"""Request and result models for every query, shared by both backends, the CLI and the API.

Pure data: no I/O. Results come back in a canonical order (strength, then hop count, then
relationship ids from the query's anchor outward) so two backends' answers compare with ``==``.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graphkit.dates import Day
from graphkit.schema import Confidence, EntityKind, RelType, Role

#: Hard ceiling on traversal depth; settings may lower it, never raise it.
MAX_DEPTH_LIMIT = 10
#: Hard ceiling on one page of results.
MAX_PAGE = 500

ENTITY_EXAMPLE = "rotterdam-port-logistics-data"
_DEPTH = "Most hops on a path (the server may cap it lower)."
_MIN_STRENGTH = "Drop paths weaker than this (strength = product of hop strengths, 0–1]."
_LIMIT = f"Results per page (at most {MAX_PAGE})."
_OFFSET = "Skip this many results (stable order: strength, hops, id)."


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


ConfidenceLevel = Confidence | Annotated[float, Field(gt=0.0, le=1.0)]


class Dated(_Model):
    """The days a question is about: what held on ``as_of``, as known by ``known_by``
    (every question over the graph takes these; see :class:`Filters` for traversals)."""

    as_of: Day | None = Field(
        default=None,
        description="Only relationships valid on this day (default: today). Undated ones "
        "are kept and flagged.",
        examples=["2020-01-01"],
    )
    known_by: Day | None = Field(
        default=None,
        description="Only relationships supported by a source dated on or before this day "
        "(what was known then); each hop shows only the evidence dated by then. Relationships "
        "whose sources carry no date are left out and counted, unless include_undated.",
    )
    include_undated: bool = Field(
        default=False,
        description="With known_by: also use relationships and evidence whose sources carry "
        "no date (they cannot be placed in time, so they are left out by default).",
    )


class Filters(Dated):
    """Which relationships a traversal may use."""

    types: tuple[RelType, ...] | None = Field(
        default=None,
        description="Only these relationship types (default: all that carry influence).",
    )
    min_confidence: ConfidenceLevel | None = Field(
        default=None,
        description="Only relationships at least this certain: confirmed > reported > alleged, "
        "or a number in (0, 1].",
    )
    profile: str | None = Field(
        default=None,
        max_length=64,
        description="Rank with this influence profile's strengths (GET /profiles lists them; "
        "default: the schema table's).",
        examples=["sceptic"],
    )


class PathSearch(Filters):
    """What every path search shares: how deep, how strong, and which path shapes count."""

    max_depth: int = Field(default=6, ge=1, le=MAX_DEPTH_LIMIT, description=_DEPTH)
    min_strength: float = Field(default=0.0, ge=0.0, le=1.0, description=_MIN_STRENGTH)
    pattern: str | None = Field(
        default=None,
        max_length=500,
        description="Only paths of this shape, e.g. `(StateBody) -[OWNS share>=0.25 | "
        "CONTROLS]->+ (Company) -[HAS_ACCESS_TO]-> (DataAsset)` (README: path patterns).",
    )


class ReachRequest(PathSearch):
    """Who can reach ``target``: actors with an influence path to it, strongest first."""

    target: str = Field(
        min_length=1,
        examples=[ENTITY_EXAMPLE],
        description="Id of the entity to reach (e.g. a data asset).",
    )
    kinds: tuple[EntityKind, ...] | None = Field(
        default=None,
        description="Result kinds (default: actors — companies, people, state "
        "and party bodies, public bodies, platforms).",
    )
    limit: int = Field(default=50, ge=1, le=MAX_PAGE, description=_LIMIT)
    offset: int = Field(default=0, ge=0, description=_OFFSET)


class ExposureRequest(PathSearch):
    """What ``source`` can reach: everything downstream of it, strongest first."""

    source: str = Field(
        min_length=1,
        examples=["cn-government"],
        description="Id of the actor whose reach to measure.",
    )
    kinds: tuple[EntityKind, ...] | None = Field(
        default=None, description="Result kinds (default: all)."
    )
    limit: int = Field(default=50, ge=1, le=MAX_PAGE, description=_LIMIT)
    offset: int = Field(default=0, ge=0, description=_OFFSET)


class PathsRequest(PathSearch):
    """The ``k`` strongest distinct simple paths from ``source`` to ``target``."""

    source: str = Field(min_length=1, examples=["logink"], description="Where paths start.")
    target: str = Field(min_length=1, examples=[ENTITY_EXAMPLE], description="Where they end.")
    k: int = Field(default=5, ge=1, le=50, description="How many paths.")


class NeighbourhoodRequest(Filters):
    """Every relationship within ``depth`` hops of an entity, in any direction and of any
    type (bans and warnings included)."""

    entity: str = Field(min_length=1, examples=["hikvision"], description="Centre entity id.")
    depth: int = Field(default=1, ge=1, le=3, description="Hops around the centre.")
    limit: int = Field(default=200, ge=1, le=MAX_PAGE, description="Most relationships.")


class AssetOptions(Filters):
    """How far an asset view reaches and how much it shows (``/assets/{id}``'s query string)."""

    depth: int = Field(default=2, ge=1, le=3, description="Hops around the asset.")
    limit: int = Field(default=300, ge=1, le=MAX_PAGE, description="Most relationships.")


class AssetRequest(AssetOptions):
    """Everything around one asset — owners and stakes, operators, platforms and agreements,
    data flows, suppliers, laws, counter-measures — within ``depth`` hops, grouped by role.

    The first hop takes every relationship of the asset; further hops follow only what acts
    on the entities found (influence flowing into them, counter-measures aimed at them), so
    the view climbs to owners and controllers instead of spreading to their other holdings.
    """

    entity: str = Field(
        min_length=1, examples=["port-of-rotterdam"], description="Id of the asset (any entity)."
    )


class SearchRequest(_Model):
    """Find entities by name or alias, ignoring case, accents and script."""

    text: str = Field(
        min_length=1, max_length=200, examples=["rotterdam"], description="Name, alias or id."
    )
    kinds: tuple[EntityKind, ...] | None = Field(default=None, description="Only these kinds.")
    limit: int = Field(default=20, ge=1, le=MAX_PAGE, description=_LIMIT)
    offset: int = Field(default=0, ge=0, description=_OFFSET)


# ----------------------------------------------------------------------------- results


class EntityRef(_Model):
    """An entity as it appears in results."""

    id: str
    kind: EntityKind
    name: str
    country: str | None = None
    unnamed: bool = False


class EvidenceView(_Model):
    """One piece of evidence with its source document spelled out."""

    source_id: str
    title: str
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    language: str | None = None
    excerpt: str
    locator: str | None = None
    stance: str
    note: str | None = Field(
        default=None, description="What the data's editor adds: how the excerpt was read."
    )


class Hop(_Model):
    """One relationship on a path, oriented the way influence travels, with its evidence."""

    relationship_id: str
    type: RelType
    source: EntityRef = Field(description="The relationship's declared source.")
    target: EntityRef = Field(description="The relationship's declared target.")
    influence_from: str = Field(description="Entity id influence travels from on this hop.")
    influence_to: str
    strength: float
    confidence: Confidence | float
    share: float | None = None
    role: str | None = None
    status: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    known_from: str | None = Field(
        default=None, description="Date of the earliest dated supporting source."
    )
    properties: dict[str, Any] = Field(default_factory=dict)
    undated: bool = False
    disputed: bool = False
    active: bool = Field(default=True, description="Valid on the query's as_of day.")
    evidence: tuple[EvidenceView, ...]
    explanation: str = Field(description="The claim in one sentence, with who reported it.")
    claim: str = Field(
        default="", description="The claim alone (citations give the sources as footnotes)."
    )


class InfluencePath(_Model):
    """A chain of hops from an actor to what it reaches; strength is the product of hops."""

    strength: float
    length: int
    entities: tuple[EntityRef, ...]
    hops: tuple[Hop, ...]
    undated: bool = Field(default=False, description="Some hop has no known dates.")
    disputed: bool = Field(default=False, description="Some hop has disputing evidence.")


class RankedEntity(_Model):
    """One entity in a reach or exposure answer, with its best path."""

    rank: int
    entity: EntityRef
    strength: float
    hops: int
    path: InfluencePath


class Relaxation(_Model):
    """One filter of an empty answer that, set aside on its own, lets the search find
    something: which filter cut the answer, and what is behind it."""

    filter: str = Field(description="types, min_confidence, known_by, min_strength, max_depth.")
    was: str = Field(description="The value the request gave it.")
    found: int = Field(description="Paths (or entities) found without it.")
    example: str | None = Field(default=None, description="The strongest of them, by name.")


class EmptyAnswer(_Model):
    """Why an answer is empty: an empty list alone reads as "no link exists", while the data
    may only be silent about one end, or the question narrower than meant."""

    reasons: tuple[str, ...] = Field(description="Plain sentences, the most telling first.")
    relaxations: tuple[Relaxation, ...] = ()
    inert: tuple[str, ...] = Field(
        default=(),
        description="Relationships at the ends that carry no influence (bans, warnings) and "
        "so are never traversed.",
    )


class ProfileRef(_Model):
    """The influence profile an answer was ranked with: its name, and a fingerprint of its
    numbers that reproduces the ranking."""

    name: str
    fingerprint: str


class ReachResult(_Model):
    """Who can reach the target, strongest first."""

    target: EntityRef
    as_of: date
    known_by: date | None = None
    total: int
    offset: int
    limit: int
    items: tuple[RankedEntity, ...]
    undated_left_out: int = Field(
        default=0,
        description="With known_by: actors that relationships whose sources carry no date "
        "would add (left out because they cannot be placed in time; see include_undated).",
    )
    empty: EmptyAnswer | None = Field(
        default=None, description="When nothing was found: why (filters, silent data)."
    )
    profile: ProfileRef | None = Field(
        default=None, description="The influence profile the answer was ranked with."
    )


class ExposureResult(_Model):
    """What the source can reach, strongest first."""

    source: EntityRef
    as_of: date
    known_by: date | None = None
    total: int
    offset: int
    limit: int
    items: tuple[RankedEntity, ...]
    undated_left_out: int = Field(
        default=0,
        description="With known_by: entities that relationships whose sources carry no date "
        "would add (left out because they cannot be placed in time; see include_undated).",
    )
    empty: EmptyAnswer | None = Field(
        default=None, description="When nothing was found: why (filters, silent data)."
    )
    profile: ProfileRef | None = Field(
        default=None, description="The influence profile the answer was ranked with."
    )


class PathsResult(_Model):
    """The strongest distinct paths between two entities."""

    source: EntityRef
    target: EntityRef
    as_of: date
    known_by: date | None = None
    paths: tuple[InfluencePath, ...]
    undated_left_out: int = Field(
        default=0,
        description="With known_by: paths among the k strongest that relationships whose "
        "sources carry no date would add (left out because they cannot be placed in time; "
        "see include_undated).",
    )
    empty: EmptyAnswer | None = Field(
        default=None, description="When nothing was found: why (filters, silent data)."
    )
    profile: ProfileRef | None = Field(
        default=None, description="The influence profile the answer was ranked with."
    )


class NeighbourhoodResult(_Model):
    """An entity's surroundings: entities and every relationship among them."""

    center: EntityRef
    as_of: date
    entities: tuple[EntityRef, ...]
    relationships: tuple[Hop, ...]
    truncated: bool = Field(default=False, description="More relationships than `limit`.")


class AssetFact(_Model):
    """One relationship in an asset's picture, and how far from the asset it sits."""

    distance: int = Field(description="1: touches the asset; 2: acts on an entity at 1; …")
    via: EntityRef = Field(description="The entity it attaches to (the asset itself at 1).")
    hop: Hop


class AssetGroup(_Model):
    """The facts of one role (ownership, operation, agreements, …)."""

    role: Role
    title: str
    facts: tuple[AssetFact, ...]


class AssetResult(_Model):
    """The asset view: facts around one asset grouped by role, each with its evidence."""

    asset: EntityRef
    as_of: date
    known_by: date | None = None
    depth: int
    groups: tuple[AssetGroup, ...] = Field(description="Non-empty groups, in the roles' order.")
    entities: tuple[EntityRef, ...]
    truncated: bool = Field(default=False, description="More relationships than `limit`.")
    not_yet_known: int = Field(
        default=0, description="Relationships left out because no source had them by known_by."
    )


class SearchHit(_Model):
    """One entity matching a search, with the name or alias that matched."""

    entity: EntityRef
    score: float
    matched: str


class SearchResult(_Model):
    """Entities matching a search text, best first."""

    text: str
    total: int
    offset: int
    limit: int
    items: tuple[SearchHit, ...]


class EntityDetail(_Model):
    """Everything stored about one entity, with its relationship count."""

    entity: EntityRef
    aliases: tuple[str, ...]
    identifiers: dict[str, str]
    description: str | None
    properties: dict[str, Any]
    relationship_count: int


class IngestSummary(_Model):
    """What one all-or-nothing batch changed."""

    created: dict[str, int]
    updated: dict[str, int]
    unchanged: dict[str, int]
    skipped: dict[str, int] = Field(
        default_factory=dict, description="Records the loader left out on purpose, by reason."
    )
    merged: tuple[str, ...] = Field(
        default=(), description="Records folded into another entity: 'merged → canonical (reason)'."
    )

    def plus(self, other: IngestSummary) -> IngestSummary:
        """Both summaries added up (a streamed ingest sums its batches).

        >>> one = IngestSummary(created={"entities": 2}, updated={}, unchanged={})
        >>> one.plus(one).created
        {'entities': 4}
        """

        def add(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
            return {k: a.get(k, 0) + b.get(k, 0) for k in sorted(a.keys() | b.keys())}

        return IngestSummary(
            created=add(self.created, other.created),
            updated=add(self.updated, other.updated),
            unchanged=add(self.unchanged, other.unchanged),
            skipped=add(self.skipped, other.skipped),
            merged=self.merged + other.merged,
        )


class StoreStats(_Model):
    """Counts of what the store holds."""

    backend: str
    entities: int
    relationships: int
    sources: int
    gds: str | None = Field(
        default=None,
        description="The Graph Data Science library's version on a Neo4j server that has it.",
    )


# ----------------------------------------------------------------------------- analytics


class OwnersRequest(Dated):
    """Who owns ``entity``, directly and through every chain (cycles included)."""

    entity: str = Field(min_length=1, examples=["hikvision"], description="Owned entity id.")
    threshold: float = Field(
        default=0.25,
        gt=0.0,
        le=1.0,
        description="Integrated share at which an ultimate owner is reported (0.25, 0.10, 0.50…).",
    )
    max_paths: int = Field(default=3, ge=0, le=20, description="Top contributing chains per owner.")


class ContributingPath(_Model):
    """One ownership chain and the share it contributes (the product of its shares)."""

    contribution: float
    path: InfluencePath


class OwnerShare(_Model):
    """One owner of the entity."""

    entity: EntityRef
    direct: float = Field(description="Share held directly (0 when only indirect).")
    integrated: float = Field(
        description="Share held through all chains, cycles included: "
        "(I − W)⁻¹ W (Brioschi et al. 1989; Vitali et al. 2011)."
    )
    excluding_own_cycles: float = Field(
        description="Integrated share without chains that "
        "loop back through this owner (integrated ÷ (1 + the "
        "owner's circular self-share))."
    )
    ultimate: bool = Field(description="Nobody is recorded as owning this owner.")
    paths: tuple[ContributingPath, ...]


class OwnersResult(_Model):
    """Integrated ownership of one entity."""

    entity: EntityRef
    as_of: date
    threshold: float
    owners: tuple[OwnerShare, ...]
    ultimate_owners: tuple[OwnerShare, ...] = Field(
        description="Ultimate owners at or above the threshold."
    )
    state_share: float = Field(
        description="Integrated share held by state bodies and party organisations."
    )
    circular_self_share: float = Field(
        description="Share the entity holds in itself through cross-holdings."
    )
    unknown_share_stakes: tuple[Hop, ...] = Field(
        description="Stakes whose size the sources do not give (not in the arithmetic)."
    )
    warnings: tuple[str, ...] = Field(
        default=(),
        description="Data problems met on the way, such as recorded shares adding up to "
        "more than 100%.",
    )


class ControlRequest(Dated):
    """Who ultimately controls ``entity``: majority or explicit control, followed upwards."""

    entity: str = Field(min_length=1, examples=["hikvision"], description="Entity id.")


class ControlStep(_Model):
    """One link of the control chain."""

    controller: EntityRef
    basis: str = Field(
        description="'control' (explicit control or parent company) or "
        "'majority' (more than 50% of shares)."
    )
    share: float | None = None
    hop: Hop


class ControlResult(_Model):
    """The chain of control above an entity."""

    entity: EntityRef
    as_of: date
    chain: tuple[ControlStep, ...]
    ultimate_controller: EntityRef | None
    state_controlled: bool
    state_share: float
    circular: bool = Field(description="The chain returned to an entity already on it.")
    truncated: bool = Field(
        default=False,
        description="The chain was cut after 50 steps (the control walk is bounded).",
    )


class DiffQuery(StrEnum):
    """The answers a diff can compare."""

    REACH = "reach"
    EXPOSURE = "exposure"
    PATHS = "paths"


class DiffRequest(_Model):
    """How an answer changed between two days: who can reach ``target`` (reach), what
    ``source`` can reach (exposure), or the paths from ``source`` to ``target`` (paths)."""

    query: DiffQuery = Field(default=DiffQuery.REACH, description="Which answer to compare.")
    target: str | None = Field(
        default=None,
        min_length=1,
        examples=[ENTITY_EXAMPLE],
        description="Entity to reach (reach, paths).",
    )
    source: str | None = Field(
        default=None, min_length=1, description="Actor whose reach to compare (exposure, paths)."
    )
    from_date: Day = Field(examples=["2020-01-01"], description="The earlier day.")
    to_date: Day | None = Field(default=None, description="The later day (default today).")
    max_depth: int = Field(default=6, ge=1, le=MAX_DEPTH_LIMIT, description=_DEPTH)
    min_strength: float = Field(default=0.0, ge=0.0, le=1.0, description=_MIN_STRENGTH)
    types: tuple[RelType, ...] | None = Field(default=None, description="Only these types.")
    min_confidence: ConfidenceLevel | None = Field(default=None, description="Minimum confidence.")
    profile: str | None = Field(
        default=None, max_length=64, description="Rank with this influence profile."
    )
    kinds: tuple[EntityKind, ...] | None = Field(
        default=None, description="Result kinds (default as in reach or exposure)."
    )
    k: int = Field(
        default=3,
        ge=1,
        le=20,
        description="Paths compared per entity: the k strongest on each day.",
    )
    limit: int = Field(
        default=50,
        ge=1,
        le=MAX_PAGE,
        description="Entities compared path by path (the strongest on either day); the "
        "rest are compared by strength and best path only.",
    )

    @model_validator(mode="after")
    def _anchors(self) -> DiffRequest:
        need = {
            DiffQuery.REACH: ("target",),
            DiffQuery.EXPOSURE: ("source",),
            DiffQuery.PATHS: ("source", "target"),
        }[self.query]
        missing = [f for f in need if getattr(self, f) is None]
        if missing:
            raise ValueError(f"a {self.query.value} diff needs {' and '.join(missing)}")
        if self.to_date is not None and self.to_date < self.from_date:
            raise ValueError(f"to_date {self.to_date} is before from_date {self.from_date}")
        return self


class PathChange(_Model):
    """A path that could be followed on one day and not on the other."""

    change: str = Field(description="appeared (not followable on the earlier day) or ended")
    path: InfluencePath = Field(description="The path, with every hop's validity and sources.")
    hops: tuple[Hop, ...] = Field(
        description="The hops that make the difference: in force on one day, not the other."
    )


class DiffItem(_Model):
    """One entity whose answer appeared, disappeared or changed, with the dated evidence."""

    entity: EntityRef
    change: str = Field(description="appeared, disappeared or changed")
    strength_before: float | None
    strength_after: float | None
    before: InfluencePath | None
    after: InfluencePath | None
    changed_hops: tuple[Hop, ...] = Field(
        description="Relationships on the compared paths in force on one day but not the other."
    )
    paths: tuple[PathChange, ...] = Field(
        default=(),
        description="Among the k strongest paths on either day, those that appeared or ended.",
    )
    explanation: str


class DiffResult(_Model):
    """What changed, strongest change first."""

    query: DiffQuery = DiffQuery.REACH
    source: EntityRef | None = None
    target: EntityRef | None = None
    from_date: date
    to_date: date
    items: tuple[DiffItem, ...]
    unchanged: int
    compared_paths_for: int = Field(
        default=0, description="How many entities had their k strongest paths compared."
    )
    profile: ProfileRef | None = Field(
        default=None, description="The influence profile the answer was ranked with."
    )


class TimelineEvent(_Model):
    """A dated moment in an entity's relationships."""

    date: str | None = Field(description="Partial date, or null when unknown.")
    event: str = Field(description="starts, ends, ended (date unknown) or reported")
    source_title: str | None = None
    hop: Hop


class TimelineResult(_Model):
    """An entity's relationships in time order (undated ones last)."""

    entity: EntityRef
    events: tuple[TimelineEvent, ...]


class CentralityRequest(_Model):
    """Which actors are central in the influence graph on a day."""

    as_of: Day | None = Field(default=None, description="Day (default today).")
    types: tuple[RelType, ...] | None = Field(default=None, description="Only these types.")
    kinds: tuple[EntityKind, ...] | None = Field(default=None, description="Result kinds.")
    top: int = Field(default=20, ge=1, le=MAX_PAGE, description="How many to list.")


class CentralityItem(_Model):
    """PageRank on strength-weighted arcs and betweenness on -log(strength) distances."""

    entity: EntityRef
    pagerank: float
    betweenness: float


class CentralityResult(_Model):
    """Actors ranked by PageRank."""

    as_of: date
    nodes: int
    arcs: int
    items: tuple[CentralityItem, ...]
    betweenness_method: str = Field(
        default="exact (Brandes)",
        description="How betweenness was computed: exact, or estimated from seeded pivots "
        "on large graphs (same answer on every run).",
    )


class BrokersRequest(_Model):
    """Who sits on the strongest routes from an actor to entities of some kinds."""

    source: str = Field(min_length=1, examples=["cn-government"], description="Actor id.")
    target_kinds: tuple[EntityKind, ...] = Field(
        default=(EntityKind.PUBLIC_BODY,), description="The sector: kinds of the targets."
    )
    as_of: Day | None = Field(default=None, description="Day (default today).")
    top: int = Field(default=10, ge=1, le=MAX_PAGE, description="How many to list.")


class BrokerItem(_Model):
    """A broker and its share of the source-to-sector shortest routes."""

    entity: EntityRef
    betweenness: float


class BrokersResult(_Model):
    """Brokers between an actor and a sector."""

    source: EntityRef
    target_kinds: tuple[EntityKind, ...]
    as_of: date
    targets: int
    items: tuple[BrokerItem, ...]


#: A Cypher parameter: JSON values (numbers, text, booleans, null, lists), bounded in size.
CypherValue = str | int | float | bool | None | list[str | int | float | bool | None]
CYPHER_MAX_ROWS = 10_000


class CypherRequest(_Model):
    """A read-only Cypher query for researchers (Neo4j backend only): parameters, never text
    spliced into the query; run in a read transaction under the time budget and a row cap."""

    query: str = Field(
        min_length=1,
        max_length=20_000,
        description="One Cypher statement; values come in as $parameters.",
        examples=["MATCH (o:Entity)-[r:OWNS]->(c:Entity {id: $id}) RETURN o.name, r.strength"],
    )
    params: dict[str, CypherValue] = Field(
        default_factory=dict, max_length=100, description="Values for the query's $parameters."
    )
    limit: int = Field(
        default=1000, ge=1, le=CYPHER_MAX_ROWS, description="Most rows returned (a cap)."
    )


class CypherResult(_Model):
    """Rows of a read-only Cypher query; nodes and relationships come back as their stored
    properties (with labels or type), values as JSON."""

    query: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    truncated: bool = Field(description="More rows matched than the limit let through.")
