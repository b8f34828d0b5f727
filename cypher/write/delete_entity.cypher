// Remove an entity that no relationship touches any more; returns how many were removed.
MATCH (e:Entity {id: $id})
WHERE NOT EXISTS { (e)-[]-(:Entity) }
DETACH DELETE e
RETURN count(*) AS deleted
