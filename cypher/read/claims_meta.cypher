// Type and endpoints of stored relationships, to find rewrites. $ids: relationship ids.
UNWIND $ids AS id
MATCH (c:Claim {id: id})
RETURN c.id AS id, c.type AS type, c.source AS source, c.target AS target
