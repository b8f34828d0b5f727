// Entities in id order after $after, at most $limit (whole-store reports, in pages).
MATCH (e:Entity)
WHERE e.id > $after
RETURN e.id AS id, e.body AS body
ORDER BY e.id
LIMIT $limit
