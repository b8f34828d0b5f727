// Node and relationship counts of the whole database (re-ingest must leave them unchanged).
RETURN COUNT { () } AS nodes, COUNT { ()-[]->() } AS relationships
