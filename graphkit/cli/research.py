"""Research questions beyond reach: ``owners``, ``control``, ``diff``, ``timeline``,
``centrality``, ``brokers`` and ``resolve``."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from graphkit.cli.options import (
    FILTERS,
    JSON,
    STORE,
    BackendOpt,
    ConfOpt,
    DepthOpt,
    JsonOpt,
    KindsOpt,
    LimitOpt,
    ProfileOpt,
    StoreOpt,
    TypesOpt,
    answered,
    app,
    day_fields,
    emit_json,
    err,
    filter_fields,
    guarded,
    open_engine,
    out,
    with_options,
)
from graphkit.cli.render import print_path
from graphkit.errors import (
    InvalidQuery,
)
from graphkit.query import (
    BrokersRequest,
    CentralityRequest,
    ControlRequest,
    DiffQuery,
    DiffRequest,
    InfluencePath,
    OwnersRequest,
)

#: Where these commands are listed in ``graphkit --help``.
PANEL = "Research"


@app.command(rich_help_panel=PANEL)
@with_options(FILTERS[:3], STORE, JSON)
def owners(
    entity: str,
    threshold: Annotated[
        float, typer.Option("--threshold", help="Ultimate-owner threshold (0.25, 0.10, 0.50…).")
    ] = 0.25,
    **opts: Any,
) -> None:
    """Who owns ENTITY directly and through every chain (integrated ownership)."""

    def go() -> None:
        req = OwnersRequest(
            entity=entity,
            **day_fields(opts),
            threshold=threshold,
        )
        res = answered(opts, lambda eng: eng.owners(req))
        if res is None:
            return
        out.print(f"\n[bold]Owners of {escape(res.entity.name)}[/] — as of {res.as_of}")
        table = Table()
        for col in ("owner", "kind", "direct", "integrated", "excl. own cycles", "ultimate"):
            table.add_column(col)
        for o in res.owners:
            table.add_row(
                escape(o.entity.name),
                o.entity.kind.value,
                f"{o.direct:.1%}",
                f"{o.integrated:.1%}",
                f"{o.excluding_own_cycles:.1%}",
                "yes" if o.ultimate else "",
            )
        out.print(table)
        names = ", ".join(f"{o.entity.name} ({o.integrated:.1%})" for o in res.ultimate_owners)
        out.print(f"Ultimate owners ≥ {res.threshold:.0%}: {names or 'none'}", markup=False)
        out.print(f"State / party share: {res.state_share:.1%}", markup=False)
        for o in res.owners:
            for chain in o.paths:
                out.print(
                    f"  {o.entity.name}: chain contributing {chain.contribution:.1%}", markup=False
                )
                print_path(chain.path)
        for warning in res.warnings:
            err.print(f"warning: {warning}", markup=False, highlight=False)
        for hop in res.unknown_share_stakes:
            out.print(f"  size not given: {hop.explanation}", markup=False, style="dim")

    guarded(go)


@app.command(rich_help_panel=PANEL)
@with_options(FILTERS[:3], STORE, JSON)
def control(
    entity: str,
    **opts: Any,
) -> None:
    """Who ultimately controls ENTITY (explicit control and majority chains)."""

    def go() -> None:
        req = ControlRequest(
            entity=entity,
            **day_fields(opts),
        )
        res = answered(opts, lambda eng: eng.control(req))
        if res is None:
            return
        out.print(f"\n[bold]Control of {escape(res.entity.name)}[/] — as of {res.as_of}")
        for i, step in enumerate(res.chain, 1):
            out.print(f"  {i}. {step.controller.name} ({step.basis})", markup=False)
            print_path(
                InfluencePath(
                    strength=step.hop.strength,
                    length=1,
                    entities=(step.hop.source, step.hop.target),
                    hops=(step.hop,),
                )
            )
        top = res.ultimate_controller.name if res.ultimate_controller else "none recorded"
        out.print(
            f"Ultimate controller: {top}; state-controlled: "
            f"{'yes' if res.state_controlled else 'no'} (state share "
            f"{res.state_share:.1%})" + ("; the chain is circular" if res.circular else ""),
            markup=False,
        )

    guarded(go)


@app.command(rich_help_panel=PANEL)
def diff(
    query: Annotated[DiffQuery, typer.Argument(help="The answer to compare.")],
    entity: Annotated[
        str, typer.Argument(help="Reach: the target. Exposure and paths: the source.")
    ],
    other: Annotated[str | None, typer.Argument(help="Paths: the target.")] = None,
    from_date: Annotated[
        str, typer.Option("--from", help="Earlier day (YYYY, YYYY-MM, YYYY-MM-DD or today).")
    ] = "",
    to_date: Annotated[str | None, typer.Option("--to", help="Later day (default today).")] = None,
    k: Annotated[int, typer.Option("--k", help="Paths compared per entity.")] = 3,
    max_depth: DepthOpt = 6,
    types: TypesOpt = None,
    min_confidence: ConfOpt = None,
    profile: ProfileOpt = None,
    limit: LimitOpt = 50,
    backend: BackendOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """What changed in an answer between two days, path by path, and the evidence why.

    graphkit diff reach TARGET --from 2020-03-01 --to 2020-06-01;
    graphkit diff exposure SOURCE --from 2019; graphkit diff paths SOURCE TARGET --from 2020.
    """

    def go() -> None:
        if not from_date:
            raise InvalidQuery("--from is required (the earlier day)", "from_date")
        anchors: dict[str, Any] = (
            {"target": entity}
            if query is DiffQuery.REACH
            else {"source": entity, "target": other}
            if query is DiffQuery.PATHS
            else {"source": entity}
        )
        filt = filter_fields({"types": types, "min_confidence": min_confidence, "profile": profile})
        req = DiffRequest(
            query=query,
            **anchors,
            from_date=from_date,
            to_date=to_date,
            k=k,
            max_depth=max_depth,
            types=filt["types"],
            min_confidence=filt["min_confidence"],
            profile=filt["profile"],
            limit=limit,
        )
        with open_engine(backend, store) as eng:
            res = eng.diff(req)
        if as_json:
            emit_json(res)
            return
        what = {
            DiffQuery.REACH: f"Who can reach {res.target.name if res.target else ''}",
            DiffQuery.EXPOSURE: f"What {res.source.name if res.source else ''} can reach",
            DiffQuery.PATHS: f"Paths from {res.source.name if res.source else ''} to "
            f"{res.target.name if res.target else ''}",
        }[res.query]
        out.print(
            f"\n[bold]{escape(what)}[/]: {res.from_date} → {res.to_date} — "
            f"{len(res.items)} change(s), {res.unchanged} unchanged",
            highlight=False,
        )
        hops: dict[str, Any] = {}
        for item in res.items:
            out.print(f"  [{item.change}] {item.explanation}", markup=False, highlight=False)
            hops |= {h.relationship_id: h for h in item.changed_hops}
        if hops:
            out.print("\n[bold]Evidence for the relationships that changed[/]")
        for hop in hops.values():
            state = "in force" if hop.active else "not in force"
            out.print(f"  {hop.explanation} [{state} on {res.to_date}]", markup=False)
            for ev in hop.evidence:
                out.print(
                    f"      [{ev.stance}] {ev.title} ({ev.date or 'undated'}): “{ev.excerpt}”",
                    markup=False,
                    style="dim",
                    highlight=False,
                )

    guarded(go)


@app.command(rich_help_panel=PANEL)
@with_options(STORE, JSON)
def timeline(
    entity: str,
    **opts: Any,
) -> None:
    """ENTITY's relationships in time: starts, ends and when sources reported them."""

    def go() -> None:
        res = answered(opts, lambda eng: eng.timeline(entity))
        if res is None:
            return
        out.print(f"\n[bold]Timeline of {escape(res.entity.name)}[/]")
        for ev in res.events:
            by = f" — {ev.source_title}" if ev.source_title else ""
            out.print(
                f"  {ev.date or 'undated':>10}  {ev.event:<9} {ev.hop.explanation}{by}",
                markup=False,
            )

    guarded(go)


