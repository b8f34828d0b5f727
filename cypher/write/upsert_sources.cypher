// Upsert source documents by id. $rows: [{id, body}]. One MERGE per row (unique index).
UNWIND $rows AS row
MERGE (s:Source {id: row.id})
SET s.body = row.body
