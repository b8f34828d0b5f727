// Every simple influence path from $source to $target of at most {{max_depth}} hops (a bounded
// integer), for the k-best ranking done by graphkit.traversal. Each hop x→y must carry
// influence from x to y per the schema table and pass graphkit.filters' predicate (the filter
// placeholder). $max_paths caps the rows; the transaction timeout caps the time.
MATCH (s:Entity {id: $source}), (t:Entity {id: $target})
MATCH p = (s)((x:Entity)-[r]-(y:Entity)
    WHERE ((type(r) IN $forward AND startNode(r) = x) OR (type(r) IN $reverse AND endNode(r) = x)
           OR type(r) IN $both)
      AND {{filter}}
  ){1,{{max_depth}}}(t)
WITH p, nodes(p) AS ns
WHERE all(i IN range(0, size(ns) - 2) WHERE NOT ns[i] IN ns[i + 1..])
RETURN [rel IN relationships(p) | rel.id] AS rels,
       [rel IN relationships(p) | rel.strength] AS strengths,
       [rel IN relationships(p) | [type(rel), rel.share, rel.conf, rel.confidence]] AS facts
LIMIT $max_paths
