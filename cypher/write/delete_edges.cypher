// Remove the typed edges of relationships about to be rewritten (type or endpoints changed).
// $ids: relationship ids. Bounded by the claim index: one lookup per id.
UNWIND $ids AS id
MATCH (c:Claim {id: id})
MATCH (:Entity {id: c.source})-[r]->(:Entity {id: c.target})
WHERE r.id = id
DELETE r
