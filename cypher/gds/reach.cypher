// Who is within $max_depth arcs of $anchor on the projection $graph (cypher/gds/project.cypher),
// by GDS's breadth-first search: how many, and their ids when $ids is true (the count alone
// is what the benchmark times, as the server's floor for a reach set).
MATCH (a:Entity {id: $anchor})
CALL gds.bfs.stream($graph, {sourceNode: a, maxDepth: $max_depth})
YIELD nodeIds
RETURN size(nodeIds) - 1 AS reached,
       CASE WHEN $ids THEN [n IN gds.util.asNodes(nodeIds[1..]) | n.id] END AS ids
