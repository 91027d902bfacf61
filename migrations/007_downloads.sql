-- Up Migration

-- One-time download links: the buyer gets a random token, only its SHA-256 is stored, so a
-- database leak gives no usable link. Consumed atomically:
-- UPDATE ... SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now().
-- Not history (download_events is): the cleanup job deletes expired rows.
CREATE TABLE download_tokens (
  token_hash text NOT NULL,
  order_id text NOT NULL,
  buyer_id bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  CONSTRAINT download_tokens_pkey PRIMARY KEY (token_hash),
  CONSTRAINT download_tokens_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE NO ACTION,
  CONSTRAINT download_tokens_buyer_id_fkey FOREIGN KEY (buyer_id) REFERENCES users (id) ON DELETE NO ACTION,
  CONSTRAINT download_tokens_token_hash_check CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  CONSTRAINT download_tokens_expires_at_check CHECK (expires_at > created_at)
);
COMMENT ON TABLE download_tokens IS 'Single-use, short-lived download tokens (hash only), bound to a buyer and an order.';

-- Tokens a buyer asked for in the last rolling hour.
CREATE INDEX download_tokens_buyer_created_idx ON download_tokens (buyer_id, created_at);
-- Cleanup of expired tokens.
CREATE INDEX download_tokens_expires_idx ON download_tokens (expires_at);

CREATE TABLE download_events (
  id bigint GENERATED ALWAYS AS IDENTITY,
  order_id text NOT NULL,
  buyer_id bigint NOT NULL,
  channel text NOT NULL, -- 'link': through a token; 'telegram': sent as a document in the chat
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT download_events_pkey PRIMARY KEY (id),
  CONSTRAINT download_events_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE NO ACTION,
  CONSTRAINT download_events_buyer_id_fkey FOREIGN KEY (buyer_id) REFERENCES users (id) ON DELETE NO ACTION,
  CONSTRAINT download_events_channel_check CHECK (channel IN ('link', 'telegram'))
);
COMMENT ON TABLE download_events IS 'Every download served: the rolling-hour limit and the download history.';

-- Rolling-hour limit per buyer and the buyer's download history.
CREATE INDEX download_events_buyer_created_idx ON download_events (buyer_id, created_at DESC);
-- Download count and last download of one purchase (library card, admin order detail).
CREATE INDEX download_events_order_created_idx ON download_events (order_id, created_at DESC);

-- Down Migration

DROP TABLE download_events;
DROP TABLE download_tokens;
