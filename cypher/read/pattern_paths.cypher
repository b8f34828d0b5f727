// Every simple path that a path pattern admits, with one end at $anchor (and the other at
// $target when given). The placeholder below is the MATCH clauses graphkit.pattern_cypher
// compiles from a parsed pattern: node labels and relationship types from the schema's allow-lists,
// repetition bounds as integers, every value a $parameter. Each hop carries influence in the
// pattern's direction and passes the filters as in simple_paths.cypher. The end entities are
// bound as `first` and `last`; $max_paths caps the rows, the transaction timeout the time.
{{pattern}}
WITH first, last, p, nodes(p) AS ns
WHERE length(p) >= 1 AND length(p) <= $max_depth
  AND all(i IN range(0, size(ns) - 2) WHERE NOT ns[i] IN ns[i + 1..])
RETURN first.id AS first, last.id AS last,
       [rel IN relationships(p) | rel.id] AS rels,
       [rel IN relationships(p) | rel.strength] AS strengths,
       [rel IN relationships(p) | [type(rel), rel.share, rel.conf, rel.confidence]] AS facts
LIMIT $max_paths
