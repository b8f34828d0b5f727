"""Terminal renderers, one per result shape (ranked lists, paths with their evidence,
empty answers), so every command prints the same thing the same way."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from graphkit.cli.options import out
from graphkit.query import (
    EmptyAnswer,
    ExposureResult,
    Hop,
    InfluencePath,
    ReachResult,
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
    print_left_out(result.undated_left_out, "result(s)")
    print_empty(result.empty)


def print_empty(empty: EmptyAnswer | None) -> None:
    """Why nothing was found: the filters that cut the answer, what the data says at the ends."""
    if empty is None:
        return
    out.print("[bold]Why nothing was found:[/]", highlight=False)
    for reason in empty.reasons:
        out.print(f"  - {escape(reason)}", highlight=False)


def print_left_out(count: int, what: str) -> None:
    if count:
        out.print(
            f"  {count} more {what} left out: reached only through relationships whose sources "
            "carry no date (--include-undated to use them).",
            style="dim",
            highlight=False,
        )
