// Record one value of the store's own bookkeeping.
MERGE (m:GraphkitMeta {key: $key})
SET m.value = $value
