// The $k best simple influence paths from $source to $target of at most {{max_depth}} hops (a
// bounded integer), ranked in the server in graphkit.traversal's order: strength (the product
// of the hops' strengths, compared at 1e-12 half to even), then fewer hops, then relationship
// ids; only those $k travel. Each hop x→y must carry influence from x to y per the schema table
// and pass graphkit.filters' predicate (the filter placeholder); the strength placeholder is a
// hop's strength (graphkit.steps_cypher). The transaction timeout caps the time.
MATCH (s:Entity {id: $source}), (t:Entity {id: $target})
MATCH p = (s)((x:Entity)-[r]-(y:Entity)
    WHERE ((type(r) IN $forward AND startNode(r) = x) OR (type(r) IN $reverse AND endNode(r) = x)
           OR type(r) IN $both)
      AND {{filter}}
  ){1,{{max_depth}}}(t)
WITH p, nodes(p) AS ns
WHERE all(i IN range(0, size(ns) - 2) WHERE NOT ns[i] IN ns[i + 1..])
WITH [rel IN relationships(p) | rel.id] AS rels,
     reduce(acc = 1.0, hop IN relationships(p) | acc * {{strength}}) AS strength
WHERE strength > 0.0 AND strength >= $min_strength
RETURN rels, strength
ORDER BY round(strength * 1.0e12, 0, 'HALF_EVEN') DESC, size(rels), rels
LIMIT $k
