// The best path between $anchor and every entity within the search's depth, in one statement:
// the layered search of graphkit.traversal.best_paths_layered run inside the server, so only
// the answer travels (ids, strengths and relationship ids as three parallel lists), never a
// frontier. The layers placeholder is best_paths_layer.cypher written once per hop (a bounded
// integer of copies). A state is a map {n: entity, s: strength, k: strength as an integer
// number of 1e-12 (half to even, as graphkit.traversal.strength_key), h: hops, rels: relationship
// ids from the anchor outward}; `best` holds every entity's best state so far, `frontier` those
// that improved in the last layer. The transaction timeout bounds the time.
MATCH (a:Entity {id: $anchor})
WITH [{n: a, s: 1.0, k: 1.0e12, h: 0, rels: []}] AS best
WITH best, best AS frontier
{{layers}}
WITH [b IN best WHERE b.h > 0] AS found
RETURN [b IN found | b.n.id] AS ids, [b IN found | b.s] AS strengths, [b IN found | b.rels] AS rels
