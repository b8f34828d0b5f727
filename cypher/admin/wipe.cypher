// Delete every relationship, then every node, in batches (Neo4jStore.wipe: tests only).
// Relationships go first: a DETACH DELETE of a node cited by hundreds of thousands of claims
// would delete all its relationships in one inner transaction and exceed the memory pool.
MATCH ()-[r]->()
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS;

MATCH (n)
CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS;
