"""Citable answers: a query result as Markdown and HTML with numbered footnotes (document,
publisher, date, address, excerpt, stance), the query, its days, the data version and a
permalink that pins them all — text a newsroom can paste under a published sentence.

Both renderings come from one outline (:func:`outline`), so they say the same thing. Text
from the data is escaped for each format: a name cannot become a link, markup or script.
"""

from __future__ import annotations

import html
import re
import shlex
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

from graphkit.named import NamedQuery, QueryName, Result
from graphkit.query import (
    EmptyAnswer,
    EntityRef,
    ExposureResult,
    Hop,
    InfluencePath,
    NeighbourhoodResult,
    PathsResult,
    ReachResult,
)

#: One sentence that says what a strength is, printed with every ranked answer.
STRENGTH_NOTE = (
    "Strength is the product of a path's hop strengths: each hop counts its ownership share, "
    "or its type's weight, times how well its sources establish it (1 is full control)."
)


class Footnote(BaseModel):
    """One cited passage: which document says it, and how it bears on the claim."""

    model_config = ConfigDict(frozen=True)

    number: int
    source_id: str
    title: str
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    locator: str | None = None
    excerpt: str
    stance: str = Field(description="supports or disputes")
    note: str | None = Field(default=None, description="How the excerpt was read, if said.")


class Citation(BaseModel):
    """A query's answer as citable text, with everything needed to reproduce it."""

    model_config = ConfigDict(frozen=True)

    title: str
    query: NamedQuery
    command: str = Field(description="The graphkit command that gives the same answer.")
    data_version: str | None
    data_changed: bool = Field(
        default=False,
        description="The permalink named another data version than the store holds now.",
    )
    permalink: str
    footnotes: tuple[Footnote, ...]
    markdown: str
    html: str = Field(description="An HTML fragment (an <article>), safe to embed.")


@dataclass
class _Line:
    text: str
    notes: list[int] = field(default_factory=list)
    muted: str = ""


@dataclass
class _Item:
    heading: str
    lines: list[_Line] = field(default_factory=list)


@dataclass
class _Outline:
    title: str
    items: list[_Item]
    why_empty: list[str]
    notes: list[Footnote]
    ranked: bool


