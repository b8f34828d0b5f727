// Record that $merged is $canonical ($reason), and repoint earlier merges into $merged.
MERGE (m:Merge {merged: $merged})
SET m.canonical = $canonical, m.reason = $reason
WITH m
OPTIONAL MATCH (earlier:Merge {canonical: $merged})
SET earlier.canonical = $canonical
