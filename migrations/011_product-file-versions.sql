-- Up Migration

-- The files a product delivered over time. Every file that was ever a product's main file is a
-- published version (1, 2, 3… in publishing order) and products.main_file_id is the latest one,
-- so everything that reads main_file_id (catalog, sizes, purges) keeps working. A new upload for
-- a product that already sold waits here unpublished (version NULL) until the seller publishes it
-- as an update: only then do earlier buyers see it. Rows are history once a version sold.
CREATE TABLE product_file_versions (
  id bigint GENERATED ALWAYS AS IDENTITY,
  product_id text NOT NULL,
  file_id bigint NOT NULL,
  version integer,
  published_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT product_file_versions_pkey PRIMARY KEY (id),
  CONSTRAINT product_file_versions_product_id_fkey FOREIGN KEY (product_id)
    REFERENCES products (id) ON DELETE NO ACTION,
  CONSTRAINT product_file_versions_file_id_fkey FOREIGN KEY (file_id)
    REFERENCES stored_files (id) ON DELETE NO ACTION,
  -- A stored file is one version of one product.
  CONSTRAINT product_file_versions_file_id_key UNIQUE (file_id),
  CONSTRAINT product_file_versions_version_key UNIQUE (product_id, version),
  CONSTRAINT product_file_versions_version_check CHECK (version > 0),
  CONSTRAINT product_file_versions_published_check CHECK ((version IS NULL) = (published_at IS NULL))
);
COMMENT ON TABLE product_file_versions IS
  'Each file a product delivered (v1, v2…) and at most one upload waiting to be published as the next.';

-- At most one upload waits per product: a newer one replaces it.
CREATE UNIQUE INDEX product_file_versions_pending_key ON product_file_versions (product_id)
  WHERE version IS NULL;

-- What each order bought: the product's latest published version when the order was placed.
ALTER TABLE orders ADD COLUMN file_version_id bigint;
ALTER TABLE orders ADD CONSTRAINT orders_file_version_id_fkey FOREIGN KEY (file_version_id)
  REFERENCES product_file_versions (id) ON DELETE NO ACTION;
-- The foreign key's check when a never-sold version is removed (a discarded upload).
CREATE INDEX orders_file_version_idx ON orders (file_version_id) WHERE file_version_id IS NOT NULL;

-- The version a link serves (NULL: the latest the buyer may get), and the one each download served.
ALTER TABLE download_tokens ADD COLUMN file_version_id bigint;
ALTER TABLE download_tokens ADD CONSTRAINT download_tokens_file_version_id_fkey FOREIGN KEY (file_version_id)
  REFERENCES product_file_versions (id) ON DELETE NO ACTION;
ALTER TABLE download_events ADD COLUMN version integer;

-- Existing products: their current file is version 1, and every existing order bought it.
INSERT INTO product_file_versions (product_id, file_id, version, published_at, created_at)
SELECT p.id, p.main_file_id, 1, f.created_at, f.created_at
FROM products p JOIN stored_files f ON f.id = p.main_file_id;

UPDATE orders o SET file_version_id = v.id
FROM products p JOIN product_file_versions v ON v.file_id = p.main_file_id
WHERE p.id = o.product_id;

-- Whatever sets a product's main file (the services, the demo seed, an admin's SQL), the file is
-- recorded as its next published version, so no path can deliver a file that is not a version.
CREATE FUNCTION record_product_file_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.main_file_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM product_file_versions WHERE product_id = NEW.id AND file_id = NEW.main_file_id
  ) THEN
    -- The product row is locked by this very write: version numbers cannot race.
    INSERT INTO product_file_versions (product_id, file_id, version, published_at)
    SELECT NEW.id, NEW.main_file_id, coalesce(max(version), 0) + 1, now()
    FROM product_file_versions WHERE product_id = NEW.id;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER products_record_file_version AFTER INSERT OR UPDATE OF main_file_id ON products
  FOR EACH ROW EXECUTE FUNCTION record_product_file_version();

-- An order records the version it buys, whoever inserts it (checkout, free products, the seed).
CREATE FUNCTION record_order_file_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.file_version_id IS NULL THEN
    SELECT v.id INTO NEW.file_version_id
    FROM products p JOIN product_file_versions v ON v.product_id = p.id AND v.file_id = p.main_file_id
    WHERE p.id = NEW.product_id;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER orders_record_file_version BEFORE INSERT ON orders
  FOR EACH ROW EXECUTE FUNCTION record_order_file_version();

-- Detail views per product and UTC day, so analytics can count the views of a period (the
-- products.views_count counter only knows the total). Counted from this migration on.
CREATE TABLE product_daily_views (
  product_id text NOT NULL,
  day date NOT NULL,
  views integer NOT NULL,
  CONSTRAINT product_daily_views_pkey PRIMARY KEY (product_id, day),
  CONSTRAINT product_daily_views_product_id_fkey FOREIGN KEY (product_id)
    REFERENCES products (id) ON DELETE NO ACTION,
  CONSTRAINT product_daily_views_views_check CHECK (views > 0)
);
COMMENT ON TABLE product_daily_views IS 'Detail views per product and UTC day (analytics periods).';

-- Down Migration

DROP TABLE product_daily_views;
DROP TRIGGER orders_record_file_version ON orders;
DROP FUNCTION record_order_file_version();
DROP TRIGGER products_record_file_version ON products;
DROP FUNCTION record_product_file_version();
ALTER TABLE download_events DROP COLUMN version;
ALTER TABLE download_tokens DROP COLUMN file_version_id;
ALTER TABLE orders DROP COLUMN file_version_id;
DROP TABLE product_file_versions;
