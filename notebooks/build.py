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
        "from graphkit.query import ReachRequest, DiffRequest, PathsRequest\n"
        "from graphkit.named import NamedQuery\n"
        "from graphkit.export import ExportFormat, export\n"
        "from graphkit.viz import network_html\n"
        "from ingest import read_path\n"
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
        "diff = engine.diff(DiffRequest(target=TARGET, from_date='2020-01-01', "
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
    new_markdown_cell(
        "## Through terminal stakes: the European ports case file, 2015 versus today\n\n"
        "`data/cases/european-ports` adds sourced facts from public reporting: the state-owned "
        "COSCO Shipping group, its port arm and its terminal stakes (Euromax in Rotterdam, "
        "Tollerort in Hamburg, Piraeus, Zeebrugge, Valencia, Bilbao, Vado), each with a dated "
        "document, its address and a short verbatim excerpt. Loaded beside the seed, it "
        "changes none of the seed's records."
    ),
    new_code_cell(
        "print(engine.ingest(read_path(ROOT / 'data' / 'cases' / 'european-ports')))\n"
        "stakes = {day: engine.reach(ReachRequest(target=TARGET, as_of=day))\n"
        "          for day in ('2015-01-01', '2026-11-22')}\n"
        "for day, result in stakes.items():\n"
        "    print(f'as of {day}:', [i.entity.name for i in result.items])\n"
        "chain = engine.paths(PathsRequest(source='cn-government', target=TARGET, k=5))\n"
        "via_stake = next(p for p in chain.paths\n"
        "                 if any(e.id == 'euromax-terminal-rotterdam' for e in p.entities))\n"
        "for hop in via_stake.hops:\n"
        "    print('-', hop.claim)\n"
        "    for ev in hop.evidence:\n"
        "        print(f'    [{ev.stance}] {ev.title}, {ev.publisher}, {ev.date} {ev.url}')\n"
        "assert 'cosco-shipping-ports' not in {i.entity.id for i in stakes['2015-01-01'].items}"
    ),
    new_markdown_cell("## A citable answer: footnotes, the days and a permalink"),
    new_code_cell(
        "citation, _ = engine.cite(NamedQuery(query='paths', entity='cn-government', "
        "target=TARGET),\n"
        "                          base_url='http://127.0.0.1:8000')\n"
        "(OUT / 'rotterdam-paths.md').write_text(citation.markdown, encoding='utf-8')\n"
        "print(citation.markdown[:1500])"
    ),
]