@app.command(rich_help_panel=PANEL)
@with_options(FILTERS[:1], STORE, JSON)
def centrality(
    top: Annotated[int, typer.Option("--top")] = 20,
    kinds: KindsOpt = None,
    time_budget: Annotated[
        float | None,
        typer.Option(
            "--time-budget",
            min=0.1,
            help="Seconds the analysis may take (default GRAPHKIT_TIME_BUDGET); large stores "
            "need more than a query.",
        ),
    ] = None,
    **opts: Any,
) -> None:
    """Most central actors: PageRank on strength-weighted arcs, and betweenness."""

    def go() -> None:
        with open_engine(opts["backend"], opts["store"], time_budget) as eng:
            res = eng.centrality(
                CentralityRequest(as_of=opts["as_of"], top=top, kinds=kinds or None)
            )
        if opts["as_json"]:
            emit_json(res)
            return
        table = Table(title=f"Centrality — as of {res.as_of} ({res.nodes} nodes, {res.arcs} arcs)")
        for col in ("entity", "kind", "pagerank", "betweenness"):
            table.add_column(col)
        for i in res.items:
            table.add_row(
                escape(i.entity.name),
                i.entity.kind.value,
                f"{i.pagerank:.4f}",
                f"{i.betweenness:.4f}",
            )
        out.print(table)

    guarded(go)


