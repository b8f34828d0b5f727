// Set the values derived from the schema table on typed edges of one relationship type;
// {{type}} is an allow-listed RelType. $rows: [{id, source, strength, confidence}].
UNWIND $rows AS row
MATCH (:Entity {id: row.source})-[r:{{type}} {id: row.id}]->()
SET r.strength = row.strength, r.confidence = row.confidence
RETURN count(r) AS written
