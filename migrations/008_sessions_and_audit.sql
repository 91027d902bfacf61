-- Up Migration

-- Conversation state (wizards, carousels) outlives a restart and is shared by instances.
CREATE TABLE bot_sessions (
  key text NOT NULL,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT bot_sessions_pkey PRIMARY KEY (key),
  CONSTRAINT bot_sessions_key_check CHECK (char_length(key) BETWEEN 1 AND 255)
);
COMMENT ON TABLE bot_sessions IS 'Bot session storage: one JSON value per session key.';

CREATE TABLE admin_audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY,
  admin_id bigint NOT NULL, -- admin Telegram id
  action text NOT NULL, -- e.g. 'user.suspend', 'product.ban', 'payout.mark_paid'
  target_type text,
  target_id text,
  details jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT admin_audit_log_pkey PRIMARY KEY (id),
  CONSTRAINT admin_audit_log_action_check CHECK (action ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$' AND char_length(action) <= 64),
  CONSTRAINT admin_audit_log_target_check CHECK (
    (target_type IS NULL) = (target_id IS NULL)
    AND (target_type IS NULL OR target_type ~ '^[a-z][a-z0-9_]{0,31}$')
  ),
  CONSTRAINT admin_audit_log_details_check CHECK (jsonb_typeof(details) = 'object')
);
COMMENT ON TABLE admin_audit_log IS 'Every admin action: who, what, on which target, with details.';

-- The audit log page, newest first.
CREATE INDEX admin_audit_log_created_idx ON admin_audit_log (created_at DESC, id);
-- History of one target (a user, a product, a payout).
CREATE INDEX admin_audit_log_target_idx ON admin_audit_log (target_type, target_id, created_at DESC)
  WHERE target_type IS NOT NULL;
-- What one admin did.
CREATE INDEX admin_audit_log_admin_idx ON admin_audit_log (admin_id, created_at DESC);

-- Down Migration

DROP TABLE admin_audit_log;
DROP TABLE bot_sessions;
