// Entities whose normalised id/name/aliases contain every token (TEXT index on the first).
// $first: the longest token; $tokens: all tokens; $limit: cap on candidates.
MATCH (e:Entity)
WHERE e.search CONTAINS $first AND all(t IN $tokens WHERE e.search CONTAINS t)
RETURN e.id AS id, e.body AS body
ORDER BY id
LIMIT $limit
