// Records of one label in id order after $after, at most $limit (whole-store reports and
// exports, in pages; the id constraint's index gives the order). {{label}} is one of
// Entity, Claim, Source.
MATCH (n:{{label}})
WHERE n.id > $after
RETURN n.id AS id, n.body AS body
ORDER BY n.id
LIMIT $limit
