// Upsert typed edges of one relationship type; {{type}} is an allow-listed RelType.
// $rows: [{id, source, target, strength, since, until, confidence, known, share, conf}].
UNWIND $rows AS row
MATCH (a:Entity {id: row.source})
MATCH (b:Entity {id: row.target})
MERGE (a)-[r:{{type}} {id: row.id}]->(b)
SET r.strength = row.strength, r.since = row.since, r.until = row.until,
    r.confidence = row.confidence, r.known = row.known, r.share = row.share, r.conf = row.conf
RETURN count(r) AS written