class _Notes:
    """Footnotes numbered in order of first use; the same passage is cited once."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str, str, str], Footnote] = {}

    def cite(self, hop: Hop) -> list[int]:
        numbers = []
        for ev in hop.evidence:
            key = (ev.source_id, ev.excerpt, ev.stance, ev.note or "")
            note = self.by_key.get(key)
            if note is None:
                note = Footnote(
                    number=len(self.by_key) + 1,
                    source_id=ev.source_id,
                    title=ev.title,
                    publisher=ev.publisher,
                    date=ev.date,
                    url=ev.url,
                    locator=ev.locator,
                    excerpt=ev.excerpt,
                    stance=ev.stance,
                    note=ev.note,
                )
                self.by_key[key] = note
            if note.number not in numbers:
                numbers.append(note.number)
        return numbers


def _who(e: EntityRef) -> str:
    return f"{e.name} ({e.kind.value}{', ' + e.country if e.country else ''})"


def _hop_line(hop: Hop, notes: _Notes, via: str = "") -> _Line:
    flags = [("disputed", hop.disputed), ("not in force on the as-of day", not hop.active)]
    muted = ", ".join(text for text, on in flags if on)
    sentence = hop.claim or hop.explanation
    if via:
        sentence = sentence[:-1] + f" ({via})."
    return _Line(sentence, notes.cite(hop), muted)


def _path_lines(path: InfluencePath, notes: _Notes) -> list[_Line]:
    return [_hop_line(h, notes) for h in path.hops]


def outline(result: Result) -> _Outline:
    """What a citation says, before it is written as Markdown or HTML."""
    notes = _Notes()
    items: list[_Item] = []
    empty: EmptyAnswer | None = None
    ranked = False
    if isinstance(result, ReachResult | ExposureResult):
        ranked = True
        if isinstance(result, ReachResult):
            title = f"Who can reach {result.target.name}"
        else:
            title = f"What {result.source.name} can reach"
        for it in result.items:
            items.append(
                _Item(
                    f"{it.rank}. {_who(it.entity)} — strength {it.strength:.3f}, {it.hops} hop(s)",
                    _path_lines(it.path, notes),
                )
            )
        empty = result.empty
    elif isinstance(result, PathsResult):
        ranked = True
        title = f"Strongest paths from {result.source.name} to {result.target.name}"
        for i, path in enumerate(result.paths, 1):
            chain = " → ".join(e.name for e in path.entities)
            items.append(
                _Item(
                    f"{i}. {chain} — strength {path.strength:.3f}, {path.length} hop(s)",
                    _path_lines(path, notes),
                )
            )
        empty = result.empty
    elif isinstance(result, NeighbourhoodResult):
        title = f"Relationships of {result.center.name}"
        items.append(
            _Item(
                f"{len(result.relationships)} relationship(s)",
                [_hop_line(h, notes) for h in result.relationships],
            )
        )
    else:
        title = f"Around {result.asset.name}"
        for group in result.groups:
            lines = [
                _hop_line(fact.hop, notes, "" if fact.distance == 1 else f"via {fact.via.name}")
                for fact in group.facts
            ]
            items.append(_Item(group.title, lines))
    why = list(empty.reasons) if empty is not None else []
    return _Outline(title, items, why, list(notes.by_key.values()), ranked)


def _days(result: Result) -> tuple[str, str | None]:
    known = getattr(result, "known_by", None)
    return str(result.as_of), None if known is None else str(known)


def command_line(query: NamedQuery) -> str:
    """The CLI command that gives the same answer as ``query``.

    >>> command_line(NamedQuery(query="paths", entity="a b", target="c", as_of="2020-01-01"))
    "graphkit paths 'a b' c --as-of 2020-01-01"
    """
    q = query
    words = ["graphkit", q.query.value, q.entity]
    if q.query is QueryName.paths and q.target:
        words.append(q.target)
    flags: list[tuple[str, object]] = [
        ("--as-of", q.as_of),
        ("--known-by", q.known_by),
        ("--min-confidence", q.min_confidence),
        ("--profile", q.profile),
        ("--pattern", q.pattern),
    ]
    if q.query not in (QueryName.neighbourhood, QueryName.asset):
        flags += [("--max-depth", None if q.max_depth == 6 else q.max_depth)]
        flags += [("--min-strength", q.min_strength or None)]
    if q.query is QueryName.paths:
        flags.append(("--k", None if q.k == 5 else q.k))
    if q.query in (QueryName.reach, QueryName.exposure):
        flags.append(("--limit", None if q.limit == 50 else q.limit))
    if q.query in (QueryName.neighbourhood, QueryName.asset):
        flags.append(("--depth", q.depth))
    for flag, value in flags:
        if value is not None:
            words += [flag, str(value)]
    for t in q.types or ():
        words += ["--type", t.value]
    for k in q.kinds or ():
        words += ["--kind", k.value]
    if q.include_undated:
        words.append("--include-undated")
    return " ".join(shlex.quote(w) for w in words)


def cite(
    result: Result,
    query: NamedQuery,
    *,
    permalink: str,
    data_version: str | None,
    data_changed: bool = False,
) -> Citation:
    """The result as citable Markdown and HTML (see :class:`Citation`)."""
    plan = outline(result)
    as_of, known_by = _days(result)
    days = f"As of {as_of}"
    if known_by:
        days += f", as known by {known_by}"
        if query.include_undated:
            days += " (sources without a date included)"
    version = f"data version {data_version}" if data_version else "data version not tracked"
    ranked_with = getattr(result, "profile", None)
    if ranked_with is not None and ranked_with.name != "default":
        version += f" · profile {ranked_with.name} ({ranked_with.fingerprint})"
    command = command_line(query)
    return Citation(
        title=plan.title,
        query=query,
        command=command,
        data_version=data_version,
        data_changed=data_changed,
        permalink=permalink,
        footnotes=tuple(plan.notes),
        markdown=_markdown(plan, days, version, command, permalink, data_changed),
        html=_html(plan, days, version, command, permalink, data_changed),
    )


# ----------------------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md(text: str) -> str:
    r"""Text that Markdown shows as written (no links, emphasis or HTML from the data).

    >>> md("[x](javascript:alert(1)) *bold* <b>")
    '\\[x\\](javascript:alert(1)) \\*bold\\* \\<b\\>'
    """
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def _safe_url(url: str | None) -> str | None:
    """Only web addresses become links."""
    if not url:
        return None
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def _md_note(n: Footnote) -> str:
    parts = [f"“{md(n.excerpt)}” — *{md(n.title)}*"]
    if n.publisher:
        parts.append(md(n.publisher))
    parts.append(md(n.date) if n.date else "undated")
    if n.locator:
        parts.append(md(n.locator))
    url = _safe_url(n.url)
    if url:
        parts.append(f"<{url}>")
    elif n.url:
        parts.append(md(n.url))
    note = f" Note: {md(n.note)}" if n.note else ""
    return f"[^{n.number}]: " + ", ".join(parts) + f". Stance: {n.stance}.{note}"


def _markdown(
    plan: _Outline, days: str, version: str, command: str, permalink: str, changed: bool
) -> str:
    out = [f"# {md(plan.title)}", "", f"*{md(days)} · {md(version)}*", ""]
    if changed:
        out += [
            "> **The data has changed since this link was made**: the answer below is from "
            "the data held now, which may differ from the one first cited.",
            "",
        ]
    for item in plan.items:
        out.append(f"**{md(item.heading)}**")
        out.append("")
        for line in item.lines:
            marks = "".join(f"[^{n}]" for n in line.notes)
            muted = f" *({md(line.muted)})*" if line.muted else ""
            out.append(f"- {md(line.text)}{marks}{muted}")
        out.append("")
    if plan.why_empty:
        out += ["**Nothing was found. Why:**", ""]
        out += [f"- {md(r)}" for r in plan.why_empty]
        out.append("")
    if plan.ranked and plan.items:
        out += [md(STRENGTH_NOTE), ""]
    out += [f"Reproduce: `{command.replace('`', '')}`  ", f"Permalink: <{permalink}>", ""]
    out += [_md_note(n) for n in plan.notes]
    return "\n".join(out).rstrip() + "\n"


# ----------------------------------------------------------------------------- HTML


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _html_note(n: Footnote) -> str:
    url = _safe_url(n.url)
    where = [f"<cite>{_h(n.title)}</cite>"]
    if n.publisher:
        where.append(_h(n.publisher))
    where.append(_h(n.date) if n.date else "undated")
    if n.locator:
        where.append(_h(n.locator))
    if url:
        where.append(f'<a href="{_h(url)}" rel="noopener noreferrer">{_h(url)}</a>')
    elif n.url:
        where.append(_h(n.url))
    return (
        f'<li id="gk-fn-{n.number}" value="{n.number}"><q>{_h(n.excerpt)}</q> — '
        + ", ".join(where)
        + f'. <span class="gk-stance gk-{_h(n.stance)}">{_h(n.stance)}</span>'
        + (f' <span class="gk-note">Note: {_h(n.note)}</span>' if n.note else "")
        + "</li>"
    )


def _html(
    plan: _Outline, days: str, version: str, command: str, permalink: str, changed: bool
) -> str:
    out = [
        '<article class="gk-cite">',
        f"<h2>{_h(plan.title)}</h2>",
        f'<p class="gk-days">{_h(days)} · {_h(version)}</p>',
    ]
    if changed:
        out.append(
            '<p class="gk-warning" role="alert"><strong>The data has changed since this link '
            "was made</strong>: the answer below is from the data held now.</p>"
        )
    for item in plan.items:
        out.append(f"<h3>{_h(item.heading)}</h3><ul>")
        for line in item.lines:
            marks = "".join(f'<sup><a href="#gk-fn-{n}">{n}</a></sup>' for n in line.notes)
            muted = f' <em class="gk-muted">({_h(line.muted)})</em>' if line.muted else ""
            out.append(f"<li>{_h(line.text)}{marks}{muted}</li>")
        out.append("</ul>")
    if plan.why_empty:
        out.append("<h3>Nothing was found. Why:</h3><ul>")
        out += [f"<li>{_h(r)}</li>" for r in plan.why_empty]
        out.append("</ul>")
    if plan.ranked and plan.items:
        out.append(f'<p class="gk-note">{_h(STRENGTH_NOTE)}</p>')
    out.append(f'<p class="gk-repro">Reproduce: <code>{_h(command)}</code><br>')
    out.append(f'Permalink: <a href="{_h(permalink)}">{_h(permalink)}</a></p>')
    if plan.notes:
        out.append('<ol class="gk-footnotes">')
        out += [_html_note(n) for n in plan.notes]
        out.append("</ol>")
    out.append("</article>")
    return "\n".join(out)


CITE_CSS = """
.gk-cite{font-family:Georgia,serif;max-width:52em;line-height:1.45;color:#111}
.gk-cite h2{font-family:system-ui,sans-serif;font-size:1.3em;margin:0 0 .2em}
.gk-cite h3{font-family:system-ui,sans-serif;font-size:1em;margin:1em 0 .3em}
.gk-cite .gk-days,.gk-cite .gk-repro,.gk-cite .gk-note{font-size:.9em;color:#444}
.gk-cite .gk-warning{background:#fff3cd;border:1px solid #e0c060;padding:.4em .6em}
.gk-cite .gk-muted{color:#777}
.gk-cite .gk-footnotes{font-size:.85em}
.gk-cite .gk-disputes{color:#b00020;font-weight:bold}
.gk-cite code{font-size:.9em;word-break:break-all}
""".strip()


def page(citation: Citation) -> str:
    """A standalone HTML page of a citation (no script, no outside resources)."""
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_h(citation.title)}</title><style>{CITE_CSS}"
        "body{margin:2em auto;padding:0 1em;max-width:56em}</style></head><body>\n"
        f"{citation.html}\n</body></html>\n"
    )
