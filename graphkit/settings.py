"""All configuration, read from the environment in one place (``GRAPHKIT_*``, ``NEO4J_*``)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graphkit.query import MAX_DEPTH_LIMIT

#: CPU cores this process may use (its affinity mask where the system has one): how many
#: threads a giant search and processes an export spread over.
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _search_threads() -> int:
    """Threads for a giant search layer: the usable cores, or fewer when
    ``GRAPHKIT_SEARCH_THREADS`` says so (a shared server may keep cores for other work)."""
    wanted = os.environ.get("GRAPHKIT_SEARCH_THREADS", "").strip()
    return max(1, min(CORES, int(wanted))) if wanted.isdigit() and int(wanted) > 0 else CORES


#: See :func:`_search_threads`.
SEARCH_THREADS = _search_threads()


class Settings(BaseSettings):
    """Runtime settings; every field can be set as ``GRAPHKIT_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="GRAPHKIT_", extra="ignore")

    backend: Literal["embedded", "neo4j"] = "embedded"
    store: Path = Field(
        default=Path("graphkit.db"), description="SQLite file of the embedded store."
    )
    max_depth: int = Field(
        default=8, ge=1, le=MAX_DEPTH_LIMIT, description="Deepest traversal a request may ask for."
    )
    time_budget: float = Field(
        default=10.0, gt=0, description="Seconds one traversal may run before it is stopped."
    )

    api_keys: list[str] = Field(
        default_factory=list,
        description="Keys accepted for writes (and for reads when read_keys_required). "
        "Environment: GRAPHKIT_API_KEYS as a JSON list.",
    )
    read_keys_required: bool = Field(default=False, description="Put reads behind keys too.")
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed to call the API from a browser."
    )
    rate_limit: int = Field(
        default=0, ge=0, description="Expensive requests per client per minute (0: no limit)."
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses of reverse proxies whose X-Forwarded-For is believed (rate "
        "limits then key on the forwarded client); by default the peer address is used.",
    )
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description="Host headers the service answers (e.g. graph.example.org); empty: any.",
    )
    max_body_bytes: int = Field(
        default=20_000_000, ge=1024, description="Largest request body accepted (413 above)."
    )
    query_slots: int = Field(
        default=0,
        ge=0,
        description="Queries computed at once; more wait up to queue_seconds, then get 503 "
        "(0: two per core on the embedded backend, where the work is local; 64 on Neo4j).",
    )
    analysis_slots: int = Field(
        default=1, ge=1, description="Whole-graph analyses (centrality, brokers) run at once."
    )
    queue_seconds: float = Field(
        default=2.0, ge=0, description="How long a request waits for a free slot before 503."
    )
    host: str = Field(default="127.0.0.1", description="Address `graphkit serve` listens on.")
    port: int = Field(default=8000, ge=1, le=65535)
    profiles_dir: Path | None = Field(
        default=None,
        description="A folder of influence profiles (*.yaml) usable by name, beside the ones "
        "shipped with graphkit.",
    )
    public_url: str | None = Field(
        default=None,
        description="Address readers use to reach this service, for the permalinks in "
        "citations (default: the address of the request, or http://HOST:PORT on the CLI).",
    )
    shutdown_seconds: int = Field(
        default=5,
        ge=0,
        description="On SIGTERM, how long `graphkit serve` lets requests in flight finish "
        "before it exits without them.",
    )

    neo4j_retry_seconds: float = Field(
        default=10.0,
        gt=0,
        description="How long a transaction retries transient errors (deadlocks, a cluster "
        "changing leader) before it fails.",
    )
    neo4j_unavailable_seconds: float = Field(
        default=1.0,
        ge=0,
        description="How long a transaction retries an unreachable server before the "
        "request is answered 503 (kept short: an outage should be a prompt answer).",
    )
    neo4j_connect_seconds: float = Field(
        default=2.0,
        gt=0,
        description="Longest wait to open a connection or take one from the pool.",
    )
    neo4j_traversal: Literal["statement", "layers"] = Field(
        default="statement",
        description="How reach and exposure search Neo4j: `statement` runs the whole layered "
        "search in the server as one Cypher statement; `layers` runs one statement per hop and "
        "keeps the best paths here (for a server whose per-transaction memory limit a giant "
        "answer would exceed).",
    )
    neo4j_uri: str = Field(
        default="bolt://127.0.0.1:7687",
        validation_alias=AliasChoices("NEO4J_URI", "GRAPHKIT_NEO4J_URI"),
    )
    neo4j_user: str = Field(
        default="neo4j", validation_alias=AliasChoices("NEO4J_USER", "GRAPHKIT_NEO4J_USER")
    )
    neo4j_password: str = Field(
        default="", validation_alias=AliasChoices("NEO4J_PASSWORD", "GRAPHKIT_NEO4J_PASSWORD")
    )
    neo4j_password_file: Path | None = Field(
        default=None,
        validation_alias=AliasChoices("NEO4J_PASSWORD_FILE", "GRAPHKIT_NEO4J_PASSWORD_FILE"),
        description="File holding the Neo4j password (read when NEO4J_PASSWORD is empty). "
        "For a server on this machine started by scripts/neo4j-local, the password it "
        "generated is found without this.",
    )
    neo4j_database: str = Field(
        default="neo4j", validation_alias=AliasChoices("NEO4J_DATABASE", "GRAPHKIT_NEO4J_DATABASE")
    )

    def query_slots_for_backend(self) -> int:
        """The configured query slots, or the backend's default."""
        if self.query_slots:
            return self.query_slots
        return 2 * CORES if self.backend == "embedded" else 64

    @model_validator(mode="after")
    def _password_from_file(self) -> Settings:
        """Fill in the password from a file, so it never has to sit in the environment."""
        if not self.neo4j_password:
            path = self.neo4j_password_file or local_password_file(self.neo4j_uri)
            if path is not None and path.is_file():
                self.neo4j_password = path.read_text(encoding="utf-8").strip()
        return self


def local_password_file(uri: str) -> Path | None:
    """Where ``scripts/neo4j-local`` keeps the password of a server on this machine.

    >>> local_password_file("bolt://127.0.0.1:7697").name
    'neo4j-local-7697.password'
    >>> local_password_file("neo4j+s://abc.databases.neo4j.io") is None
    True
    """
    try:
        parsed = urlsplit(uri)
        host, port = parsed.hostname, parsed.port or 7687
    except ValueError:
        return None
    if host not in {"127.0.0.1", "localhost", "::1"}:
        return None
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config / "graphkit" / f"neo4j-local-{port}.password"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from the environment, read once per process."""
    return Settings()
