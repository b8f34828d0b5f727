// Every relationship of the given types that passes the filters, for whole-graph analytics
// (centrality, brokers). $types: relationship types; filters as in expand_into.cypher.
// Cost: one scan of the relationships; the caller bounds it with the transaction timeout.
MATCH (a:Entity)-[r]->(b:Entity)
WHERE type(r) IN $types
  AND (r.since IS NULL OR r.since <= $as_of)
  AND (r.until IS NULL OR r.until >= $as_of)
  AND ($min_confidence IS NULL OR r.confidence >= $min_confidence)
  AND ($known_by IS NULL OR r.known <= $known_by OR (r.known IS NULL AND $include_undated))
RETURN a.id AS source, b.id AS target, type(r) AS type, r.id AS rel, r.strength AS strength
ORDER BY rel
