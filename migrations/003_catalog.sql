-- Up Migration

CREATE TABLE categories (
  id integer GENERATED ALWAYS AS IDENTITY,
  slug text NOT NULL,
  name_fr text NOT NULL,
  name_en text NOT NULL,
  emoji text NOT NULL DEFAULT '',
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT categories_pkey PRIMARY KEY (id),
  CONSTRAINT categories_slug_key UNIQUE (slug),
  CONSTRAINT categories_slug_check CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND char_length(slug) <= 50),
  CONSTRAINT categories_name_check CHECK (
    char_length(name_fr) BETWEEN 1 AND 50 AND char_length(name_en) BETWEEN 1 AND 50
  ),
  CONSTRAINT categories_emoji_check CHECK (char_length(emoji) <= 16)
);
COMMENT ON TABLE categories IS 'Catalog categories, names in French and English, shown by position.';

CREATE TABLE stored_files (
  id bigint GENERATED ALWAYS AS IDENTITY,
  owner_id bigint NOT NULL,
  -- Matches the storage key kinds: the product file, its cover image, its preview image.
  kind text NOT NULL,
  storage_key text NOT NULL,
  original_name text NOT NULL,
  size_bytes bigint NOT NULL,
  content_type text NOT NULL,
  sha256 text, -- hex; NULL until computed (direct browser uploads are hashed afterwards)
  created_at timestamptz NOT NULL DEFAULT now(),
  -- The object was removed from storage (purge of old deleted products); the row stays as history.
  deleted_at timestamptz,
  CONSTRAINT stored_files_pkey PRIMARY KEY (id),
  CONSTRAINT stored_files_storage_key_key UNIQUE (storage_key),
  CONSTRAINT stored_files_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE NO ACTION,
  CONSTRAINT stored_files_kind_check CHECK (kind IN ('file', 'cover', 'preview')),
  -- Relative, no empty, '.' or '..' segment, no backslash: the same rule as src/storage/keys.ts.
  CONSTRAINT stored_files_storage_key_check CHECK (
    octet_length(storage_key) BETWEEN 1 AND 1024
    AND storage_key !~ '(^/|//|/$|\\|(^|/)\.\.?(/|$))'
  ),
  CONSTRAINT stored_files_original_name_check CHECK (char_length(original_name) BETWEEN 1 AND 255),
  CONSTRAINT stored_files_size_check CHECK (size_bytes >= 0),
  CONSTRAINT stored_files_content_type_check CHECK (
    char_length(content_type) BETWEEN 3 AND 255 AND position('/' IN content_type) > 1
  ),
  CONSTRAINT stored_files_sha256_check CHECK (sha256 ~ '^[0-9a-f]{64}$')
);
COMMENT ON TABLE stored_files IS 'Objects in storage (product files, covers, previews): key, name, size, type, checksum, owner.';

-- Seller dashboard "storage used": an index-only sum per owner.
CREATE INDEX stored_files_owner_idx ON stored_files (owner_id) INCLUDE (size_bytes) WHERE deleted_at IS NULL;

