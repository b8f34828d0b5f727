"""A query named by its kind and anchors, with every filter: what ``export``, ``viz``,
``cite`` and permalinks run, on the CLI and the API alike (one place builds the request).

A permalink pins the answer: the as-of and known-by days are filled in on the day it is made
and the store's data version rides along, so a link opened later either gives the same answer
or says the data has changed.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from urllib.parse import urlencode

from pydantic import Field, ValidationError

from graphkit.elements import Result
from graphkit.errors import InvalidQuery
from graphkit.query import (
    MAX_DEPTH_LIMIT,
    MAX_PAGE,
    AssetRequest,
    ExposureRequest,
    Filters,
    NeighbourhoodRequest,
    PathsRequest,
    ReachRequest,
)
from graphkit.schema import EntityKind

__all__ = ["NamedQuery", "QueryName", "Result", "permalink"]

Request = ReachRequest | ExposureRequest | PathsRequest | NeighbourhoodRequest | AssetRequest


class QueryName(StrEnum):
    """Queries that can be run by name (exported, drawn, cited, linked)."""

    reach = "reach"
    exposure = "exposure"
    paths = "paths"
    neighbourhood = "neighbourhood"
    asset = "asset"


class NamedQuery(Filters):
    """One query by name: ``entity`` is the target (reach), source (exposure, paths) or
    centre (neighbourhood, asset); ``target`` is the end of a paths query."""

    query: QueryName = Field(description="Which query to run.")
    entity: str = Field(min_length=1, examples=["rotterdam-port-logistics-data"])
    target: str | None = Field(default=None, min_length=1, description="Target for paths.")
    max_depth: int = Field(default=6, ge=1, le=MAX_DEPTH_LIMIT, description="Most hops.")
    min_strength: float = Field(default=0.0, ge=0.0, le=1.0)
    kinds: tuple[EntityKind, ...] | None = Field(default=None, description="Result kinds.")
    k: int = Field(default=5, ge=1, le=50, description="Paths: how many.")
    depth: int | None = Field(
        default=None, ge=1, le=3, description="Neighbourhood and asset: hops around the centre."
    )
    limit: int = Field(default=50, ge=1, le=MAX_PAGE, description="Most results.")
    pattern: str | None = Field(
        default=None, max_length=500, description="Reach, exposure, paths: a path pattern."
    )

    def request(self) -> Request:
        """The typed request this names (:class:`InvalidQuery` when it cannot be built)."""
        common = {
            "as_of": self.as_of,
            "known_by": self.known_by,
            "include_undated": self.include_undated,
            "types": self.types,
            "min_confidence": self.min_confidence,
            "profile": self.profile,
        }
        deep = {
            "max_depth": self.max_depth,
            "min_strength": self.min_strength,
            "pattern": self.pattern,
        }
        try:
            if self.query is QueryName.reach:
                return ReachRequest(
                    target=self.entity, kinds=self.kinds, limit=self.limit, **deep, **common
                )
            if self.query is QueryName.exposure:
                return ExposureRequest(
                    source=self.entity, kinds=self.kinds, limit=self.limit, **deep, **common
                )
            if self.query is QueryName.paths:
                if not self.target:
                    raise InvalidQuery("paths needs a target", parameter="target")
                return PathsRequest(
                    source=self.entity, target=self.target, k=self.k, **deep, **common
                )
            if self.query is QueryName.neighbourhood:
                return NeighbourhoodRequest(
                    entity=self.entity, depth=self.depth or 1, limit=self.limit, **common
                )
            return AssetRequest(
                entity=self.entity, depth=self.depth or 2, limit=max(self.limit, 300), **common
            )
        except ValidationError as exc:
            first = exc.errors()[0]
            where = str(first["loc"][0]) if first["loc"] else "query"
            raise InvalidQuery(f"{where}: {first['msg']}", parameter=where) from exc

    def pinned(self, today: date) -> NamedQuery:
        """The same query with its days fixed: as-of defaults to ``today`` and known-by to
        the as-of day's answer as known ``today`` (undated sources kept unless the query said
        otherwise), so the answer no longer drifts as the calendar moves on."""
        if self.known_by is not None:
            return self.model_copy(update={"as_of": self.as_of or today})
        return self.model_copy(
            update={"as_of": self.as_of or today, "known_by": today, "include_undated": True}
        )

    def params(self) -> dict[str, Any]:
        """The query as URL parameters (defaults left out, lists repeated)."""
        dumped = self.model_dump(mode="json", exclude_defaults=True)
        out: dict[str, Any] = {"query": self.query.value}
        for name in ("entity", "target", *dumped):  # anchors first: a link reads as it runs
            value = dumped.get(name)
            if value is None or name == "query":
                continue
            if isinstance(value, bool):
                value = "true" if value else "false"
            out[name] = list(value) if isinstance(value, list | tuple) else value
        return out


def permalink(base_url: str, query: NamedQuery, data_version: str | None) -> str:
    """An address of the citation page that pins the query, its days and the data version.

    >>> q = NamedQuery(query="paths", entity="a", target="b", as_of="2020-01-01")
    >>> permalink("http://host/", q, "7")
    'http://host/cite?query=paths&entity=a&target=b&as_of=2020-01-01&data_version=7'
    """
    params = query.params()
    if data_version is not None:
        params["data_version"] = data_version
    return base_url.rstrip("/") + "/cite?" + urlencode(params, doseq=True)
