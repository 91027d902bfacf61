-- Up Migration

-- Resumable uploads from the Mini App page, one row per upload: which seller's product it is
-- for, where the bytes go, and how far it got. A row is used once: 'completing' is claimed by
-- a single request, and only an 'open' upload takes more bytes or part URLs. Rows stay as history:
-- a product that received an upload is soft-deleted, never erased.
CREATE TABLE file_uploads (
  id text NOT NULL,
  seller_id bigint NOT NULL,
  product_id text NOT NULL,
  kind text NOT NULL DEFAULT 'file',
  storage_key text NOT NULL,
  -- The S3 UploadId or the local temporary file's id.
  storage_upload_id text NOT NULL,
  file_name text NOT NULL,
  content_type text NOT NULL,
  size_bytes bigint NOT NULL,
  part_size bigint NOT NULL,
  status text NOT NULL DEFAULT 'open',
  -- Hex SHA-256 of the assembled bytes, once verified against the one the client declared.
  sha256 text,
  stored_file_id bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Last sign of life (start, part URLs, a chunk): the sweep aborts uploads idle for long.
  updated_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  CONSTRAINT file_uploads_pkey PRIMARY KEY (id),
  CONSTRAINT file_uploads_storage_key_key UNIQUE (storage_key),
  CONSTRAINT file_uploads_seller_id_fkey FOREIGN KEY (seller_id) REFERENCES users (id) ON DELETE NO ACTION,
  CONSTRAINT file_uploads_product_id_fkey FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE NO ACTION,
  CONSTRAINT file_uploads_stored_file_id_fkey FOREIGN KEY (stored_file_id) REFERENCES stored_files (id) ON DELETE NO ACTION,
  CONSTRAINT file_uploads_id_check CHECK (id ~ '^U-[0-9a-f]{32}$'),
  CONSTRAINT file_uploads_kind_check CHECK (kind IN ('file', 'cover', 'preview')),
  CONSTRAINT file_uploads_file_name_check CHECK (char_length(file_name) BETWEEN 1 AND 255),
  CONSTRAINT file_uploads_content_type_check CHECK (
    char_length(content_type) BETWEEN 3 AND 255 AND position('/' IN content_type) > 1
  ),
  CONSTRAINT file_uploads_size_check CHECK (size_bytes > 0 AND part_size > 0),
  CONSTRAINT file_uploads_status_check CHECK (status IN ('open', 'completing', 'completed', 'aborted')),
  CONSTRAINT file_uploads_sha256_check CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  CONSTRAINT file_uploads_completed_check CHECK ((status = 'completed') = (sha256 IS NOT NULL)),
  CONSTRAINT file_uploads_finished_check CHECK ((status IN ('completed', 'aborted')) = (finished_at IS NOT NULL))
);
COMMENT ON TABLE file_uploads IS 'Resumable uploads from the Mini App: seller, product, storage upload, progress, outcome.';

-- The sweep reads the idle unfinished uploads, oldest first.
CREATE INDEX file_uploads_unfinished_idx ON file_uploads (updated_at) WHERE status IN ('open', 'completing');

-- Down Migration

DROP TABLE file_uploads;
