"""Side-by-side benchmarks on one synthetic graph: our embedded engine, a plain networkx
implementation and our Neo4j backend, measured in the same run (this machine is shared and
noisy, so ratios matter more than absolute times).

    python -m bench.run --entities 10000                       # embedded + networkx
    python -m bench.run --entities 10000 --neo4j bolt://127.0.0.1:7687   # + Neo4j (wiped!)
    ... --neo4j-local    # + bulk import: the server is scripts/neo4j-local's (same env)

Writes ``<out>/bench.json`` and ``<out>/bench.md`` and prints the table.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from bench.generate import Shape, generate, write_jsonl
from graphkit.batching import BATCH_RECORDS
from graphkit.engine import QueryEngine
from graphkit.filters import ResolvedFilters, Traversal
from graphkit.idtable import IdTable
from graphkit.kernels import ARC_OTHER, ARC_WEIGHT
from graphkit.neo4j_export import write_import_files
from graphkit.ownership import OwnershipMatrix, Stake
from graphkit.query import ExposureRequest, Filters, PathsRequest, ReachRequest
from graphkit.schema import RelType
from graphkit.settings import SEARCH_THREADS, Settings
from graphkit.store.base import GraphStore
from graphkit.store.embedded import EmbeddedStore
from graphkit.store.neo4j import Neo4jStore
from graphkit.store.neo4j_gds import GdsProjection
from ingest import read_path

STRATA = {"small": (1, 100), "medium": (1_000, 20_000), "giant": (0.5, None)}


def _ingest(store: GraphStore, file: Path) -> dict[str, float]:
    """Load the generated file exactly as ``graphkit load`` does: read, validated against
    the schema, written in all-or-nothing batches in one bulk load (deferred indexes
    included). The figure is what a user's first load costs, not the store's share alone."""
    start = time.perf_counter()
    summary = QueryEngine(store).ingest_stream(read_path(file, "curated"), BATCH_RECORDS)
    seconds = time.perf_counter() - start
    rels = summary.created.get("relationships", 0)
    return {"relationships": rels, "seconds": seconds, "per_second": rels / seconds}


def _stakes(shape: Shape) -> list[Stake]:
    """The generated graph's shareholdings, for the integrated-ownership row."""
    return [
        Stake(r.source, r.target, r.share, r.id)
        for batch in generate(shape)
        for r in batch.relationships
        if r.type is RelType.OWNS and r.share and r.source != r.target
    ]


def _bulk_import(
    embedded: EmbeddedStore, uri: str, folder: Path, neo4j_local: Callable[..., object]
) -> dict[str, float]:
    """The offline path into a stopped Neo4j, timed step by step: importer files written
    from the embedded store, the importer run and the server started, the constraints and
    indexes built on first connect. (Stopping the server first is not timed: it flushes the
    graph the transactional leg wrote, which has nothing to do with importing.)"""
    rels = embedded.stats().relationships
    neo4j_local("stop")
    start = time.perf_counter()
    write_import_files(embedded, folder)
    written = time.perf_counter()
    neo4j_local("import", str(folder))
    imported = time.perf_counter()
    neo = Neo4jStore(Settings(backend="neo4j", neo4j_uri=uri))
    ready = time.perf_counter()
    got, want = neo.stats(), embedded.stats()
    neo.close()
    if (got.entities, got.relationships, got.sources) != (
        want.entities,
        want.relationships,
        want.sources,
    ):
        raise RuntimeError(f"the import holds {got}, the embedded store {want}")
    seconds = ready - start
    return {
        "relationships": rels,
        "seconds": seconds,
        "per_second": rels / seconds,
        "files_seconds": written - start,
        "import_seconds": imported - written,
        "schema_seconds": ready - imported,
    }


def neo4j_local(*args: str) -> None:
    """``scripts/neo4j-local ARGS`` on the server the environment names (NEO4J_PORT…)."""
    script = Path(__file__).resolve().parents[1] / "scripts" / "neo4j-local"
    done = subprocess.run([str(script), *args], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"neo4j-local {' '.join(args)} failed: {done.stderr[-2000:]}")


