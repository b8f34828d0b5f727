"""Influence profiles: named alternatives to the schema's strengths, applied at query time.

Researchers argue about weights ("does a party committee count as much as a 51% stake?").
A profile is a small YAML file that overrides some types' base strengths and the confidence
factors; reach, exposure, paths and diff rank with it without reloading data, and every
answer names the profile and its fingerprint so the ranking can be reproduced.

A profile changes only the numbers of the schema table's rule: a type that takes its
strength from ``share`` still does, and falls back to the profile's value when the share is
unknown; a type that carries no influence cannot be given a strength.

Example file::

    name: party-weighs-more
    description: A party committee counts as much as a majority stake.
    strengths:
      HAS_PARTY_COMMITTEE: 0.9
      MEMBER_OF: 0.7
    confidence_factors:
      alleged: 0.3
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from graphkit.errors import InvalidData, InvalidQuery, Issue
from graphkit.schema import (
    CONFIDENCE_FACTOR,
    RELATIONSHIPS,
    TRAVERSABLE,
    Confidence,
    RelType,
)

#: Largest profile file read (a profile is a few dozen lines).
MAX_PROFILE_BYTES = 64 * 1024
#: Profiles shipped with graphkit, usable by name everywhere.
LIBRARY = Path(__file__).resolve().parent / "profile_library"
DEFAULT_NAME = "default"

Weight = Annotated[float, Field(gt=0.0, le=1.0)]


class Profile(BaseModel):
    """A named set of per-type strengths and confidence factors (see the module doc)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
    description: str = Field(default="", max_length=2000)
    strengths: dict[RelType, Weight] = Field(default_factory=dict)
    confidence_factors: dict[Confidence, Weight] = Field(default_factory=dict)

    @field_validator("strengths")
    @classmethod
    def _influence_only(cls, value: dict[RelType, float]) -> dict[RelType, float]:
        inert = sorted(t.value for t in value if t not in TRAVERSABLE)
        if inert:
            raise ValueError(
                f"{', '.join(inert)} carr{'ies' if len(inert) == 1 else 'y'} no influence "
                "and so no strength"
            )
        return value

    def weights(self) -> Weights:
        """The profile as the hashable table traversal uses."""
        values = tuple(self.strengths.get(t, RELATIONSHIPS[t].strength.value) for t in RelType)
        factors = tuple(self.confidence_factors.get(c, CONFIDENCE_FACTOR[c]) for c in Confidence)
        table = {
            "strengths": dict(zip((t.value for t in RelType), values, strict=True)),
            "confidence_factors": dict(zip((c.value for c in Confidence), factors, strict=True)),
        }
        text = json.dumps(table, sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        return Weights(self.name, digest, values, factors, self.description)

    def table(self) -> dict[str, Any]:
        """Every type's effective base strength and every confidence factor, as data."""
        w = self.weights()
        return {
            "name": self.name,
            "description": self.description,
            "fingerprint": w.fingerprint,
            "strengths": {
                t.value: {"value": v, "share": RELATIONSHIPS[t].strength.share}
                for t, v in zip(RelType, w.values, strict=True)
                if t in TRAVERSABLE
            },
            "confidence_factors": dict(zip((c.value for c in Confidence), w.factors, strict=True)),
        }


@dataclass(frozen=True, slots=True)
class Weights:
    """A profile as traversal reads it: one base value per type and one factor per
    confidence level, in declaration order (hashable, so it can key caches)."""

    name: str
    fingerprint: str
    values: tuple[float, ...]
    factors: tuple[float, ...]
    description: str = ""

    def weigh(
        self, rel_type: RelType, share: float | None, confidence: Confidence | float
    ) -> float:
        """One hop's strength under this profile — the schema's rule with these numbers.

        >>> w = Profile(name="p", strengths={"AGREEMENT_WITH": 0.2}).weights()
        >>> round(w.weigh(RelType.AGREEMENT_WITH, None, Confidence.REPORTED), 3)
        0.16
        >>> w.weigh(RelType.OWNS, 0.6, Confidence.CONFIRMED)
        0.6
        """
        rule = RELATIONSHIPS[rel_type].strength
        base = share if (rule.share and share is not None) else self.values[_TYPE_INDEX[rel_type]]
        if rule.by_confidence:
            if isinstance(confidence, Confidence):
                base *= self.factors[_CONF_INDEX[confidence]]
            else:
                base *= float(confidence)
        return base


_TYPE_INDEX = {t: i for i, t in enumerate(RelType)}
_CONF_INDEX = {c: i for i, c in enumerate(Confidence)}


def cypher_weights(weights: Weights | None) -> dict[str, Any]:
    """The values a Cypher search reads to weigh each hop in the server as :meth:`Weights.weigh`
    does (``weighted`` false: the stored strength, which is the schema's own rule).

    >>> cypher_weights(None)["weighted"]
    False
    >>> p = cypher_weights(Profile(name="p", strengths={"AGREEMENT_WITH": 0.2}).weights())
    >>> p["type_values"]["AGREEMENT_WITH"], "OWNS" in p["share_types"]
    (0.2, True)
    """
    if weights is None:
        return {
            "weighted": False,
            "share_types": [],
            "conf_types": [],
            "type_values": {},
            "conf_factors": {},
        }
    return {
        "weighted": True,
        "share_types": [t.value for t in RelType if RELATIONSHIPS[t].strength.share],
        "conf_types": [t.value for t in RelType if RELATIONSHIPS[t].strength.by_confidence],
        "type_values": {t.value: v for t, v in zip(RelType, weights.values, strict=True)},
        "conf_factors": {c.value: f for c, f in zip(Confidence, weights.factors, strict=True)},
    }


DEFAULT = Profile(
    name=DEFAULT_NAME,
    description="The schema table's strengths and confidence factors (graphkit schema).",
)


def read_profile(path: Path) -> Profile:
    """A profile from a YAML file, or :class:`InvalidData` naming the file and the field."""

    def bad(message: str, field: str | None = None) -> InvalidData:
        return InvalidData([Issue(str(path), None, field, message)])

    try:
        size = path.stat().st_size
    except OSError as exc:
        raise bad(f"cannot read the profile: {exc.strerror or exc}") from exc
    if size > MAX_PROFILE_BYTES:
        raise bad(f"a profile is at most {MAX_PROFILE_BYTES} bytes; this file has {size}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise bad(f"not a YAML file: {exc}") from exc
    if not isinstance(data, dict):
        raise bad("expected a mapping with name, strengths and confidence_factors")
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        issues = [
            Issue(str(path), None, ".".join(str(p) for p in e["loc"]) or None, e["msg"])
            for e in exc.errors()
        ]
        raise InvalidData(issues) from exc


class ProfileSet:
    """The profiles a process knows by name: ``default``, the ones shipped with graphkit,
    those in a folder (``GRAPHKIT_PROFILES_DIR``) and any added at run time (a CLI
    ``--profile FILE``)."""

    def __init__(self, folder: Path | None = None) -> None:
        self._known: dict[str, Profile] = {DEFAULT_NAME: DEFAULT}
        #: Each profile's weights, worked out once (every query asks for them).
        self._weights: dict[str, Weights] = {DEFAULT_NAME: DEFAULT.weights()}
        for place in (LIBRARY, folder):
            if place is not None and place.is_dir():
                for path in sorted(place.glob("*.yaml")):
                    self.add(read_profile(path))

    def add(self, profile: Profile) -> Profile:
        """Make a profile known by its name (a later one of the same name replaces it;
        ``default`` always means the schema table, so no profile may take that name)."""
        if profile.name == DEFAULT_NAME and profile != DEFAULT:
            raise InvalidQuery(
                f"a profile cannot be called {DEFAULT_NAME!r}: that name is the schema "
                "table's strengths; give it another name",
                parameter="profile",
            )
        self._known[profile.name] = profile
        self._weights[profile.name] = profile.weights()
        return profile

    def names(self) -> list[str]:
        return sorted(self._known)

    def get(self, name: str | None) -> Profile:
        """The profile of that name (``None``: the default), or :class:`InvalidQuery`."""
        if name is None:
            return DEFAULT
        found = self._known.get(name)
        if found is None:
            raise InvalidQuery(
                f"unknown profile {name!r}; known: {', '.join(self.names())}", parameter="profile"
            )
        return found

    def all(self) -> list[Profile]:
        return [self._known[n] for n in self.names()]

    def weights(self, name: str | None) -> Weights:
        """The weights of the profile of that name (``None``: the default)."""
        return self._weights[self.get(name).name]
