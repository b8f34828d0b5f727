// Entities holding any of the identifier keys. $keys: list of keys. Index lookups only.
UNWIND $keys AS key
MATCH (:IdKey {key: key})<-[:IDENTIFIED_BY]-(e:Entity)
RETURN key, e.id AS id
ORDER BY key, id