def _ownership(stakes: list[Stake], states: list[str]) -> dict[str, float]:
    """Integrated ownership of every firm by every state body, through all chains."""
    start = time.perf_counter()
    matrix = OwnershipMatrix.build(stakes, strict=False)
    rows = matrix.integrated_by(states)
    seconds = time.perf_counter() - start
    return {
        "firms": len(matrix.ids),
        "stakes": len(matrix.kept),
        "holders": len(states),
        "nonzero": int(rows.nnz),
        "seconds": seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _networkx(store: EmbeddedStore, today: date) -> nx.DiGraph[str]:
    """The same arcs and filters as our engine, as a plain networkx graph of strengths."""
    f = ResolvedFilters.from_request(Filters(as_of=today))
    graph: nx.DiGraph[str] = nx.DiGraph()
    for arc in store.influence_arcs(f, 3600):
        if arc.strength <= 0:
            continue  # carries no influence (our engine skips it the same way)
        old = graph.get_edge_data(arc.tail, arc.head)
        if old is None or arc.strength > old["strength"]:
            graph.add_edge(
                arc.tail, arc.head, strength=arc.strength, weight=-math.log(arc.strength)
            )
    return graph


def _nx_reach(graph: nx.DiGraph[str], anchor: str, depth: int = 6) -> tuple[int, int]:
    """Plain networkx, same question as ours: the strongest path of at most ``depth`` hops to
    every node (relaxation rounds from the nodes improved in the round before), ranked, the
    top-50 paths rebuilt from parent pointers."""
    best = {anchor: 1.0}
    parent: dict[str, str] = {}
    frontier = [anchor]
    for _ in range(depth):
        improved: dict[str, None] = {}
        for u in frontier:
            strength_u = best[u]
            for v, data in graph.succ[u].items():
                s = strength_u * data["strength"]
                if s > best.get(v, 0.0) and v != anchor:
                    best[v] = s
                    parent[v] = u
                    improved[v] = None
        frontier = list(improved)
        if not frontier:
            break
    ranked = sorted(((-s, n) for n, s in best.items() if n != anchor))
    top = []
    for _s, n in ranked[:50]:
        path = [n]
        while path[-1] != anchor and len(path) <= depth:
            path.append(parent[path[-1]])
        top.append(path)
    return len(ranked), len(top)


@dataclass(frozen=True)
class _Arrays:
    """One direction's usable arcs as plain arrays and a scipy matrix, built once from the
    embedded index (the floor and the numpy search read the same arcs as ours)."""

    ptr: npt.NDArray[np.int64]
    heads: npt.NDArray[np.int64]
    weight: npt.NDArray[np.float64]
    matrix: Any
    ids: IdTable


def _arrays(store: EmbeddedStore, inbound: bool, today: date) -> _Arrays:
    index = store._ensure_index()  # noqa: SLF001 - the same arcs our search reads
    f = ResolvedFilters.from_request(Filters(as_of=today))
    ptr, arcs = (index.in_ptr, index.in_arcs) if inbound else (index.out_ptr, index.out_arcs)
    ok = index.arc_mask(f, inbound) & (arcs.view(np.float64)[:, ARC_WEIGHT] > 0)
    n = len(ptr) - 1
    tails = np.repeat(np.arange(n, dtype=np.int64), np.diff(ptr))[ok]
    heads = arcs[ok, ARC_OTHER]
    weight = arcs.view(np.float64)[ok, ARC_WEIGHT]
    new_ptr = np.concatenate(([0], np.cumsum(np.bincount(tails, minlength=n)))).astype(np.int64)
    matrix = csr_matrix((np.ones(len(heads)), (tails, heads)), shape=(n, n))
    return _Arrays(new_ptr, heads, weight, matrix, index.node_ids)


def _number(g: _Arrays, anchor: str) -> int:
    found = g.ids.number(anchor)
    if found is None:
        raise KeyError(anchor)
    return found


def _scipy_floor(g: _Arrays, anchor: str, depth: int = 6) -> int:
    """The floor: who is reachable within ``depth`` hops at all — a breadth-first search in
    C (scipy), no strengths, no ranking, no paths. No exact answer can be cheaper."""
    hops = dijkstra(
        g.matrix,
        directed=True,
        indices=[_number(g, anchor)],
        return_predecessors=False,
        unweighted=True,
        limit=float(depth),
    )
    return int(np.isfinite(hops[0]).sum()) - 1


def _numpy_layers(g: _Arrays, anchor: str, depth: int = 6) -> int:
    """The same strongest-path question as ours, vectorised with numpy a layer at a time
    (the nodes improved in a layer relax their arcs in the next): exact strengths, but no
    tie-breaking, ranking or paths. Returns how many nodes it reached (checked equal to
    ours)."""
    n = len(g.ptr) - 1
    best = np.zeros(n)
    root = _number(g, anchor)
    best[root] = 1.0
    frontier = np.array([root], dtype=np.int64)
    for _ in range(depth):
        starts, lengths = g.ptr[frontier], g.ptr[frontier + 1] - g.ptr[frontier]
        total = int(lengths.sum())
        if not total:
            break
        first = np.cumsum(lengths) - lengths
        picks = np.repeat(starts - first, lengths) + np.arange(total)
        tails = np.repeat(frontier, lengths)
        heads = g.heads[picks]
        cand = best[tails] * g.weight[picks]
        top = np.zeros(n)
        np.maximum.at(top, heads, cand)
        better = np.flatnonzero(top > best)
        better = better[better != root]
        best[better] = top[better]
        frontier = better
    return int((best > 0).sum()) - 1


def _gds_projections(
    eng: QueryEngine | None, today: date, report: dict[str, Any], held: ExitStack
) -> dict[bool, GdsProjection]:
    """Where the Neo4j server has Graph Data Science: the arcs in force today projected
    into its catalog once per direction (timed), for the server's own reach-set floor;
    ``held`` drops them, also when the run (or the second projection) fails."""
    store = eng.store if eng is not None else None
    if not isinstance(store, Neo4jStore) or not store.gds:
        return {}
    _say(f"GDS {store.gds}: project the arcs in force today, both directions")
    filters = ResolvedFilters.from_request(Filters(as_of=today))
    started = time.perf_counter()
    found = {
        inbound: held.enter_context(store.gds_projection(filters, inbound=inbound, time_budget=600))
        for inbound in (False, True)
    }
    report["gds"] = {
        "version": store.gds,
        "projection_seconds": (time.perf_counter() - started) / 2,
        "nodes": found[False].nodes,
        "arcs": found[False].arcs,
    }
    return found


def _gds_floor(projection: GdsProjection, anchor: str, depth: int = 6) -> int:
    """GDS's breadth-first search in the server: who is within ``depth`` arcs (a count; no
    strengths, paths or ranking). The server's floor beside the one-statement search."""
    return projection.reached(anchor, depth, time_budget=600)[0]


def _strata(
    store: GraphStore, inbound: bool, candidates: list[str], today: date, per: int
) -> dict[str, list[str]]:
    """Anchors grouped by the size of their real answer (depth 6, as of today)."""
    f = ResolvedFilters.from_request(Filters(as_of=today))
    n = store.stats().entities
    sizes = {
        node: len(
            store.best_paths(
                node,
                inbound=inbound,
                spec=Traversal(f, 6, 0.0, 600),
            ).ids()
        )
        for node in candidates
    }
    out: dict[str, list[str]] = {}
    for name, (low, high) in STRATA.items():
        lo = low * n if isinstance(low, float) else low
        hi = high if high is not None else n
        out[name] = [node for node, size in sizes.items() if lo <= size <= hi][:per]
    return out


def _core(store: GraphStore, anchor: str, inbound: bool, today: date) -> int:
    """The search itself: best paths, ranking, top-50 paths rebuilt (no evidence views)."""
    found = store.best_paths(
        anchor,
        inbound=inbound,
        spec=Traversal(ResolvedFilters.from_request(Filters(as_of=today)), 6, 0.0, 600),
    )
    return len(found.ranked(None, 0, 50)[1])


def _scaling(
    store: EmbeddedStore, exposure: dict[str, Any], today: date, repeat: int
) -> dict[str, Any]:
    """The giant exposure search with 1, 2, 4 … threads up to the usable cores (each owning
    a range of heads), and the speed-up over one thread: how the search scales on this
    machine. Empty when there is no giant stratum."""
    anchors = exposure.get("giant", {}).get("anchors") or []
    if not anchors:
        return {}
    index = store._ensure_index()  # noqa: SLF001 - the thread count is the index's
    ours = index.parts
    counts = sorted({1, *(2**k for k in range(1, 7) if 2**k < SEARCH_THREADS), SEARCH_THREADS})
    rows: dict[str, Any] = {}
    try:
        for parts in counts:
            index.parts = parts
            rows[str(parts)] = _summary(
                _time([partial(_core, store, t, False, today) for t in anchors], repeat)
            )
    finally:
        index.parts = ours
    one = rows["1"]["p50_ms"]
    for row in rows.values():
        row["speedup"] = one / row["p50_ms"] if row["p50_ms"] else None
    return rows


def _answer(eng: QueryEngine, anchor: str, inbound: bool, today: date) -> int:
    """The full API answer: top 50 with every hop's evidence."""
    if inbound:
        return len(eng.reach(ReachRequest(target=anchor, as_of=today, limit=50)).items)
    return len(eng.exposure(ExposureRequest(source=anchor, as_of=today, limit=50)).items)


#: Seconds one engine may spend on one row of the table (a stratum), warm-ups included. A slow
#: engine then gets fewer samples (``n`` in the report) instead of holding up the whole run.
ROW_BUDGET = 20.0


_BEGAN = time.perf_counter()


def _say(step: str) -> None:
    """Where a long run is (stderr, so the table on stdout stays clean)."""
    print(f"[{time.perf_counter() - _BEGAN:7.1f} s] {step}", file=sys.stderr, flush=True)


def _nx_paths(graph: Any, source: str, target: str) -> list[Any]:
    """networkx's five shortest simple paths by weight (the side-by-side baseline)."""
    return list(islice(nx.shortest_simple_paths(graph, source, target, weight="weight"), 5))


def _time(fns: list[Callable[[], Any]], repeat: int, budget: float = ROW_BUDGET) -> list[float]:
    """Milliseconds per call: each function warmed up once, then timed ``repeat`` times,
    stopping early (but never before one sample) once ``budget`` seconds are spent; a first
    call that alone overruns the budget is the one sample."""
    began = time.perf_counter()
    samples: list[float] = []
    for fn in fns:
        fn()  # warm-up (index build, caches, query plans)
        if not samples and time.perf_counter() - began > budget:
            return [(time.perf_counter() - began) * 1000]
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - start) * 1000)
            if time.perf_counter() - began > budget:
                return samples
    return samples


