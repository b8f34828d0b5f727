// Upsert entities of one kind; {{kind}} is an allow-listed EntityKind label.
// $rows: [{id, name, search, body}]. Other kind labels are removed so a kind change is clean.
UNWIND $rows AS row
MERGE (e:Entity {id: row.id})
SET e.kind = '{{kind}}', e.name = row.name, e.search = row.search, e.body = row.body
REMOVE e{{other_kinds}}
SET e:{{kind}}
