// Count one more change to the stored data: the data version that caches and citations
// compare (one node, updated inside the writing transaction).
MERGE (m:GraphkitMeta {key: 'generation'})
SET m.value = toString(coalesce(toInteger(m.value), 0) + 1)