CREATE TABLE products (
  -- Short, random, human-typable: 'P-' and ten characters without 0/O/1/I/L (src/domain/ids.ts).
  id text NOT NULL,
  seller_id bigint NOT NULL,
  category_id integer NOT NULL,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  price_cents integer NOT NULL,
  status text NOT NULL DEFAULT 'draft',
  ban_reason text,
  banned_at timestamptz,
  banned_by bigint, -- admin Telegram id
  deleted_at timestamptz,
  main_file_id bigint,
  cover_file_id bigint,
  preview_file_id bigint,
  -- Counters, changed in the transaction that records what they count.
  views_count integer NOT NULL DEFAULT 0,
  sales_count integer NOT NULL DEFAULT 0,
  reviews_count integer NOT NULL DEFAULT 0, -- local reviews only
  rating_sum integer NOT NULL DEFAULT 0, -- sum of the local reviews' stars
  -- Ratings carried over from another shop, weighted into the product rating.
  imported_rating_avg numeric(3, 2) NOT NULL DEFAULT 0,
  imported_reviews_count integer NOT NULL DEFAULT 0,
  imported_from text, -- where the imported ratings came from (shop product URL)
  -- Weighted average of imported and local reviews; NULL while there is none.
  rating numeric(3, 2) GENERATED ALWAYS AS (
    CASE WHEN imported_reviews_count + reviews_count > 0 THEN
      round((imported_rating_avg * imported_reviews_count + rating_sum) / (imported_reviews_count + reviews_count), 2)
    END
  ) STORED,
  search_text text GENERATED ALWAYS AS (search_normalize(title || ' ' || description)) STORED,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT products_pkey PRIMARY KEY (id),
  CONSTRAINT products_seller_id_fkey FOREIGN KEY (seller_id) REFERENCES seller_profiles (user_id) ON DELETE NO ACTION,
  CONSTRAINT products_category_id_fkey FOREIGN KEY (category_id) REFERENCES categories (id) ON DELETE NO ACTION,
  CONSTRAINT products_main_file_id_fkey FOREIGN KEY (main_file_id) REFERENCES stored_files (id) ON DELETE NO ACTION,
  CONSTRAINT products_cover_file_id_fkey FOREIGN KEY (cover_file_id) REFERENCES stored_files (id) ON DELETE NO ACTION,
  CONSTRAINT products_preview_file_id_fkey FOREIGN KEY (preview_file_id) REFERENCES stored_files (id) ON DELETE NO ACTION,
  -- A stored file belongs to one product, so removing one product's files never breaks another.
  CONSTRAINT products_main_file_id_key UNIQUE (main_file_id),
  CONSTRAINT products_cover_file_id_key UNIQUE (cover_file_id),
  CONSTRAINT products_preview_file_id_key UNIQUE (preview_file_id),
  CONSTRAINT products_id_check CHECK (id ~ '^P-[2-9A-HJKMNP-Z]{10}$'),
  CONSTRAINT products_title_check CHECK (char_length(title) BETWEEN 5 AND 100),
  CONSTRAINT products_description_check CHECK (char_length(description) <= 1000),
  -- Free, or 9.99 to 5000.00 USD.
  CONSTRAINT products_price_check CHECK (price_cents = 0 OR price_cents BETWEEN 999 AND 500000),
  CONSTRAINT products_status_check CHECK (status IN ('draft', 'active', 'inactive', 'banned', 'deleted')),
  CONSTRAINT products_banned_check CHECK (status <> 'banned' OR (ban_reason IS NOT NULL AND banned_at IS NOT NULL)),
  CONSTRAINT products_ban_reason_check CHECK (char_length(ban_reason) BETWEEN 1 AND 500),
  CONSTRAINT products_deleted_check CHECK ((status = 'deleted') = (deleted_at IS NOT NULL)),
  -- Only a draft may lack its file.
  CONSTRAINT products_main_file_check CHECK (status = 'draft' OR main_file_id IS NOT NULL),
  CONSTRAINT products_counters_check CHECK (
    views_count >= 0 AND sales_count >= 0 AND reviews_count >= 0
    AND rating_sum BETWEEN reviews_count AND 5 * reviews_count
  ),
  CONSTRAINT products_imported_rating_check CHECK (
    imported_reviews_count >= 0 AND imported_rating_avg BETWEEN 0 AND 5
    AND (imported_reviews_count > 0 OR imported_rating_avg = 0)
  )
);
COMMENT ON TABLE products IS
  'What sellers list: text, price, status (soft-deleted once sold), files, counters and rating.';

-- Catalog carousel per category, best sellers first, paged by keyset or offset.
CREATE INDEX products_catalog_sales_idx ON products (category_id, sales_count DESC, created_at DESC, id)
  WHERE status = 'active';
-- Catalog per category, newest first (and the "new" badge, counts of non-empty categories).
CREATE INDEX products_catalog_new_idx ON products (category_id, created_at DESC, id) WHERE status = 'active';
-- Seller storefront (active) and "my products" (every status but deleted), newest first.
CREATE INDEX products_seller_idx ON products (seller_id, status, created_at DESC);
-- Search by words in title and description, any case or accent (LIKE '%word%', similarity).
CREATE INDEX products_search_idx ON products USING gin (search_text gin_trgm_ops);
-- Admin product lists: by status (banned, deleted...) and all products, newest first.
CREATE INDEX products_status_created_idx ON products (status, created_at DESC);
CREATE INDEX products_created_idx ON products (created_at DESC, id);
-- Purge of files of products deleted over 90 days ago.
CREATE INDEX products_deleted_idx ON products (deleted_at) WHERE status = 'deleted';
-- Importing the same shop product twice for one seller is refused.
CREATE UNIQUE INDEX products_seller_imported_from_key ON products (seller_id, imported_from)
  WHERE imported_from IS NOT NULL;

-- A cache, not history: Telegram file_ids let the bot resend a cover or file without uploading
-- it again. Rows go with their stored file.
CREATE TABLE telegram_file_cache (
  stored_file_id bigint NOT NULL,
  file_id text NOT NULL,
  file_unique_id text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT telegram_file_cache_pkey PRIMARY KEY (stored_file_id),
  CONSTRAINT telegram_file_cache_stored_file_id_fkey FOREIGN KEY (stored_file_id)
    REFERENCES stored_files (id) ON DELETE CASCADE,
  CONSTRAINT telegram_file_cache_file_id_check CHECK (char_length(file_id) BETWEEN 1 AND 255)
);
COMMENT ON TABLE telegram_file_cache IS 'Stored file to Telegram file_id, so a photo or document is uploaded once.';

-- Down Migration

DROP TABLE telegram_file_cache;
DROP TABLE products;
DROP TABLE stored_files;
DROP TABLE categories;
