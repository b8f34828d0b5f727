// One layer (hop) of best_paths.cypher, written there once per hop. From each frontier state,
// the steps placeholder walks the arcs along which influence flows (typed expansions built by
// graphkit.steps_cypher from the schema's flows); the filter placeholder is graphkit.filters'
// predicate on r, and the strength placeholder r's strength (graphkit.steps_cypher: stored, or
// under a profile its rule with the profile's numbers as $parameters). Per reached entity the
// candidate with the highest k wins, ties going to the smaller relationship-id list (all
// candidates of a layer have the same hops); it replaces the entity's best only if its k is
// higher (an older best has fewer hops and wins ties), and the entities it replaced form the
// next frontier. Cost: the degree of the frontier plus |best|.
CALL (best, frontier) {
  UNWIND frontier AS f
  WITH f, f.n AS n
  CALL (n) {
    {{steps}}
  }
  WITH f, r, m
  WHERE {{filter}}
  WITH m, f.h + 1 AS h, f.rels + r.id AS rels, f.s * {{strength}} AS s
  WHERE s > 0.0 AND s >= $min_strength
  WITH m, h, collect({n: m, s: s, k: round(s * 1.0e12, 0, 'HALF_EVEN'), h: h, rels: rels}) AS cs
  WITH h, reduce(w = head(cs), c IN tail(cs) |
         CASE WHEN c.k > w.k OR (c.k = w.k AND c.rels < w.rels) THEN c ELSE w END) AS c
  WITH collect(c) AS layer, max(h) AS depth
  CALL (best, layer, depth) {
    WITH * WHERE size(layer) > 0
    UNWIND best + layer AS x
    WITH depth, x.n AS node, collect(x) AS xs
    WITH depth, CASE WHEN size(xs) = 1 THEN xs[0]
                     WHEN xs[0].h = depth THEN CASE WHEN xs[0].k > xs[1].k THEN xs[0] ELSE xs[1] END
                     ELSE CASE WHEN xs[1].k > xs[0].k THEN xs[1] ELSE xs[0] END END AS w
    RETURN collect(w) AS merged, collect(CASE WHEN w.h = depth THEN w END) AS improved
  }
  RETURN CASE WHEN size(layer) = 0 THEN best ELSE merged END AS next_best, improved
}
WITH next_best AS best, improved AS frontier
