// Project into GDS's in-memory catalog, under the name $graph, the influence arcs a search
// may walk: every relationship of the requested types ($forward, $reverse, $both as in
// best_paths_layer.cypher) that passes graphkit.filters' predicate (the filter placeholder)
// and has a hop strength above zero (the strength placeholder), turned into arcs along the
// schema's flow (against it when $inbound), plus every entity, so an anchor without arcs is
// still a node. GDS's traversals then read the same arcs the Cypher search does.
// Cost: one scan of the relationships and the entities; the transaction timeout caps it.
CALL () {
  MATCH (x:Entity)-[r]->(y:Entity)
  WHERE (type(r) IN $forward OR type(r) IN $reverse OR type(r) IN $both)
    AND {{filter}}
    AND {{strength}} > 0.0
  UNWIND CASE WHEN type(r) IN $forward THEN [[x, y]]
              WHEN type(r) IN $reverse THEN [[y, x]]
              ELSE [[x, y], [y, x]] END AS arc
  RETURN CASE WHEN $inbound THEN arc[1] ELSE arc[0] END AS tail,
         CASE WHEN $inbound THEN arc[0] ELSE arc[1] END AS head
  UNION ALL
  MATCH (x:Entity)
  RETURN x AS tail, null AS head
}
WITH gds.graph.project($graph, tail, head) AS g
RETURN g.nodeCount AS nodes, g.relationshipCount AS arcs