def _summary(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {}
    ordered = sorted(samples)
    return {
        "p50_ms": statistics.median(ordered),
        "p95_ms": ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
        "n": len(ordered),
    }


def _cold_start(path: Path, target: str) -> dict[str, float]:
    """Open the store and answer one query in a fresh process: time and peak RSS."""
    code = (
        "import time; t = time.perf_counter();"
        "from graphkit.store.embedded import EmbeddedStore;"
        "from graphkit.engine import QueryEngine; from graphkit.query import ReachRequest;"
        f"QueryEngine(EmbeddedStore({str(path)!r})).reach(ReachRequest(target={target!r}));"
        # VmHWM starts afresh at exec; ru_maxrss would carry over the parent's peak.
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1];"
        "print(time.perf_counter() - t, hwm)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    return {"seconds": float(out[0]), "peak_rss_mb": float(out[1]) / 1024}


def run(
    entities: int,
    neo4j_uri: str | None,
    out: Path,
    repeat: int = 3,
    per: int = 5,
    neo4j_local: Callable[..., object] | None = None,
    neo4j_transactions: bool = True,
) -> dict[str, Any]:
    """Run every measurement and return (and write) the report. With ``neo4j_local`` (runs
    ``scripts/neo4j-local`` for the server at ``neo4j_uri``) the Neo4j graph is then replaced
    by a bulk import of the same graph (timed too), and the Neo4j queries run on the import;
    ``neo4j_transactions=False`` skips the transactional load before it (at a million
    entities it takes longer than everything else together)."""
    shape = Shape(entities=entities)
    today = date.today()
    rng = random.Random(11)
    work = Path(tempfile.mkdtemp(prefix="graphkit-bench-"))
    report: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "graph": {"entities": entities},
        "ingest": {},
        "reach": {},
        "exposure": {},
        "paths": {},
    }
    embedded = EmbeddedStore(work / "bench.db")
    _say(f"generate {entities:,} entities as curated JSON lines")
    graph_file = work / "graph.jsonl"
    write_jsonl(shape, graph_file)
    _say("load into the embedded store (graphkit load: read, validate, write)")
    report["ingest"]["embedded"] = _ingest(embedded, graph_file)
    report["graph"]["relationships"] = report["ingest"]["embedded"]["relationships"]
    engines: dict[str, QueryEngine] = {"ours": QueryEngine(embedded, Settings(time_budget=600))}
    if neo4j_uri:
        neo = Neo4jStore(Settings(backend="neo4j", neo4j_uri=neo4j_uri))
        neo.wipe()
        if neo4j_transactions or neo4j_local is None:
            _say("load into Neo4j (graphkit load, through transactions)")
            report["ingest"]["neo4j"] = _ingest(neo, graph_file)
        if neo4j_local is not None:
            neo.close()
            _say("bulk import into Neo4j")
            report["ingest"]["neo4j_import"] = _bulk_import(
                embedded, neo4j_uri, work / "neo4j-import", neo4j_local
            )
            neo = Neo4jStore(Settings(backend="neo4j", neo4j_uri=neo4j_uri))
        engines["neo4j"] = QueryEngine(neo, Settings(time_budget=600))
    # Before the networkx baseline exists: its millions of Python objects would make every
    # garbage collection during the build slow, and that is the baseline's cost, not ours.
    _say("integrated ownership")
    report["ownership"] = _ownership(_stakes(shape), [f"e{i}" for i in range(shape.states)])
    _say("networkx graph")
    graph = _networkx(embedded, today)
    reverse = graph.reverse(copy=False)
    stores: dict[str, GraphStore] = {"ours": embedded}
    if neo4j_uri:
        stores["neo4j"] = engines["neo4j"].store
        # The previous plan (one statement per hop, best paths kept in the client) on the
        # same server in the same run: the figure the one-statement search is judged by.
        stores["neo4j_per_hop"] = Neo4jStore(
            Settings(backend="neo4j", neo4j_uri=neo4j_uri, neo4j_traversal="layers")
        )
    ours = engines["ours"]
    with ExitStack() as held:  # a run that fails midway still drops its GDS projections
        gds = _gds_projections(engines.get("neo4j"), today, report, held)
        hubs = [f"e{i}" for i in range(min(entities, 40))]  # early firms are the big holders
        sample = hubs + rng.sample([f"e{i}" for i in range(entities)], min(entities, 160))
        floors = {inbound: _arrays(embedded, inbound, today) for inbound in (False, True)}
        for query, inbound, nx_graph in (("reach", True, reverse), ("exposure", False, graph)):
            _say(f"{'reach' if inbound else 'exposure'}: strata and timings")
            strata = _strata(embedded, inbound, sample, today, per)
            report["reach" if inbound else "exposure"] = {}
            for name, targets in strata.items():
                row: dict[str, Any] = {"targets": len(targets), "anchors": targets}
                for store_name, st in stores.items():
                    row[store_name] = _summary(
                        _time(
                            [partial(_core, st, t, inbound, today) for t in targets],
                            repeat,
                        )
                    )
                row["networkx"] = _summary(
                    _time([partial(_nx_reach, nx_graph, t) for t in targets], repeat)
                )
                g = floors[inbound]
                row["scipy_floor"] = _summary(
                    _time([partial(_scipy_floor, g, t) for t in targets], repeat)
                )
                row["numpy_layers"] = _summary(
                    _time([partial(_numpy_layers, g, t) for t in targets], repeat)
                )
                if gds:
                    row["gds_bfs"] = _summary(
                        _time([partial(_gds_floor, gds[inbound], t) for t in targets], repeat)
                    )
                    for t in targets[:2]:  # the same arcs: the same set as the scipy floor's
                        assert _gds_floor(gds[inbound], t) == _scipy_floor(g, t), t
                for t in targets[:2]:  # the numpy search answers the same question as ours
                    assert _numpy_layers(g, t) == len(
                        embedded.best_paths(
                            t,
                            inbound=inbound,
                            spec=Traversal(ResolvedFilters.from_request(Filters(as_of=today)), 6),
                        ).ids()
                    ), t
                row["ours_full"] = _summary(
                    _time(
                        [partial(_answer, ours, t, inbound, today) for t in targets],
                        repeat,
                    )
                )
                report[query][name] = row
            if inbound:
                reach_strata = strata
        strata = reach_strata
        medium = strata.get("medium") or strata.get("small") or []
        pairs = []
        for t in medium[:3]:
            near = nx.single_source_shortest_path_length(reverse, t, cutoff=4)
            sources = sorted(n for n, d in near.items() if d >= 2)  # within our depth bound
            if sources:
                pairs.append((rng.choice(sources), t))
        _say("paths k=5")
        prow: dict[str, Any] = {"pairs": len(pairs)}
        for engine_name, eng in engines.items():
            prow[engine_name] = _summary(
                _time(
                    [
                        partial(
                            eng.paths,
                            PathsRequest(source=s, target=t, as_of=today, k=5, max_depth=4),
                        )
                        for s, t in pairs
                    ],
                    repeat,
                )
            )
        prow["networkx"] = _summary(
            _time(
                [partial(_nx_paths, graph, s, t) for s, t in pairs],
                repeat,
            )
        )
        prow["paths_found"] = [
            len(
                engines["ours"]
                .paths(PathsRequest(source=s, target=t, as_of=today, k=5, max_depth=4))
                .paths
            )
            for s, t in pairs
        ]
        report["paths"]["k5"] = prow
    report["scaling"] = _scaling(embedded, report["exposure"], today, repeat)
    any_target = next((t for ts in strata.values() for t in ts), "e0")
    embedded.close()
    _say("cold start")
    report["cold_start"] = _cold_start(work / "bench.db", any_target)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    (out / "bench.md").write_text(markdown(report), encoding="utf-8")
    return report


