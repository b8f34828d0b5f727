// One layer (hop) of best_paths.cypher, written there once per hop. From each frontier state,
// the steps placeholder walks the arcs along which influence flows (typed expansions built by
// graphkit.steps_cypher from the schema's flows); the filter placeholder is graphkit.filters'
// predicate on r, and the strength placeholder r's strength (graphkit.steps_cypher: stored, or
// under a profile its rule with the profile's numbers as $parameters). The candidates and the
// best states so far are grouped by entity in one aggregation, and min() keeps the smallest
// state: the highest k, then fewer hops (an older best wins ties), then the smaller
// relationship ids. Entities whose best now has this layer's hop count form the next
// frontier; with no frontier the layer passes `best` through untouched.
// Cost: the degree of the frontier plus |best|.
CALL (best, frontier) {
  CALL (best, frontier) {
    UNWIND CASE WHEN size(frontier) = 0 THEN [] ELSE best END AS b
    RETURN b[4] AS m, b AS state
    UNION ALL
    UNWIND frontier AS f
    WITH f, f[4] AS n
    CALL (n) {
      {{steps}}
    }
    WITH f, r, m
    WHERE {{filter}}
    WITH f, r, m, f[3] * {{strength}} AS s
    WHERE s > 0.0 AND s >= $min_strength
    RETURN m, [-round(s * 1.0e12, 0, 'HALF_EVEN'), f[1] + 1, f[2] + r.id, s, m] AS state
  }
  WITH m, min(state) AS state
  RETURN collect(state) AS merged
}
WITH CASE WHEN size(frontier) = 0 THEN best ELSE merged END AS best, frontier[0][1] + 1 AS depth
WITH best, [b IN best WHERE b[1] = depth] AS frontier
