// Every entity's id and normalised search text (id | name | aliases), for typo-tolerant
// search; read once per data version by the engine and kept in memory.
MATCH (e:Entity)
RETURN e.id AS id, e.search AS search
