// Whether the server has the Graph Data Science library: its version function is listed.
// (Calling gds.version() on a server without it fails to compile, so this comes first.)
SHOW FUNCTIONS YIELD name WHERE name = 'gds.version'
RETURN count(*) > 0 AS present
