-- Up Migration

-- Search is case- and accent-insensitive ("creme" finds "Crème"): unaccent folds accents and
-- pg_trgm indexes substrings and ranks by similarity. Both ship with PostgreSQL (contrib) and
-- are trusted extensions, so a database owner without superuser can create them on a host.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent() is only STABLE (its dictionary could be edited), so it cannot feed an index or a
-- generated column. This wrapper names the dictionary and is declared IMMUTABLE. The
-- SQL-standard body is bound when created, so it keeps working under the empty search_path
-- that pg_dump sets while restoring a backup.
CREATE FUNCTION search_normalize(value text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN lower(unaccent('unaccent'::regdictionary, value));

COMMENT ON FUNCTION search_normalize(text) IS
  'Lower case without accents: apply it to both the stored text and the query.';

-- Down Migration

DROP FUNCTION search_normalize(text);
DROP EXTENSION IF EXISTS pg_trgm;
DROP EXTENSION IF EXISTS unaccent;
