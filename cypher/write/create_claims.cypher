// Create relationship records (claims) the store has never held, with their citations.
// $rows: [{id, type, source, target, body, cites: [{source, stance}]}], ids known to be new
// (read in the same transaction; the claim_id constraint refuses a duplicate). CREATE skips
// the lookups MERGE pays, which is most of a first load.
UNWIND $rows AS row
CREATE (c:Claim {id: row.id, type: row.type, source: row.source, target: row.target, body: row.body})
WITH c, row
UNWIND row.cites AS cite
MATCH (s:Source {id: cite.source})
CREATE (c)-[:CITES {stance: cite.stance}]->(s)
