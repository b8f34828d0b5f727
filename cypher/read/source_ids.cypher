// Which of $ids exist as sources.
UNWIND $ids AS id
MATCH (s:Source {id: id})
RETURN s.id AS id
