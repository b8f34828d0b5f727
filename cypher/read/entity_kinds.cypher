// Kinds of existing entities. $ids: entity ids. Index lookups only.
UNWIND $ids AS id
MATCH (e:Entity {id: id})
RETURN e.id AS id, e.kind AS kind
