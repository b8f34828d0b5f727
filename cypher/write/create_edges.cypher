// Create typed edges of one relationship type for relationships new to the store;
// {{type}} is an allow-listed RelType. $rows: [{id, source, target, strength, since, until,
// confidence, known, share, conf}] (share and conf: what an influence profile weighs again).
// Returns how many were written, so missing endpoints are caught.
UNWIND $rows AS row
MATCH (a:Entity {id: row.source})
MATCH (b:Entity {id: row.target})
CREATE (a)-[r:{{type}} {id: row.id, strength: row.strength, since: row.since,
    until: row.until, confidence: row.confidence, known: row.known, share: row.share,
    conf: row.conf}]->(b)
RETURN count(r) AS written
