// One layer of a best-path search: the influence arcs at each frontier node that pass the
// filters, walking forwards: what each frontier node influences.
// $frontier: entity ids. $forward/$reverse/$both: relationship types by flow (schema table),
// already narrowed to the requested types. $as_of, $known_by: ISO dates (strings compare in
// date order); $include_undated: whether relationships whose sources carry no date pass
// known_by; $min_confidence: number or null. Cost: the degree of the frontier.
UNWIND $frontier AS id
MATCH (n:Entity {id: id})-[r]-(m:Entity)
WHERE (r.since IS NULL OR r.since <= $as_of)
  AND (r.until IS NULL OR r.until >= $as_of)
  AND ($min_confidence IS NULL OR r.confidence >= $min_confidence)
  AND ($known_by IS NULL OR r.known <= $known_by OR (r.known IS NULL AND $include_undated))
  AND ((type(r) IN $forward AND startNode(r) = n) OR (type(r) IN $reverse AND endNode(r) = n)
       OR type(r) IN $both)
RETURN n.id AS node, m.id AS other, r.id AS rel, r.strength AS strength,
       type(r) AS type, r.share AS share, r.conf AS conf, r.confidence AS confidence
