// Idempotent schema set-up: uniqueness on ids, a text index for name search.
// Statements are separated by ';' and run one by one.
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE;
CREATE CONSTRAINT claim_id IF NOT EXISTS FOR (c:Claim) REQUIRE c.id IS UNIQUE;
CREATE CONSTRAINT source_id IF NOT EXISTS FOR (s:Source) REQUIRE s.id IS UNIQUE;
CREATE TEXT INDEX entity_search IF NOT EXISTS FOR (e:Entity) ON (e.search);
CREATE INDEX entity_name IF NOT EXISTS FOR (e:Entity) ON (e.name)
;
CREATE CONSTRAINT idkey_key IF NOT EXISTS FOR (i:IdKey) REQUIRE i.key IS UNIQUE;
CREATE CONSTRAINT merge_merged IF NOT EXISTS FOR (m:Merge) REQUIRE m.merged IS UNIQUE;
CREATE CONSTRAINT meta_key IF NOT EXISTS FOR (m:GraphkitMeta) REQUIRE m.key IS UNIQUE
