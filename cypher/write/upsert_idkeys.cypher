// Replace the identifier keys of entities (entity resolution looks them up by key).
// $rows: [{id, keys: [scheme:value…]}]. IdKey nodes are shared by every entity holding the key.
UNWIND $rows AS row
MATCH (e:Entity {id: row.id})
OPTIONAL MATCH (e)-[old:IDENTIFIED_BY]->(:IdKey)
DELETE old
WITH DISTINCT e, row
UNWIND row.keys AS key
MERGE (i:IdKey {key: key})
MERGE (e)-[:IDENTIFIED_BY]->(i)
