// Remove the projection $graph from GDS's catalog (no error when it is already gone).
CALL gds.graph.drop($graph, false) YIELD graphName
RETURN graphName
