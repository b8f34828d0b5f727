// The Graph Data Science library's version (only run where cypher/gds/version.cypher found it).
RETURN gds.version() AS version
