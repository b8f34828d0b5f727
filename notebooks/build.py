"""Writes the notebooks from the cell lists below, without outputs (run: python notebooks/build.py).

Keeping the source here makes notebook diffs readable; CI executes the .ipynb files.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

ROTTERDAM = [
    new_markdown_cell(
        "# Who can reach Rotterdam port data — 2020 versus today\n\n"
        "A walk-through for journalists: load the seed dataset (five source documents), ask who "
        "can reach the Port of Rotterdam's logistics data on two dates, see what changed and "
        "why, look at the network, and export it for an article. Every hop carries its "
        "sources.\n\n"
        "Runs on the embedded store by default; set `GRAPHKIT_BACKEND=neo4j` and `NEO4J_URI` "
        "to use a Neo4j server instead."
    ),
    new_code_cell(
        "import os, tempfile\n"
        "from pathlib import Path\n"
        "from IPython.display import HTML, display\n"
        "from graphkit.engine import QueryEngine\n"
        "from graphkit.settings import Settings\n"
        "from graphkit.store import open_store\n"
        "from graphkit.query import ReachRequest, DiffRequest\n"
        "from graphkit.export import ExportFormat, export\n"
        "from graphkit.viz import network_html\n"
        "from ingest.curated import read_curated\n\n"
        "ROOT = Path.cwd() if (Path.cwd() / 'data' / 'seed').exists() else Path.cwd().parent\n"
        "OUT = Path(os.environ.get('GRAPHKIT_NOTEBOOK_OUT', tempfile.mkdtemp()))\n"
        "settings = Settings(store=OUT / 'rotterdam.db') if 'GRAPHKIT_STORE' not in os.environ "
        "else Settings()\n"
        "engine = QueryEngine(open_store(settings), settings)\n"
        "engine.ingest(read_curated(ROOT / 'data' / 'seed'))\n"
        "engine.stats()"
    ),
    new_markdown_cell("## The question, on two dates"),
    new_code_cell(
        "TARGET = 'rotterdam-port-logistics-data'\n"
        "answers = {day: engine.reach(ReachRequest(target=TARGET, as_of=day))\n"
        "           for day in ('2020-01-01', '2026-11-22')}\n"
        "for day, result in answers.items():\n"
        "    print(f'as of {day}:')\n"
        "    for item in result.items:\n"
        "        flags = ' '.join(f for f, on in (('disputed', item.path.disputed), "
        "('undated', item.path.undated)) if on)\n"
        "        print(f'  {item.rank}. {item.entity.name:<55} {item.strength:.3f}  {flags}')\n"
        "        for hop in item.path.hops:\n"
        "            print('       -', hop.explanation)\n"
        "assert answers['2020-01-01'].items[0].entity.id == 'logink'"
    ),
    new_markdown_cell(
        "## What changed, and on whose word\n\n"
        "The 2019 data coupling between LOGINK and the port is no longer in force; the port "
        "authority and Portbase deny any coupling now. Both sides are kept."
    ),
    new_code_cell(
        "diff = engine.diff_reach(DiffRequest(target=TARGET, from_date='2020-01-01', "
        "to_date='2026-11-22'))\n"
        "for item in diff.items:\n"
        "    print(f'[{item.change}]', item.explanation)\n"
        "    for hop in item.changed_hops:\n"
        "        for ev in hop.evidence:\n"
        "            print(f'     [{ev.stance}] {ev.title} ({ev.date}): “{ev.excerpt}”')\n"
        "assert any(i.entity.id == 'logink' for i in diff.items)"
    ),
    new_markdown_cell("## The network (hover an edge for its sources)"),
    new_code_cell(
        "import html\n"
        "page = network_html(answers['2020-01-01'])\n"
        'display(HTML(f\'<iframe srcdoc="{html.escape(page)}" width="100%" height="520" '
        'style="border:0"></iframe>\'))'
    ),
    new_markdown_cell("## Export for an article: an offline page and a Gephi file"),
    new_code_cell(
        "for day, result in answers.items():\n"
        "    (OUT / f'rotterdam-{day}.html').write_text(export(result, ExportFormat.HTML), "
        "encoding='utf-8')\n"
        "    (OUT / f'rotterdam-{day}.gexf').write_text(export(result, ExportFormat.GEXF), "
        "encoding='utf-8')\n"
        "sorted(p.name for p in OUT.iterdir() if p.suffix in ('.html', '.gexf'))"
    ),
]


def write(name: str, cells: list[nbformat.NotebookNode]) -> None:
    """Write one notebook with a Python 3 kernel and no outputs."""
    nb = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
    )
    nbformat.write(nb, HERE / name)


if __name__ == "__main__":
    write("who-can-reach-rotterdam.ipynb", ROTTERDAM)
