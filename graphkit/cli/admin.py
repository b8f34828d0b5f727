"""Running and inspecting a store: ``stats``, ``reindex``, ``serve``, ``schema``, ``profiles``."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from graphkit.cli.options import (
    _FILE_PROFILES,
    BackendOpt,
    JsonOpt,
    StoreOpt,
    app,
    emit_json,
    guarded,
    open_engine,
    out,
    profile_name,
    settings_for,
)
from graphkit.profiles import DEFAULT, ProfileSet
from graphkit.schema import RELATIONSHIPS, EntityKind, RelType, fingerprint, schema_table
from graphkit.settings import Settings

#: Where these commands are listed in ``graphkit --help``.
PANEL = "Store and service"


@app.command(rich_help_panel=PANEL)
def stats(backend: BackendOpt = None, store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """Counts of what the store holds."""

    def go() -> None:
        with open_engine(backend, store) as eng:
            s = eng.stats()
        if as_json:
            emit_json(s)
        else:
            out.print(
                f"{s.backend}: {s.entities} entities, {s.relationships} relationships, "
                f"{s.sources} sources" + (f" (Graph Data Science {s.gds})" if s.gds else "")
            )

    guarded(go)


@app.command(rich_help_panel=PANEL)
def reindex(backend: BackendOpt = None, store: StoreOpt = None) -> None:
    """Recompute what the store derived from the schema table (strengths, confidence ranks,
    saved indexes). Stores do this by themselves when they open under a changed table; run
    it by hand after editing the table while a service keeps the store open."""

    def go() -> None:
        with open_engine(backend, store) as eng:
            count = eng.reindex()
        out.print(f"re-derived {count} relationships for schema {fingerprint()}")

    guarded(go)


@app.command(rich_help_panel=PANEL)
def serve(
    host: Annotated[
        str | None, typer.Option("--host", help="Default: GRAPHKIT_HOST or 127.0.0.1.")
    ] = None,
    port: Annotated[
        int | None, typer.Option("--port", help="Default: GRAPHKIT_PORT or 8000.")
    ] = None,
    backend: BackendOpt = None,
    store: StoreOpt = None,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs)."""
    import uvicorn

    from api.app import create_app

    settings = settings_for(backend, store)
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings),
            host=host or settings.host,
            port=port or settings.port,
            log_level="info",
            # X-Forwarded-For is believed only from configured proxies, so a client cannot
            # pick the address its rate limit is counted under.
            proxy_headers=bool(settings.trusted_proxies),
            forwarded_allow_ips=",".join(settings.trusted_proxies) or None,
            timeout_graceful_shutdown=settings.shutdown_seconds,
        )
    )
    # On SIGTERM requests in flight get shutdown_seconds to finish; then they are cancelled,
    # the app's shutdown kills any analysis process, and uvicorn ends the process by the
    # signal it caught (exit status 128 + 15).
    server.run()


@app.command(rich_help_panel=PANEL)
def schema(as_json: JsonOpt = False) -> None:
    """The relationship table: kinds joined, influence flow and strength rule."""
    if as_json:
        table_data = {"fingerprint": fingerprint(), **schema_table()}
        sys.stdout.write(json.dumps(table_data, indent=2, ensure_ascii=False) + "\n")
        return
    table = Table(title="Relationship types")
    for col in ("type", "flow", "strength", "source kinds", "target kinds", "meaning"):
        table.add_column(col, overflow="fold")
    for rel_type in RelType:
        spec = RELATIONSHIPS[rel_type]
        rule = (
            f"share (default {spec.strength.value})"
            if spec.strength.share
            else f"{spec.strength.value}"
        )
        if spec.strength.by_confidence:
            rule += " × confidence"
        table.add_row(
            rel_type.value,
            spec.flow.value,
            rule,
            ", ".join(sorted(k.value for k in spec.sources)),
            ", ".join(sorted(k.value for k in spec.targets)),
            spec.description,
        )
    out.print(table)
    out.print("Entity kinds: " + ", ".join(k.value for k in EntityKind))
    out.print(f"Schema fingerprint: {fingerprint()}")


@app.command(rich_help_panel=PANEL)
def profiles(
    name: Annotated[str | None, typer.Argument(help="Show one profile's whole table.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Influence profiles known by name: each one's strengths and confidence factors where
    they differ from the schema table (use one with --profile NAME, or --profile FILE.yaml)."""

    def go() -> None:
        known = ProfileSet(Settings().profiles_dir)
        chosen = known.all()
        if name:
            wanted = profile_name(name)  # a file is read and learnt here
            for extra in _FILE_PROFILES:
                known.add(extra)
            chosen = [known.get(wanted)]
        tables = [p.table() for p in chosen]
        if as_json:
            sys.stdout.write(json.dumps(tables, indent=2, ensure_ascii=False) + "\n")
            return
        base = DEFAULT.table()
        for table in tables:
            out.print(
                f"\n[bold]{escape(table['name'])}[/] (fingerprint {table['fingerprint']})",
                highlight=False,
            )
            if table["description"]:
                out.print(f"  {escape(table['description'])}", highlight=False)
            changed = [
                (t, row["value"], base["strengths"][t]["value"])
                for t, row in table["strengths"].items()
                if name or row["value"] != base["strengths"][t]["value"]
            ]
            for t, value, was in changed:
                note = "" if value == was else f"  (schema {was:g})"
                out.print(f"  {t:<22} {value:g}{note}", highlight=False)
            for level, factor in table["confidence_factors"].items():
                was = base["confidence_factors"][level]
                if name or factor != was:
                    note = "" if factor == was else f"  (schema {was:g})"
                    out.print(f"  confidence {level:<11} {factor:g}{note}", highlight=False)

    guarded(go)
