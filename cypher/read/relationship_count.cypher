// How many relationships touch one entity. $id: entity id.
MATCH (e:Entity {id: $id})
RETURN COUNT { (e)-[]-(:Entity) } AS n
