// Count one more change to the stored data: the data version that caches and citations
// compare (one node, updated inside the writing transaction). A database's first change
// starts from $first (the clock), so a database made again never repeats a version.
MERGE (m:GraphkitMeta {key: 'generation'})
SET m.value = toString(coalesce(toInteger(m.value) + 1, $first))
