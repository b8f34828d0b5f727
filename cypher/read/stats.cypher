// Counts of what the store holds.
RETURN COUNT { (:Entity) } AS entities, COUNT { (:Claim) } AS relationships,
       COUNT { (:Source) } AS sources
