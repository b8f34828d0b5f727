// Stored bodies for ids of one label kind, to count created / updated / unchanged.
// {{label}} is one of Entity, Claim, Source. $ids: list of ids.
UNWIND $ids AS id
MATCH (n:{{label}} {id: id})
RETURN n.id AS id, n.body AS body