def _cell(row: dict[str, Any], key: str) -> str:
    s = row.get(key) or {}
    return f"{_ms(s['p50_ms'])} / {_ms(s['p95_ms'])}" if s else "—"


def _ms(value: float) -> str:
    """Milliseconds with the digits that matter (sub-millisecond answers are common)."""
    return f"{value:.2f}" if value < 10 else f"{value:,.0f}"


def _ratio(row: dict[str, Any], a: str, b: str) -> str:
    x, y = (row.get(a) or {}).get("p50_ms"), (row.get(b) or {}).get("p50_ms")
    return f"{y / x:.1f}×" if x and y else "—"


def markdown(report: dict[str, Any]) -> str:
    """The report as a markdown table (p50 / p95 in milliseconds)."""
    g, m = report["graph"], report["machine"]
    lines = [
        f"Graph: {g['entities']:,} entities, {g['relationships']:,} relationships. "
        f"Machine: {m['cpus']} CPUs, Python {m['python']}.",
        "",
        "Search = best paths at depth 6 as of today, ranked, top-50 paths rebuilt (what the "
        "networkx baseline does); full answer = our API result with every hop's evidence.",
        "",
        "Beside them, two limits on the same arcs: numpy layers = the same strongest-path "
        "question vectorised with numpy a layer at a time (exact strengths, no ranking or "
        "paths); scipy floor = a breadth-first search in C of who is within 6 hops at all.",
        "",
        "Neo4j = the backend's one-statement search in the server; Neo4j per hop = its "
        "previous plan (a statement per hop, best paths kept in the client), same server; "
        "GDS BFS = where the server has Graph Data Science, its breadth-first search of who "
        "is within 6 hops on a projection of the same arcs (the server's own floor).",
        "",
        "| query | stratum | ours: search | ours: full answer | networkx | Neo4j "
        "| Neo4j per hop | GDS BFS | numpy layers | scipy floor | networkx ÷ ours "
        "| Neo4j ÷ ours | per hop ÷ Neo4j | Neo4j ÷ GDS | ours ÷ floor |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for query in ("reach", "exposure"):
        for name, row in report[query].items():
            if not row["targets"]:
                continue
            lines.append(
                f"| {query} | {name} ({row['targets']} anchors) | {_cell(row, 'ours')} | "
                f"{_cell(row, 'ours_full')} | {_cell(row, 'networkx')} | "
                f"{_cell(row, 'neo4j')} | {_cell(row, 'neo4j_per_hop')} | "
                f"{_cell(row, 'gds_bfs')} | "
                f"{_cell(row, 'numpy_layers')} | {_cell(row, 'scipy_floor')} | "
                f"{_ratio(row, 'ours', 'networkx')} | {_ratio(row, 'ours', 'neo4j')} | "
                f"{_ratio(row, 'neo4j', 'neo4j_per_hop')} | {_ratio(row, 'gds_bfs', 'neo4j')} | "
                f"{_ratio(row, 'scipy_floor', 'ours')} |"
            )
    row = report["paths"]["k5"]
    lines.append(
        f"| paths k=5 | {row['pairs']} pairs | {_cell(row, 'ours')} | — | "
        f"{_cell(row, 'networkx')} | {_cell(row, 'neo4j')} | — | — | — | — | "
        f"{_ratio(row, 'ours', 'networkx')} | {_ratio(row, 'ours', 'neo4j')} | — | — | — |"
    )
    lines.append("")
    if report.get("gds"):
        gd = report["gds"]
        lines.append(
            f"GDS {gd['version']}: projecting the {gd['arcs']:,} arcs in force today over "
            f"{gd['nodes']:,} entities took {gd['projection_seconds']:.1f} s a direction."
        )
    for name, ing in report["ingest"].items():
        steps = (
            f" (importer files {ing['files_seconds']:.1f} s, offline import and start "
            f"{ing['import_seconds']:.1f} s, constraints and indexes {ing['schema_seconds']:.1f} s)"
            if "files_seconds" in ing
            else ""
        )
        lines.append(
            f"Load {name}: {ing['per_second']:,.0f} relationships/s "
            f"({ing['seconds']:.1f} s){steps}."
        )
    own = report["ownership"]
    lines.append(
        f"Integrated ownership of all {own['firms']:,} firms by {own['holders']} state bodies "
        f"({own['stakes']:,} stakes): {own['seconds']:.2f} s; process peak RSS "
        f"{own['peak_rss_mb']:,.0f} MB."
    )
    if report.get("scaling"):
        curve = ", ".join(
            f"{p} thread(s) {_ms(r['p50_ms'])} ms ({r['speedup']:.2f}×)"
            for p, r in report["scaling"].items()
        )
        lines.append(f"Giant exposure search by threads (p50): {curve}.")
    cs = report["cold_start"]
    lines.append(
        f"Cold start (new process: open the store, first reach): {cs['seconds']:.2f} s, peak "
        f"RSS {cs['peak_rss_mb']:,.0f} MB."
    )
    return "\n".join(lines) + "\n"


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entities", type=int, default=10_000)
    parser.add_argument("--neo4j", default=None, help="Bolt URI of a server to WIPE and use.")
    parser.add_argument(
        "--neo4j-local",
        action="store_true",
        help="That server is scripts/neo4j-local's: also time a bulk import into it.",
    )
    parser.add_argument(
        "--no-neo4j-transactions",
        action="store_true",
        help="With --neo4j-local: load Neo4j only by the bulk import (skip the slow "
        "transactional load).",
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("out/bench"))
    args = parser.parse_args()
    report = run(
        args.entities,
        args.neo4j,
        args.out,
        repeat=args.repeat,
        neo4j_local=neo4j_local if args.neo4j_local else None,
        neo4j_transactions=not args.no_neo4j_transactions,
    )
    print(markdown(report))


if __name__ == "__main__":
    main()
