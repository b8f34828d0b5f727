"""The one source of meaning: entity kinds, relationship types and how influence flows.

Everything else — validation, traversal, the Neo4j allow-list, explanations and the
schema docs — reads the tables in this module instead of branching on type names.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any


class EntityKind(StrEnum):
    """What an entity is; also the Neo4j label allow-list."""

    COMPANY = "Company"
    PERSON = "Person"
    STATE_BODY = "StateBody"
    PARTY_ORGANISATION = "PartyOrganisation"
    PUBLIC_BODY = "PublicBody"
    PORT = "Port"
    TERMINAL = "Terminal"
    PLATFORM = "Platform"
    DATA_ASSET = "DataAsset"
    INFRASTRUCTURE = "Infrastructure"
    LAW = "Law"
    POLICY = "Policy"
    LOCATION = "Location"


class RelType(StrEnum):
    """Relationship types; also the Neo4j relationship-type allow-list."""

    OWNS = "OWNS"
    HOLDS_STAKE_IN = "HOLDS_STAKE_IN"
    CONTROLS = "CONTROLS"
    SUBSIDIARY_OF = "SUBSIDIARY_OF"
    HAS_PARTY_COMMITTEE = "HAS_PARTY_COMMITTEE"
    HOLDS_POSITION = "HOLDS_POSITION"
    MEMBER_OF = "MEMBER_OF"
    OPERATES = "OPERATES"
    AGREEMENT_WITH = "AGREEMENT_WITH"
    SUPPLIES = "SUPPLIES"
    DEPLOYED_AT = "DEPLOYED_AT"
    SUBJECT_TO = "SUBJECT_TO"
    OBLIGES = "OBLIGES"
    EMPOWERS = "EMPOWERS"
    ISSUED_BY = "ISSUED_BY"
    HAS_ACCESS_TO = "HAS_ACCESS_TO"
    HOSTS = "HOSTS"
    ROUTES_DATA_VIA = "ROUTES_DATA_VIA"
    LOCATED_IN = "LOCATED_IN"
    BANS = "BANS"
    RESTRICTS = "RESTRICTS"
    ADVISES_AGAINST = "ADVISES_AGAINST"
    SUCCEEDS = "SUCCEEDS"
    FAMILY_OF = "FAMILY_OF"
    ASSOCIATED_WITH = "ASSOCIATED_WITH"


class Flow(StrEnum):
    """Direction in which influence or access travels along a declared relationship.

    ``forward``: from the relationship's source to its target (an owner reaches what it owns).
    ``reverse``: from target to source (a parent reaches its subsidiary).
    ``both``: either way (an agreement is a channel in both directions).
    ``none``: a fact that carries no influence (a ban, a warning) — shown, never traversed.
    """

    FORWARD = "forward"
    REVERSE = "reverse"
    BOTH = "both"
    NONE = "none"


class Confidence(StrEnum):
    """How well a relationship is established by its sources."""

    CONFIRMED = "confirmed"
    REPORTED = "reported"
    ALLEGED = "alleged"


#: Multiplier applied to a hop's base strength when its type scales by confidence.
CONFIDENCE_FACTOR: dict[Confidence, float] = {
    Confidence.CONFIRMED: 1.0,
    Confidence.REPORTED: 0.8,
    Confidence.ALLEGED: 0.5,
}


@dataclass(frozen=True, slots=True)
class Strength:
    """How a hop's base strength (0–1] is derived before the confidence factor.

    ``share=True`` takes the relationship's ``share`` property and falls back to ``value``
    when the share is not known; otherwise ``value`` is a constant for the type.
    """

    value: float
    share: bool = False
    by_confidence: bool = True


@dataclass(frozen=True, slots=True)
class RelSpec:
    """One row of the relationship table."""

    type: RelType
    sources: frozenset[EntityKind]
    targets: frozenset[EntityKind]
    flow: Flow
    strength: Strength
    #: Plain-language phrase: "{source} <verb> {target}", used in explanations.
    phrase: str
    description: str


K = EntityKind
PEOPLE = frozenset({K.PERSON})
ORGS = frozenset({K.COMPANY, K.STATE_BODY, K.PARTY_ORGANISATION, K.PUBLIC_BODY})
ACTOR_KINDS = ORGS | PEOPLE | {K.PLATFORM}
ASSETS = frozenset({K.PORT, K.TERMINAL, K.PLATFORM, K.DATA_ASSET, K.INFRASTRUCTURE})
NORMS = frozenset({K.LAW, K.POLICY})
PLACES = frozenset({K.LOCATION, K.PORT, K.TERMINAL, K.INFRASTRUCTURE})
ANY = frozenset(EntityKind)

#: Default result kinds for ``reach``: those that can act on what they reach.
REACH_ACTOR_KINDS: frozenset[EntityKind] = frozenset(ACTOR_KINDS)

_F, _R, _B, _N = Flow.FORWARD, Flow.REVERSE, Flow.BOTH, Flow.NONE

RELATIONSHIPS: dict[RelType, RelSpec] = {
    spec.type: spec
    for spec in (
        RelSpec(
            RelType.OWNS,
            ORGS | PEOPLE,
            ORGS | ASSETS,
            _F,
            Strength(0.5, share=True),
            "{source} owns {target}",
            "Ownership; `share` (0–1) sets the strength.",
        ),
        RelSpec(
            RelType.HOLDS_STAKE_IN,
            ORGS | PEOPLE,
            ORGS | ASSETS,
            _F,
            Strength(0.3, share=True),
            "{source} holds a stake in {target}",
            "A shareholding or stake of known or unknown size; `share` when known.",
        ),
        RelSpec(
            RelType.CONTROLS,
            ORGS | PEOPLE,
            ORGS | ASSETS,
            _F,
            Strength(0.9),
            "{source} controls {target}",
            "Control other than by shares: state enterprise, founder, statute.",
        ),
        RelSpec(
            RelType.SUBSIDIARY_OF,
            ORGS | ASSETS,
            ORGS,
            _R,
            Strength(0.9),
            "{source} is a subsidiary of {target}",
            "Group membership; the parent reaches the subsidiary.",
        ),
        RelSpec(
            RelType.HAS_PARTY_COMMITTEE,
            ORGS,
            frozenset({K.PARTY_ORGANISATION}),
            _R,
            Strength(0.6),
            "{source} has a party committee of {target}",
            "A party cell inside an organisation; the party reaches the organisation.",
        ),
        RelSpec(
            RelType.HOLDS_POSITION,
            PEOPLE | ORGS,
            ORGS | NORMS,
            _F,
            Strength(0.7),
            "{source} holds a position at {target}",
            "An office or leading role (`role`); the office holder reaches the body.",
        ),
        RelSpec(
            RelType.MEMBER_OF,
            PEOPLE | ORGS,
            ORGS,
            _R,
            Strength(0.5),
            "{source} is a member of {target}",
            "Membership; the body's discipline reaches its member.",
        ),
        RelSpec(
            RelType.OPERATES,
            ORGS | {K.PLATFORM},
            ASSETS | {K.LOCATION},
            _F,
            Strength(0.9),
            "{source} operates {target}",
            "Runs a port, terminal, platform or system.",
        ),
        RelSpec(
            RelType.AGREEMENT_WITH,
            ORGS | ASSETS,
            ORGS | ASSETS,
            _B,
            Strength(0.5),
            "{source} has an agreement with {target}",
            "A cooperation or data agreement; a channel both ways.",
        ),
        RelSpec(
            RelType.SUPPLIES,
            ORGS,
            ORGS | ASSETS,
            _F,
            Strength(0.4),
            "{source} supplies {target}",
            "A supplier relationship; the supplier's products sit inside the customer.",
        ),
        RelSpec(
            RelType.DEPLOYED_AT,
            ORGS | {K.PLATFORM},
            ORGS | ASSETS | {K.LOCATION},
            _F,
            Strength(0.5),
            "equipment of {source} is deployed at {target}",
            "Equipment or software of the source in use at the target (`count` when given).",
        ),
        RelSpec(
            RelType.SUBJECT_TO,
            ORGS | PEOPLE | ASSETS,
            NORMS | ORGS | {K.LOCATION},
            _R,
            Strength(0.6),
            "{source} is subject to {target}",
            "Jurisdiction or law that applies to the source; it reaches the source.",
        ),
        RelSpec(
            RelType.OBLIGES,
            NORMS,
            ORGS | PEOPLE | ASSETS,
            _F,
            Strength(0.7),
            "{source} obliges {target} to cooperate",
            "A legal duty, e.g. to cooperate with intelligence services.",
        ),
        RelSpec(
            RelType.EMPOWERS,
            NORMS,
            ORGS,
            _R,
            Strength(0.9),
            "{source} gives powers to {target}",
            "A law grants powers to a body; the body wields the law.",
        ),
        RelSpec(
            RelType.ISSUED_BY,
            NORMS,
            ORGS,
            _R,
            Strength(0.9),
            "{source} was issued by {target}",
            "The author of a law or policy.",
        ),
        RelSpec(
            RelType.HAS_ACCESS_TO,
            ORGS | PEOPLE | ASSETS,
            ASSETS | {K.LOCATION},
            _F,
            Strength(0.8),
            "{source} has access to {target}",
            "Access to data, systems or secured areas.",
        ),
        RelSpec(
            RelType.HOSTS,
            ASSETS | ORGS,
            frozenset({K.DATA_ASSET}),
            _F,
            Strength(0.8),
            "{source} hosts {target}",
            "Data stored or processed on the source.",
        ),
        RelSpec(
            RelType.ROUTES_DATA_VIA,
            frozenset({K.DATA_ASSET}),
            ASSETS | {K.LOCATION},
            _R,
            Strength(0.7),
            "{source} is routed via {target}",
            "Data passing through infrastructure; whoever holds it can read it.",
        ),
        RelSpec(
            RelType.LOCATED_IN,
            ASSETS | ORGS | PEOPLE | {K.LOCATION},
            PLACES,
            _N,
            Strength(1.0, by_confidence=False),
            "{source} is located in {target}",
            "Where something is; carries no influence.",
        ),
        RelSpec(
            RelType.BANS,
            ORGS,
            ANY,
            _N,
            Strength(1.0, by_confidence=False),
            "{source} bans {target}",
            "A counter-measure: use prohibited.",
        ),
        RelSpec(
            RelType.RESTRICTS,
            ORGS | NORMS,
            ANY,
            _N,
            Strength(1.0, by_confidence=False),
            "{source} restricts {target}",
            "A counter-measure short of a ban.",
        ),
        RelSpec(
            RelType.ADVISES_AGAINST,
            ORGS | PEOPLE,
            ANY,
            _N,
            Strength(1.0, by_confidence=False),
            "{source} advises against {target}",
            "A warning or advice not to use something.",
        ),
        RelSpec(
            RelType.SUCCEEDS,
            NORMS,
            NORMS,
            _N,
            Strength(1.0, by_confidence=False),
            "{source} succeeds {target}",
            "A policy or law that replaces another.",
        ),
        RelSpec(
            RelType.FAMILY_OF,
            PEOPLE,
            PEOPLE,
            _B,
            Strength(0.4),
            "{source} is family of {target}",
            "A family tie; a channel both ways.",
        ),
        RelSpec(
            RelType.ASSOCIATED_WITH,
            PEOPLE | ORGS,
            PEOPLE | ORGS,
            _B,
            Strength(0.3),
            "{source} is associated with {target}",
            "A business or personal association, representation or an unspecified link.",
        ),
    )
}

assert set(RELATIONSHIPS) == set(RelType), "every relationship type needs a row"


class Role(StrEnum):
    """Where a relationship sits in the picture around an asset (the asset view's groups, in
    the order a reader wants them: who owns it, who runs it, who it deals with…)."""

    OWNERSHIP = "ownership"
    OPERATION = "operation"
    AGREEMENTS = "agreements"
    DATA = "data"
    SUPPLY = "supply"
    LAW = "law"
    COUNTER = "counter"
    CONTEXT = "context"


#: Heading of each role's group.
ROLE_TITLES: dict[Role, str] = {
    Role.OWNERSHIP: "Owners, stakes and control",
    Role.OPERATION: "Operators",
    Role.AGREEMENTS: "Platforms and agreements",
    Role.DATA: "Data flows and access",
    Role.SUPPLY: "Suppliers and deployments",
    Role.LAW: "Laws and obligations",
    Role.COUNTER: "Counter-measures",
    Role.CONTEXT: "Places and other ties",
}

_T = RelType
_ROLE_MEMBERS: dict[Role, tuple[RelType, ...]] = {
    Role.OWNERSHIP: (
        _T.OWNS,
        _T.HOLDS_STAKE_IN,
        _T.CONTROLS,
        _T.SUBSIDIARY_OF,
        _T.HAS_PARTY_COMMITTEE,
        _T.HOLDS_POSITION,
        _T.MEMBER_OF,
    ),
    Role.OPERATION: (_T.OPERATES,),
    Role.AGREEMENTS: (_T.AGREEMENT_WITH,),
    Role.DATA: (_T.HAS_ACCESS_TO, _T.HOSTS, _T.ROUTES_DATA_VIA),
    Role.SUPPLY: (_T.SUPPLIES, _T.DEPLOYED_AT),
    Role.LAW: (_T.SUBJECT_TO, _T.OBLIGES, _T.EMPOWERS, _T.ISSUED_BY, _T.SUCCEEDS),
    Role.COUNTER: (_T.BANS, _T.RESTRICTS, _T.ADVISES_AGAINST),
    Role.CONTEXT: (_T.LOCATED_IN, _T.FAMILY_OF, _T.ASSOCIATED_WITH),
}

#: The role of every relationship type.
ROLE_OF: dict[RelType, Role] = {t: role for role, ts in _ROLE_MEMBERS.items() for t in ts}

assert set(ROLE_TITLES) == set(Role), "every role needs a title"
assert sorted(ROLE_OF) == sorted(RelType) and len(ROLE_OF) == sum(
    len(ts) for ts in _ROLE_MEMBERS.values()
), "every relationship type needs exactly one role"

#: Shareholdings: the types whose strength is the recorded share (integrated ownership and
#: majority control read these).
STAKE_TYPES: frozenset[RelType] = frozenset(
    t for t, spec in RELATIONSHIPS.items() if spec.strength.share
)
#: Control other than by shares, which the control chain follows (influence direction from
#: the table: a controller controls, a parent has subsidiaries).
CONTROL_TYPES: frozenset[RelType] = frozenset({RelType.CONTROLS, RelType.SUBSIDIARY_OF})
#: Kinds that stand for the state in "state share" and "state controlled".
STATE_KINDS: frozenset[EntityKind] = frozenset({K.STATE_BODY, K.PARTY_ORGANISATION})

#: Types that carry influence and so take part in reach, exposure and paths.
TRAVERSABLE: frozenset[RelType] = frozenset(
    t for t, spec in RELATIONSHIPS.items() if spec.flow is not Flow.NONE
)


def confidence_factor(confidence: Confidence | float) -> float:
    """Map a categorical or numeric confidence to a multiplier in (0, 1].

    >>> confidence_factor(Confidence.REPORTED)
    0.8
    >>> confidence_factor(0.3)
    0.3
    """
    if isinstance(confidence, Confidence):
        return CONFIDENCE_FACTOR[confidence]
    return float(confidence)


def hop_strength(rel_type: RelType, share: float | None, confidence: Confidence | float) -> float:
    """Strength of one hop: the type's base (or the share) times the confidence factor.

    >>> hop_strength(RelType.OWNS, 0.6, Confidence.CONFIRMED)
    0.6
    >>> round(hop_strength(RelType.AGREEMENT_WITH, None, Confidence.REPORTED), 3)
    0.4
    """
    rule = RELATIONSHIPS[rel_type].strength
    base = share if (rule.share and share is not None) else rule.value
    if rule.by_confidence:
        base *= confidence_factor(confidence)
    return base


def influence_arcs(rel_type: RelType, source: str, target: str) -> list[tuple[str, str]]:
    """The (from, to) arcs along which influence travels for one declared relationship.

    >>> influence_arcs(RelType.SUBSIDIARY_OF, "sub", "parent")
    [('parent', 'sub')]
    >>> influence_arcs(RelType.BANS, "gov", "app")
    []
    """
    flow = RELATIONSHIPS[rel_type].flow
    arcs: list[tuple[str, str]] = []
    if flow in (Flow.FORWARD, Flow.BOTH):
        arcs.append((source, target))
    if flow in (Flow.REVERSE, Flow.BOTH):
        arcs.append((target, source))
    return arcs


#: Revision of the values stores derive from the table (see :func:`_derived_table`).
DERIVATION = 2


def schema_table() -> dict[str, Any]:
    """The schema as plain data, in declaration order: kinds, confidence factors and every
    relationship type with its kinds, influence flow, strength rule, role and wording
    (``graphkit schema --json`` and ``GET /schema``)."""
    table = _derived_table()
    for row in table["relationships"]:
        spec = RELATIONSHIPS[RelType(row["type"])]
        row["role"] = ROLE_OF[spec.type].value
        row["phrase"] = spec.phrase
        row["description"] = spec.description
    table["roles"] = {r.value: ROLE_TITLES[r] for r in Role}
    return table


def _derived_table() -> dict[str, Any]:
    """The part of the schema that stored values derive from (what :func:`fingerprint`
    hashes): wording and roles can change without re-deriving a store. ``derivation``
    counts changes to what stores derive (2: edges carry share and confidence level for
    influence profiles), so a store written before one is re-derived on opening."""
    return {
        "derivation": DERIVATION,
        "kinds": [k.value for k in EntityKind],
        "confidence_factors": {c.value: CONFIDENCE_FACTOR[c] for c in Confidence},
        "relationships": [
            {
                "type": t.value,
                "sources": sorted(k.value for k in RELATIONSHIPS[t].sources),
                "targets": sorted(k.value for k in RELATIONSHIPS[t].targets),
                "flow": RELATIONSHIPS[t].flow.value,
                "strength": {
                    "value": RELATIONSHIPS[t].strength.value,
                    "share": RELATIONSHIPS[t].strength.share,
                    "by_confidence": RELATIONSHIPS[t].strength.by_confidence,
                },
            }
            for t in RelType
        ],
    }


@cache
def fingerprint() -> str:
    """A short hash of the schema's kinds, types, flows and strengths. Stores keep it beside
    every value derived from the table (stored strengths, saved indexes that number kinds and
    types by position), so
    a store written under another table is noticed and re-derived instead of answering with
    stale values.

    >>> len(fingerprint())
    16
    """
    text = json.dumps(_derived_table(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class KindStyle:
    """How one entity kind is drawn."""

    color: str
    shape: str


#: Colour-blind-friendly palette (Okabe–Ito and Tol based) and shapes per kind; kinds a
#: reader tells apart at a glance (a port and its terminals) differ in both.
KIND_STYLES: dict[EntityKind, KindStyle] = {
    EntityKind.COMPANY: KindStyle("#0072B2", "dot"),
    EntityKind.PERSON: KindStyle("#CC79A7", "diamond"),
    EntityKind.STATE_BODY: KindStyle("#D55E00", "star"),
    EntityKind.PARTY_ORGANISATION: KindStyle("#B00020", "star"),
    EntityKind.PUBLIC_BODY: KindStyle("#009E73", "square"),
    EntityKind.PORT: KindStyle("#56B4E9", "hexagon"),
    EntityKind.TERMINAL: KindStyle("#117733", "triangle"),
    EntityKind.PLATFORM: KindStyle("#E69F00", "triangleDown"),
    EntityKind.DATA_ASSET: KindStyle("#E6C700", "square"),
    EntityKind.INFRASTRUCTURE: KindStyle("#999999", "hexagon"),
    EntityKind.LAW: KindStyle("#6A3D9A", "triangle"),
    EntityKind.POLICY: KindStyle("#9E86C8", "triangle"),
    EntityKind.LOCATION: KindStyle("#8C6D31", "dot"),
}
_missing_styles = set(EntityKind) - set(KIND_STYLES)
assert not _missing_styles, f"entity kinds without a drawing style: {_missing_styles}"
