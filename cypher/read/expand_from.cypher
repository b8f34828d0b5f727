// One layer of a best-path search: the influence arcs at each frontier node that pass the
// filters, walking forwards: what each frontier node influences.
// $frontier: entity ids. $forward/$reverse/$both: relationship types by flow (schema table),
// already narrowed to the requested types. The filter placeholder is graphkit.filters'
// predicate on r (validity on $as_of, $min_confidence, $known_by with $include_undated;
// every value a parameter). Cost: the degree of the frontier.
UNWIND $frontier AS id
MATCH (n:Entity {id: id})-[r]-(m:Entity)
WHERE {{filter}}
  AND ((type(r) IN $forward AND startNode(r) = n) OR (type(r) IN $reverse AND endNode(r) = n)
       OR type(r) IN $both)
RETURN n.id AS node, m.id AS other, r.id AS rel, r.strength AS strength,
       type(r) AS type, r.share AS share, r.conf AS conf, r.confidence AS confidence
