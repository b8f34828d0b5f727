// Upsert relationship records (claims) and their citations of sources.
// $rows: [{id, type, source, target, body, cites: [{source, stance}]}].
UNWIND $rows AS row
MERGE (c:Claim {id: row.id})
SET c.type = row.type, c.source = row.source, c.target = row.target, c.body = row.body
WITH c, row
OPTIONAL MATCH (c)-[old:CITES]->(:Source)
DELETE old
WITH DISTINCT c, row
UNWIND row.cites AS cite
MATCH (s:Source {id: cite.source})
MERGE (c)-[k:CITES {stance: cite.stance}]->(s)
