// Every simple influence path from $source to $target of at most {{max_depth}} hops (a bounded
// integer), for the k-best ranking done by graphkit.traversal. Each hop x→y must carry
// influence from x to y per the schema table; filters as in expand_into.cypher. $max_paths caps
// the rows; the transaction timeout caps the time.
MATCH (s:Entity {id: $source}), (t:Entity {id: $target})
MATCH p = (s)((x:Entity)-[r]-(y:Entity)
    WHERE ((type(r) IN $forward AND startNode(r) = x) OR (type(r) IN $reverse AND endNode(r) = x)
           OR type(r) IN $both)
      AND (r.since IS NULL OR r.since <= $as_of)
      AND (r.until IS NULL OR r.until >= $as_of)
      AND ($min_confidence IS NULL OR r.confidence >= $min_confidence)
      AND ($known_by IS NULL OR r.known <= $known_by OR (r.known IS NULL AND $include_undated))
  ){1,{{max_depth}}}(t)
WITH p, nodes(p) AS ns
WHERE all(i IN range(0, size(ns) - 2) WHERE NOT ns[i] IN ns[i + 1..])
RETURN [rel IN relationships(p) | rel.id] AS rels,
       [rel IN relationships(p) | rel.strength] AS strengths,
       [rel IN relationships(p) | [type(rel), rel.share, rel.conf, rel.confidence]] AS facts
LIMIT $max_paths
