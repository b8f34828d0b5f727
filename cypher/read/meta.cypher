// One value of the store's own bookkeeping (e.g. the schema fingerprint), or no row.
MATCH (m:GraphkitMeta {key: $key})
RETURN m.value AS value