OWNERSHIP = [
    new_markdown_cell(
        "# Ownership research on real published data\n\n"
        "Loads a real OpenSanctions FollowTheMoney cluster and Open Ownership's BODS 0.4 "
        "examples, computes integrated and ultimate ownership, the state's share of a "
        "state-owned enterprise and who controls it, ranks actors by centrality, exports to "
        "Gephi, and — when a Neo4j server is configured — runs a read-only Cypher query.\n\n"
        "Data: `../shared/data` beside the repository (set `GRAPHKIT_SHARED_DATA` otherwise)."
    ),
    new_code_cell(
        "import os, tempfile\n"
        "from pathlib import Path\n"
        "from graphkit.engine import QueryEngine\n"
        "from graphkit.settings import Settings\n"
        "from graphkit.store import open_store\n"
        "from graphkit.query import OwnersRequest, ControlRequest, CentralityRequest, "
        "NeighbourhoodRequest\n"
        "from graphkit.export import ExportFormat, export\n"
        "from ingest import read_path\n\n"
        "ROOT = Path.cwd() if (Path.cwd() / 'graphkit').exists() else Path.cwd().parent\n"
        "DATA = Path(os.environ.get('GRAPHKIT_SHARED_DATA', ROOT.parent / 'shared' / 'data'))\n"
        "OUT = Path(os.environ.get('GRAPHKIT_NOTEBOOK_OUT', tempfile.mkdtemp()))\n"
        "settings = Settings(store=OUT / 'research.db') if 'GRAPHKIT_STORE' not in os.environ "
        "else Settings()\n"
        "engine = QueryEngine(open_store(settings), settings)\n"
        "for path in [DATA / 'ftm-opensanctions-zala' / 'entities.ftm.json',\n"
        "             DATA / 'bods-0.4' / 'examples' / 'bods-package-fi-soe.json',\n"
        "             DATA / 'bods-0.4' / 'examples' / 'multiple-indirect-ownership.json']:\n"
        "    summary = engine.ingest(read_path(path))\n"
        "    print(path.name, summary.created)\n"
        "engine.stats()"
    ),
    new_markdown_cell(
        '## Who owns LLC "CST"? Integrated ownership, on two dates\n\n'
        "Integrated ownership is `(I − W)⁻¹ W` over every chain (cycles included). The "
        "register records overlap in time; the warning says where shares exceed 100%."
    ),
    new_code_cell(
        "CST = 'NK-abdzbEBkqyT29GyREbiURZ'\n"
        "for day in ('2020-06-01', '2024-06-01'):\n"
        "    res = engine.owners(OwnersRequest(entity=CST, as_of=day, threshold=0.25))\n"
        "    print(f'as of {day}:')\n"
        "    for o in res.owners:\n"
        "        print(f'  {o.entity.name[:50]:<50} direct {o.direct:6.1%}  integrated "
        '{o.integrated:6.1%}  {"ultimate" if o.ultimate else ""}\')\n'
        "    for warning in res.warnings:\n"
        "        print('  warning:', warning)\n"
        "assert any(round(o.integrated, 2) == 0.51 for o in engine.owners("
        "OwnersRequest(entity=CST, as_of='2020-06-01')).owners)"
    ),
    new_markdown_cell(
        "## State attribution: Gasgrid Finland\n\n"
        "The Ministry of Finance holds 23.5% directly and all of the company that holds "
        "76.5%: the state's integrated share is 100%. The declared *indirect* stake of the "
        "Republic is kept as a fact but left out of the arithmetic, so nothing is counted "
        "twice."
    ),
    new_code_cell(
        "gasgrid = 'bods:19f1c5afe9d7'\n"
        "owners = engine.owners(OwnersRequest(entity=gasgrid))\n"
        "for o in owners.owners:\n"
        "    print(f'{o.entity.name:<30} {o.entity.kind.value:<10} '\n"
        "          f'integrated {o.integrated:.1%}')\n"
        "    for chain in o.paths:\n"
        "        print('    chain', f'{chain.contribution:.1%}:', ' → '.join(e.name for e in "
        "chain.path.entities))\n"
        "control = engine.control(ControlRequest(entity=gasgrid))\n"
        "print('control chain:', ' → '.join(f'{s.controller.name} ({s.basis})' for s in "
        "control.chain))\n"
        "print('state share', f'{owners.state_share:.0%}', '· state-controlled:', "
        "control.state_controlled)\n"
        "assert round(owners.state_share, 6) == 1.0 and control.state_controlled"
    ),
    new_markdown_cell("## Centrality in the influence graph"),
    new_code_cell(
        "central = engine.centrality(CentralityRequest(top=8))\n"
        "for item in central.items:\n"
        "    print(f'{item.entity.name[:50]:<50} pagerank {item.pagerank:.3f}  betweenness "
        "{item.betweenness:.3f}')"
    ),
    new_markdown_cell("## Export to Gephi"),
    new_code_cell(
        "hood = engine.neighbourhood(NeighbourhoodRequest(entity=CST, depth=2))\n"
        "gexf = OUT / 'cst-neighbourhood.gexf'\n"
        "gexf.write_text(export(hood, ExportFormat.GEXF), encoding='utf-8')\n"
        "print(gexf, len(hood.entities), 'entities', len(hood.relationships), 'relationships')"
    ),
    new_markdown_cell(
        "## A read-only Cypher query (when Neo4j is configured)\n\n"
        "With `NEO4J_URI` set and the data loaded there (`graphkit load … --backend "
        "neo4j`), researchers can ask Neo4j directly: "
        "values go in as parameters, the query runs in a read transaction under the time "
        "budget with a row cap, and `LOAD CSV`, writes and non-schema procedures are refused. "
        "The same is `graphkit cypher '…' --param id=…` and `POST /cypher`."
    ),
    new_code_cell(
        "from graphkit.query import CypherRequest\n"
        "\n"
        "if not os.environ.get('NEO4J_URI'):\n"
        "    print('NEO4J_URI is not set: skipping the Cypher example')\n"
        "else:\n"
        "    neo4j_settings = Settings(backend='neo4j')  # password: NEO4J_PASSWORD or file\n"
        "    with open_store(neo4j_settings) as neo:\n"
        "        res = QueryEngine(neo, neo4j_settings).cypher(CypherRequest(\n"
        "            query='MATCH (o:Entity)-[r:OWNS]->(c:Entity {id: $id}) '\n"
        "                  'RETURN o.name AS owner, r.since AS since, r.until AS until '\n"
        "                  'ORDER BY owner',\n"
        "            params={'id': CST}))\n"
        "    for row in res.rows:\n"
        "        print(dict(zip(res.columns, row)))"
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
    write("ownership-research.ipynb", OWNERSHIP)
