-- Up Migration

-- Telegram accounts have a last name too: it is recorded with the first name, and the admin search
-- by name reads both. search_text is a generated column: it is rebuilt to include the last name,
-- with its index.
ALTER TABLE users ADD COLUMN last_name text NOT NULL DEFAULT '';
DROP INDEX users_search_idx;
ALTER TABLE users DROP COLUMN search_text;
ALTER TABLE users ADD COLUMN search_text text GENERATED ALWAYS AS (
  search_normalize(coalesce(username, '') || ' ' || first_name || ' ' || last_name)
) STORED;
CREATE INDEX users_search_idx ON users USING gin (search_text gin_trgm_ops);

-- Down Migration

DROP INDEX users_search_idx;
ALTER TABLE users DROP COLUMN search_text;
ALTER TABLE users ADD COLUMN search_text text GENERATED ALWAYS AS (
  search_normalize(coalesce(username, '') || ' ' || first_name)
) STORED;
CREATE INDEX users_search_idx ON users USING gin (search_text gin_trgm_ops);
ALTER TABLE users DROP COLUMN last_name;