@app.command(rich_help_panel=PANEL)
@with_options(FILTERS[:1], STORE, JSON)
def brokers(
    source: str,
    kinds: KindsOpt = None,
    top: Annotated[int, typer.Option("--top")] = 10,
    **opts: Any,
) -> None:
    """Who brokers SOURCE's strongest routes to a sector (default: public bodies)."""

    def go() -> None:
        req = BrokersRequest(
            source=source,
            as_of=opts["as_of"],
            top=top,
            **({"target_kinds": kinds} if kinds else {}),
        )
        res = answered(opts, lambda eng: eng.brokers(req))
        if res is None:
            return
        sector = ", ".join(k.value for k in res.target_kinds)
        table = Table(title=f"Brokers from {res.source.name} to {sector} ({res.targets} targets)")
        table.add_column("entity")
        table.add_column("kind")
        table.add_column("routes through it")
        for i in res.items:
            table.add_row(escape(i.entity.name), i.entity.kind.value, f"{i.betweenness:g}")
        out.print(table)

    guarded(go)


@app.command(rich_help_panel=PANEL)
def resolve(
    report: Annotated[bool, typer.Option("--report", help="List name-only candidates.")] = False,
    accept: Annotated[
        list[str] | None,
        typer.Option(
            "--accept",
            help="Merge: the first id survives, the others join it (repeat the "
            "option, or pass ids separated by commas).",
        ),
    ] = None,
    backend: BackendOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Entity resolution: review name-only candidates, and accept merges (kept on re-ingest).

    Records with the same identifier (LEI, Wikidata id, a register number in one country)
    are merged at ingest without asking.
    """

    def go() -> None:
        with open_engine(backend, store) as eng:
            if accept:
                ids = [i.strip() for part in accept for i in part.split(",") if i.strip()]
                if len(ids) < 2:
                    raise InvalidQuery("--accept needs at least two ids", "accept")
                entity = eng.merge(ids[0], ids[1:], reason="accepted by a reviewer")
                err.print(
                    f"merged {', '.join(ids[1:])} into {entity.id} ({entity.name})", markup=False
                )
                return
            groups = eng.resolution_candidates()
        if as_json:
            sys.stdout.write(
                json.dumps(
                    [
                        {"fingerprint": fp, "entities": [e.model_dump(mode="json") for e in ents]}
                        for fp, ents in groups
                    ],
                    ensure_ascii=False,
                    indent=2,
                )
                + "\n"
            )
            return
        if not report:
            err.print("nothing to do: pass --report or --accept")
            return
        out.print(
            f"{len(groups)} candidate group(s) — merge with: graphkit resolve --accept KEEP,OTHER",
            markup=False,
        )
        for fp, ents in groups:
            out.print(f"  “{fp}”", markup=False)
            for e in ents:
                known = ", ".join(f"{k}={v}" for k, v in e.identifiers.items())
                out.print(
                    f"     {e.id:<40} {e.kind.value:<10} {e.name}"
                    + (f"  [{known}]" if known else ""),
                    markup=False,
                )

    guarded(go)
