-- Up Migration

-- Conventions for every table: money in integer cents, crypto amounts in numeric, times in
-- timestamptz, statuses as named CHECK constraints. No foreign key erases history: they are
-- ON DELETE NO ACTION, which refuses the delete like RESTRICT but with SQLSTATE 23503, the one
-- src/db maps to ForeignKeyViolationError (RESTRICT raises 23001). Constraints are named so the
-- application can turn a violation into a clear message.

CREATE TABLE users (
  -- The Telegram user id: identity is the Telegram account, there is no separate login.
  id bigint NOT NULL,
  username text,
  first_name text NOT NULL DEFAULT '',
  language text NOT NULL DEFAULT 'fr',
  -- Suspended while suspended_at is set and suspended_until is NULL (indefinite) or in the future.
  suspended_at timestamptz,
  suspended_until timestamptz,
  suspension_reason text,
  suspended_by bigint, -- admin Telegram id (admins come from ADMIN_IDS, not from this table)
  search_text text GENERATED ALWAYS AS (search_normalize(coalesce(username, '') || ' ' || first_name)) STORED,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_pkey PRIMARY KEY (id),
  CONSTRAINT users_id_check CHECK (id > 0),
  CONSTRAINT users_language_check CHECK (language IN ('fr', 'en')),
  CONSTRAINT users_suspension_check CHECK (
    (suspended_at IS NULL AND suspended_until IS NULL AND suspension_reason IS NULL AND suspended_by IS NULL)
    OR (suspended_at IS NOT NULL AND suspension_reason IS NOT NULL
        AND (suspended_until IS NULL OR suspended_until > suspended_at))
  ),
  CONSTRAINT users_suspension_reason_check CHECK (char_length(suspension_reason) BETWEEN 1 AND 500)
);
COMMENT ON TABLE users IS 'One row per Telegram account: language and suspension.';

-- Admin user list (newest first, paged).
CREATE INDEX users_created_idx ON users (created_at DESC, id);
-- /shop @username: Telegram usernames are case-insensitive. Not unique: a stale row may still
-- hold a name that another account took since.
CREATE INDEX users_username_idx ON users (lower(username)) WHERE username IS NOT NULL;
-- Admin search by name or username, any case or accent.
CREATE INDEX users_search_idx ON users USING gin (search_text gin_trgm_ops);
-- Admin list of suspended users.
CREATE INDEX users_suspended_idx ON users (suspended_at DESC) WHERE suspended_at IS NOT NULL;

CREATE TABLE seller_profiles (
  user_id bigint NOT NULL,
  name text NOT NULL,
  bio text NOT NULL DEFAULT '',
  email text NOT NULL,
  -- Solana address that receives USDT payouts.
  payout_address text NOT NULL,
  payout_address_changed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT seller_profiles_pkey PRIMARY KEY (user_id),
  CONSTRAINT seller_profiles_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE NO ACTION,
  CONSTRAINT seller_profiles_name_check CHECK (char_length(name) BETWEEN 1 AND 50 AND btrim(name) <> ''),
  CONSTRAINT seller_profiles_bio_check CHECK (char_length(bio) <= 500),
  CONSTRAINT seller_profiles_email_check CHECK (
    char_length(email) <= 254 AND email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'
  ),
  -- base58 alphabet (no 0, O, I, l), 32 to 44 characters.
  CONSTRAINT seller_profiles_payout_address_check CHECK (payout_address ~ '^[1-9A-HJ-NP-Za-km-z]{32,44}$')
);
COMMENT ON TABLE seller_profiles IS 'A user who sells: public name and bio, contact email, Solana payout address.';

-- One seller account per email, whatever the case: a suspended seller cannot come back with a
-- new Telegram account and the same address. Also the admin lookup by email.
CREATE UNIQUE INDEX seller_profiles_email_key ON seller_profiles (lower(email));

-- Down Migration

DROP TABLE seller_profiles;
DROP TABLE users;
