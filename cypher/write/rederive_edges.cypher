// Set the values derived from the schema table on typed edges of one relationship type;
// {{type}} is an allow-listed RelType. $rows: [{id, source, strength, confidence, share, conf}].
UNWIND $rows AS row
MATCH (:Entity {id: row.source})-[r:{{type}} {id: row.id}]->()
SET r.strength = row.strength, r.confidence = row.confidence, r.share = row.share,
    r.conf = row.conf
RETURN count(r) AS written
