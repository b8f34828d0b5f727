"""Offline network pictures of query results (pyvis, vis-network inlined, no CDN).

Works on result models only, so any backend's answer renders the same way. Tooltips are
plain text (never HTML built from data), so a hostile name cannot inject script.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from pyvis.network import Network

from graphkit.elements import Result, elements
from graphkit.query import EntityRef, Hop, PathsResult
from graphkit.schema import KIND_STYLES, Confidence, EntityKind

_LABEL_MAX = 28
_EXTERNAL = re.compile(r'<(?:link|script)[^>]+(?:href|src)="https?://[^"]*"[^>]*>(?:</script>)?')


def _short(name: str) -> str:
    return name if len(name) <= _LABEL_MAX else name[: _LABEL_MAX - 1] + "…"


def _node_title(ent: EntityRef) -> str:
    lines = [
        ent.name,
        f"{ent.kind.value}" + (f" · {ent.country}" if ent.country else ""),
        f"id: {ent.id}",
    ]
    if ent.unnamed:
        lines.append("not named in the sources")
    return "\n".join(lines)


def _edge_title(hop: Hop) -> str:
    lines = [
        hop.explanation,
        "",
        f"type: {hop.type.value}   strength: {hop.strength:.2f}   confidence: {hop.confidence}",
        f"valid: {hop.valid_from or '?'} – {hop.valid_to or '?'}"
        + ("   (undated)" if hop.undated else "")
        + ("" if hop.active else "   NOT IN FORCE on the as-of date"),
    ]
    if hop.disputed:
        lines.append("DISPUTED — see evidence below")
    for ev in hop.evidence:
        lines.append("")
        lines.append(f"[{ev.stance}] {ev.title} ({ev.date or 'undated'})")
        if ev.url:
            lines.append(ev.url)
        lines.append(f"“{ev.excerpt}”")
    return "\n".join(lines)


def _legend(kinds: Iterable[EntityKind], caption: str) -> str:
    items = "".join(
        f'<li><span class="sw" style="background:{KIND_STYLES[k].color}"></span>'
        f"{html.escape(k.value)}</li>"
        for k in sorted(set(kinds), key=lambda k: k.value)
    )
    return (
        '<div id="gk-legend" role="region" aria-label="Legend">'
        f"<h1>{html.escape(caption)}</h1><ul>{items}</ul>"
        "<p>Arrows point the way influence travels. Width = strength. Dashed = reported or "
        "alleged. Red = disputed. Grey = not in force on the as-of date. Hover an edge for "
        "its sources.</p>"
        "</div>"
    )


_CSS = """<style>
html,body{margin:0;overflow:hidden;font-family:system-ui,sans-serif;color:#111}
.card{border:0!important}
#gk-legend{position:absolute;top:8px;left:8px;z-index:5;background:#fffe;border:1px solid #ccc;
  padding:8px 12px;max-width:340px;font-size:13px}
#gk-legend h1{font-size:15px;margin:0 0 6px}
#gk-legend ul{list-style:none;padding:0;margin:0;columns:2}
#gk-legend .sw{display:inline-block;width:11px;height:11px;margin-right:5px;border-radius:2px}
div.vis-tooltip{white-space:pre-wrap;max-width:460px;font-size:12px}
</style>"""


#: Freeze the layout once it has settled and fit it to the window (a stable, legible picture).
_SETTLE = """<script>
(function(){
  function settle(){
    network.setOptions({physics:false}); network.fit({animation:false});
    network.moveTo({scale: network.getScale() * 0.8});  // room for labels and the legend
  }
  network.once("stabilizationIterationsDone", settle);
  setTimeout(settle, 2500);
})();
</script>"""


#: The citation beside the network: a scrolling panel on the right.
_ASIDE_CSS = """<style>
.card{margin-right:min(36vw,480px)!important}
#gk-aside{position:absolute;top:0;right:0;bottom:0;width:min(36vw,480px);overflow:auto;
  box-sizing:border-box;padding:12px 16px;border-left:1px solid #ccc;background:#fff;z-index:6}
</style>"""


def network_html(
    result: Result, *, hierarchical: bool | None = None, aside: str | None = None
) -> str:
    """A self-contained HTML page of a query result that opens with no network.

    Args:
        result: a reach, exposure, paths, neighbourhood or asset result.
        hierarchical: left-to-right layered layout (default: on for paths).
        aside: an HTML fragment shown beside the network — the answer's citation text
            (:func:`graphkit.cite.cite`), which escapes everything it takes from the data.
    """
    parts = elements(result)
    entities, hops, highlight, caption = parts.entities, parts.hops, parts.highlight, parts.caption
    net = Network(height="100vh", width="100%", directed=True, cdn_resources="in_line", heading="")
    for ent in entities:
        style = KIND_STYLES[ent.kind]
        net.add_node(
            ent.id,
            label=_short(ent.name),
            title=_node_title(ent),
            color=style.color,
            shape=style.shape,
            size=28 if ent.id in highlight else 16,
            borderWidth=4 if ent.id in highlight else 1,
            kind=ent.kind.value,
        )
    for hop in hops:
        dashed = hop.confidence in (Confidence.REPORTED, Confidence.ALLEGED) or (
            isinstance(hop.confidence, float) and hop.confidence < 1.0
        )
        net.add_edge(
            hop.influence_from,
            hop.influence_to,
            title=_edge_title(hop),
            label=hop.type.value,
            width=1 + 5 * hop.strength,
            dashes=dashed,
            color="#bbbbbb" if not hop.active else ("#c0392b" if hop.disputed else "#444444"),
            relationship_id=hop.relationship_id,
            arrows="to",
        )
    layered = isinstance(result, PathsResult) if hierarchical is None else hierarchical
    layout = (
        '"hierarchical": {"enabled": true, "direction": "LR", "sortMethod": "directed"}'
        if layered
        else '"randomSeed": 7'
    )
    net.set_options(
        '{"layout": {' + layout + "},"
        ' "physics": {"stabilization": {"enabled": true, "iterations": 400},'
        + (
            ' "hierarchicalRepulsion": {"nodeDistance": 160}, "solver": "hierarchicalRepulsion"'
            if layered
            else ' "barnesHut": {"gravitationalConstant": -9000, "springLength": 160}'
        )
        + '}, "edges": {"font": {"size": 10, "align": "middle"}, "smooth": {"type": "dynamic"}},'
        ' "interaction": {"hover": true, "tooltipDelay": 120, "navigationButtons": false}}'
    )
    page = _EXTERNAL.sub("", net.generate_html())
    page = page.replace("</head>", _CSS + "</head>", 1)
    page = page.replace("</body>", _SETTLE + "</body>", 1)
    page = page.replace("<body>", "<body>" + _legend((e.kind for e in entities), caption), 1)
    if aside is not None:
        from graphkit.cite import CITE_CSS

        page = page.replace("</head>", _ASIDE_CSS + f"<style>{CITE_CSS}</style></head>", 1)
        page = page.replace(
            "</body>",
            f'<aside id="gk-aside" role="complementary" aria-label="Cited answer">{aside}'
            "</aside></body>",
            1,
        )
    page = re.sub(
        r"<title>.*?</title>", f"<title>{html.escape(caption)}</title>", page, count=1, flags=re.S
    )
    return page
