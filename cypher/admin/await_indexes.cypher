// Wait until every index is online, at most $seconds (fails with a clear error after that).
CALL db.awaitIndexes($seconds)
