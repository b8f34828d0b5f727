// Relationships of any type touching the given entities, by id, at most $limit.
// $ids: entity ids.
UNWIND $ids AS id
MATCH (:Entity {id: id})-[r]-(:Entity)
WITH DISTINCT r.id AS rid
ORDER BY rid
LIMIT $limit
MATCH (c:Claim {id: rid})
RETURN c.id AS id, c.body AS body
ORDER BY id
