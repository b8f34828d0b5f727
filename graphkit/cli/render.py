"""Terminal renderers, one per result type (ranked lists, paths with their evidence, asset
views, owners, control, timelines, brokers, empty answers), so commands only ask and print."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.table import Table

from graphkit.cli.options import err, out
from graphkit.query import (
    AssetResult,
    BrokersResult,
    CentralityResult,
    ControlResult,
    DiffQuery,
    DiffResult,
    EmptyAnswer,
    ExposureResult,
    Hop,
    InfluencePath,
    OwnersResult,
    ReachResult,
    TimelineResult,
)


def path_flags(path: InfluencePath) -> str:
    return " ".join(f for f, on in (("disputed", path.disputed), ("undated", path.undated)) if on)


def print_path(path: InfluencePath) -> None:
    for i, hop in enumerate(path.hops, 1):
        out.print(f"     {i}. {hop.explanation}", highlight=False, markup=False)
        print_evidence(hop, "        ")


def print_evidence(hop: Hop, indent: str) -> None:
    """Each source of a hop: stance, document, date, address and the excerpt."""
    for ev in hop.evidence:
        mark = "✗" if ev.stance == "disputes" else "•"
        where = f" {ev.url}" if ev.url else ""
        excerpt = ev.excerpt if len(ev.excerpt) <= 160 else ev.excerpt[:157] + "…"
        out.print(
            f"{indent}{mark} [{ev.stance}] {ev.title} ({ev.date or 'undated'}){where}",
            highlight=False,
            style="dim",
            markup=False,
        )
        out.print(f"{indent}  “{excerpt}”", highlight=False, style="dim italic", markup=False)
        if ev.note:
            out.print(f"{indent}  note: {ev.note}", highlight=False, style="dim", markup=False)


def print_ranked(result: ReachResult | ExposureResult, heading: str) -> None:
    out.print(
        f"\n[bold]{escape(heading)}[/] — as of {result.as_of}"
        + (f", known by {result.known_by}" if result.known_by else "")
        + f" — {result.total} result(s)",
        highlight=False,
    )
    table = Table(show_lines=False)
    for col in ("#", "entity", "kind", "strength", "hops", "flags"):
        table.add_column(col, justify="right" if col in ("#", "strength", "hops") else "left")
    for item in result.items:
        table.add_row(
            str(item.rank),
            escape(item.entity.name),
            item.entity.kind.value,
            f"{item.strength:.3f}",
            str(item.hops),
            path_flags(item.path),
        )
    out.print(table)
    for item in result.items:
        out.print(
            f"  [bold]{item.rank}. {escape(item.entity.name)}[/] "
            f"({escape(item.entity.id)}) — strength {item.strength:.3f}",
            highlight=False,
        )
        print_path(item.path)
    if result.offset + len(result.items) < result.total:
        out.print(f"  … more: --offset {result.offset + len(result.items)}", style="dim")
    print_left_out(result.undated_left_out, "more result(s)")
    print_empty(result.empty)


def print_empty(empty: EmptyAnswer | None) -> None:
    """Why nothing was found: the filters that cut the answer, what the data says at the ends."""
    if empty is None:
        return
    out.print("[bold]Why nothing was found:[/]", highlight=False)
    for reason in empty.reasons:
        out.print(f"  - {escape(reason)}", highlight=False)


#: Why results are missing under a known-by day when undated sources are not used.
UNDATED = (
    "reached only through relationships whose sources carry no date (--include-undated to use them)"
)


def print_left_out(count: int, what: str, why: str = UNDATED) -> None:
    """A dim line counting what a filter left out of the answer, and why (nothing at zero)."""
    if count:
        out.print(f"  {count} {what} left out: {why}.", style="dim", highlight=False)


def owners(res: OwnersResult) -> None:
    """Owners as a table (direct, integrated, ultimate), then each owner's chains."""
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


def control(res: ControlResult) -> None:
    """The control chain upwards, and who ends it."""
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


def timeline(res: TimelineResult) -> None:
    """An entity's relationships in time, one dated event a line."""
    out.print(f"\n[bold]Timeline of {escape(res.entity.name)}[/]")
    for ev in res.events:
        by = f" — {ev.source_title}" if ev.source_title else ""
        out.print(
            f"  {ev.date or 'undated':>10}  {ev.event:<9} {ev.hop.explanation}{by}",
            markup=False,
        )


def brokers(res: BrokersResult) -> None:
    """Who the strongest routes to a sector pass through, as a table."""
    sector = ", ".join(k.value for k in res.target_kinds)
    table = Table(title=f"Brokers from {res.source.name} to {sector} ({res.targets} targets)")
    table.add_column("entity")
    table.add_column("kind")
    table.add_column("routes through it")
    for i in res.items:
        table.add_row(escape(i.entity.name), i.entity.kind.value, f"{i.betweenness:g}")
    out.print(table)


def asset(result: AssetResult, limit: int) -> None:
    """Around an asset: each role's facts with their evidence, what the view left out."""
    a = result.asset
    out.print(
        f"\n[bold]Around {escape(a.name)}[/] ({escape(a.id)}) — {a.kind.value}"
        + (f", {a.country}" if a.country else "")
        + f" — as of {result.as_of}"
        + (f", known by {result.known_by}" if result.known_by else "")
        + f" — {result.depth} hop(s)",
        highlight=False,
    )
    if not result.groups:
        out.print("  Nothing is recorded around it under these filters.", highlight=False)
    for group in result.groups:
        out.print(f"\n[bold]{escape(group.title)}[/] ({len(group.facts)})", highlight=False)
        for fact in group.facts:
            where = "" if fact.distance == 1 else f" [dim](via {escape(fact.via.name)})[/]"
            state = "" if fact.hop.active else " [dim](not in force on the as-of date)[/]"
            out.print(f"  - {escape(fact.hop.explanation)}{where}{state}", highlight=False)
            print_evidence(fact.hop, "      ")
    if result.truncated:
        err.print(f"more relationships than --limit {limit}; raise it or lower --depth")
    print_left_out(
        result.not_yet_known,
        "relationship(s)",
        "no source had reported them by the known-by day",
    )


def diff(res: DiffResult) -> None:
    """What changed between two days, then the evidence for each relationship that did."""
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


def centrality(res: CentralityResult) -> None:
    """The most central actors as a table (PageRank, betweenness)."""
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
