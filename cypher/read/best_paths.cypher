// The best path between $anchor and every entity within the search's depth, in one statement:
// the layered search of graphkit.traversal.best_paths_layered run inside the server, so only
// the answer travels, as parallel lists of ids, kinds, strengths and relationship ids (ranked
// by the client in one vectorised sort: ordering rows here costs more), never a frontier.
// The layers placeholder is best_paths_layer.cypher written once per hop (a bounded integer
// of copies). A state is a list [-k, hops, relationship ids from the anchor outward,
// strength, entity] where k is the strength as an integer number of 1e-12 (half to even, as
// graphkit.traversal.strength_key): lists compare element by element, so the smallest state
// of an entity is its best path in graphkit.traversal's order. `best` holds every reached
// entity's best state, `frontier` those that improved in the last layer. The transaction
// timeout bounds the time.
MATCH (a:Entity {id: $anchor})
WITH [[-1.0e12, 0, [], 1.0, a]] AS best
WITH best, best AS frontier
{{layers}}
WITH [b IN best WHERE b[1] > 0] AS found
RETURN [b IN found | b[4].id] AS ids, [b IN found | b[4].kind] AS kinds,
       [b IN found | b[3]] AS strengths, [b IN found | b[2]] AS rels
